// Compaction and retention (TraceDb::CompactOnce, ApplyRetention).
//
// A compaction writes its output (meta.json last, naming its inputs), swaps it
// in for readers, then deletes each input's meta.json before its other files.
// A crash before the output's meta.json leaves only the inputs visible; after
// it, start-up sees the output's `compactedFrom` and deletes the inputs, so no
// span is served twice.
#include <algorithm>

#include "store/clock.h"
#include "store/compaction.h"
#include "store/crash_point.h"
#include "store/trace_db.h"

namespace rubato::store {

Status TraceDb::DeleteBlock(const std::string& tenant, const std::string& block_id) {
  std::string prefix = tenant + "/" + block_id;
  if (Status s = backend_->Delete(prefix + "/meta.json"); !s.ok()) return s;  // invisible first
  return backend_->DeletePrefix(prefix);
}

void TraceDb::SetBlockEvents(BlockEvents events) {
  std::lock_guard lock(events_mu_);
  events_ = std::move(events);
}

Status TraceDb::CompactOnce(bool* did) {
  std::lock_guard compact_lock(compact_mu_);
  *did = false;
  CompactionPolicy policy;
  policy.window = options_.compaction_window;
  policy.max_inputs = options_.max_compaction_inputs;
  policy.max_level0_inputs = options_.max_level0_compaction_inputs;
  policy.min_level0_inputs = options_.min_level0_compaction_inputs;
  policy.min_inputs = options_.min_compaction_inputs;
  policy.cycle = options_.compaction_cycle;
  policy.max_output_spans = options_.max_compacted_block_spans;
  policy.max_output_traces = options_.max_compacted_block_traces;
  policy.merge_shared_fraction = options_.merge_shared_fraction;
  for (const std::string& tenant : blocks_.Tenants()) {
    std::vector<BlockPtr> blocks = blocks_.Snapshot(tenant);
    std::vector<block::BlockMeta> metas;
    for (const BlockPtr& b : blocks) metas.push_back(b->meta());
    std::vector<std::string> picked = PlanCompaction(metas, policy, NowUnixNanos());
    if (picked.empty()) continue;
    std::vector<const block::BlockReader*> inputs;
    for (const BlockPtr& b : blocks) {
      if (std::find(picked.begin(), picked.end(), b->meta().block_id) != picked.end()) inputs.push_back(b.get());
    }
    auto start = std::chrono::steady_clock::now();
    auto out = CompactBlocks(backend_.get(), tenant, inputs, options_.compacted_zstd, policy);
    if (!out.ok()) return Status(out.status()).Prepend("compacting " + std::to_string(inputs.size()) + " blocks of " + tenant);
    auto reader = block::BlockReader::Open(backend_.get(), tenant, out->meta.block_id);
    if (!reader.ok()) return Status(reader.status()).Prepend("reopening the compacted block");
    const std::vector<std::string>& replaced = out->meta.compacted_from;  // a merge may take only some
    blocks_.Replace(tenant, replaced, std::move(reader).value());
    {
      std::lock_guard lock(events_mu_);
      if (events_.compacted) events_.compacted(tenant, out->meta.block_id, replaced);
    }
    CrashPoint("compaction-after-output");  // output and inputs all visible on disk
    for (const std::string& id : replaced) {
      CrashPoint("compaction-mid-delete");
      if (Status s = DeleteBlock(tenant, id); !s.ok()) Log("could not delete compacted block " + id + ": " + s.message());
    }
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
    std::lock_guard lock(stats_mu_);
    ++stats_.compactions;
    stats_.compacted_input_blocks += replaced.size();
    stats_.concatenations += out->merged ? 0 : 1;
    stats_.compacted_spans += out->input_spans;
    stats_.compaction_nanos += static_cast<uint64_t>(ns);
    *did = true;
  }
  return Status::Ok();
}

Status TraceDb::ApplyRetention(uint64_t now_ns) {
  std::lock_guard compact_lock(compact_mu_);
  uint64_t keep = static_cast<uint64_t>(options_.block_retention.count());
  if (keep == 0 || now_ns <= keep) return Status::Ok();
  uint64_t cutoff = now_ns - keep;
  for (const std::string& tenant : blocks_.Tenants()) {
    std::vector<std::string> expired;
    for (const BlockPtr& b : blocks_.Snapshot(tenant)) {
      if (b->meta().max_time < cutoff) expired.push_back(b->meta().block_id);
    }
    if (expired.empty()) continue;
    blocks_.Replace(tenant, expired, nullptr);
    for (const std::string& id : expired) {
      if (Status s = DeleteBlock(tenant, id); !s.ok()) return s;
      Log("retention: deleted block " + tenant + "/" + id);
    }
    std::lock_guard lock(stats_mu_);
    stats_.retention_deleted_blocks += expired.size();
  }
  return Status::Ok();
}

}  // namespace rubato::store
