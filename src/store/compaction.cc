#include "store/compaction.h"

#include <algorithm>
#include <map>

#include "store/block/block_concat.h"
#include "store/block/block_writer.h"
#include "store/shared_traces.h"

namespace rubato::store {

namespace {

// Whether a group has waited long enough for more blocks to join it.
bool Ready(const std::vector<const block::BlockMeta*>& group, uint32_t level, const CompactionPolicy& policy,
           uint64_t now_ns) {
  const uint32_t min_inputs = level == 0 ? policy.min_level0_inputs : policy.min_inputs;
  if (group.size() >= std::max<uint32_t>(2, min_inputs)) return true;
  uint64_t oldest = UINT64_MAX;
  for (const block::BlockMeta* m : group) oldest = std::min(oldest, m->created_at);
  const uint64_t cycle = static_cast<uint64_t>(std::max<int64_t>(0, policy.cycle.count()));
  return now_ns >= oldest && now_ns - oldest >= cycle;
}

}  // namespace

std::vector<std::string> PlanCompaction(const std::vector<block::BlockMeta>& blocks, const CompactionPolicy& policy,
                                        uint64_t now_ns) {
  uint64_t window = std::max<uint64_t>(1, static_cast<uint64_t>(policy.window.count()));
  // (window, level) → blocks
  std::map<std::pair<uint64_t, uint32_t>, std::vector<const block::BlockMeta*>> groups;
  for (const block::BlockMeta& m : blocks) groups[{m.max_time / window, m.compaction_level}].push_back(&m);
  for (auto& [key, group] : groups) {
    if (group.size() < 2 || !Ready(group, key.second, policy, now_ns)) continue;
    std::sort(group.begin(), group.end(), [](const auto* a, const auto* b) { return a->spans < b->spans; });
    std::vector<std::string> picked;
    uint64_t spans = 0, traces = 0, runs = 0;
    const uint32_t max_inputs = key.second == 0 ? policy.max_level0_inputs : policy.max_inputs;
    for (const block::BlockMeta* m : group) {
      if (picked.size() == max_inputs) break;
      if (spans + m->spans > policy.max_output_spans || traces + m->traces > policy.max_output_traces) break;
      const uint64_t r = std::max<size_t>(1, m->runs.size());
      if (runs + r > policy.max_concat_runs) break;
      runs += r;
      picked.push_back(m->block_id);
      spans += m->spans;
      traces += m->traces;
    }
    if (picked.size() >= 2) return picked;
  }
  return {};
}

namespace {

// One input run's position: its current row group and the next trace in it.
struct Cursor {
  const block::BlockReader* reader;
  uint32_t next_group = 0, end_group = 0;  // the run's row groups still to read
  block::DecodedRowGroup group;
  size_t trace = 0;

  // Loads row groups until one has a trace left; false at the end of the run.
  Result<bool> Ready() {
    while (trace >= group.traces.size()) {
      if (next_group >= end_group) return false;
      auto g = reader->ReadRowGroup(next_group++);
      if (!g.ok()) return g.status();
      group = std::move(g).value();
      trace = 0;
    }
    return true;
  }
  const model::TraceId& id() const { return group.traces[trace].id; }
};

}  // namespace

Result<CompactionOutput> MergeBlocks(backend::Backend* backend, const std::string& tenant,
                                      const std::vector<const block::BlockReader*>& inputs, int zstd_level) {
  block::BlockWriterOptions wo;
  wo.backend = backend;
  wo.tenant = tenant;
  wo.zstd_level = zstd_level;
  CompactionOutput out;
  std::vector<Cursor> cursors;
  for (const block::BlockReader* r : inputs) {
    for (uint32_t run = 0; run < r->run_count(); ++run) {
      auto [first, end] = r->run_row_groups(run);
      cursors.push_back(Cursor{r, first, end, {}, 0});
    }
    wo.compaction_level = std::max(wo.compaction_level, r->meta().compaction_level + 1);
    wo.wal_seq_end = std::max(wo.wal_seq_end, r->meta().wal_seq_end);
    wo.compacted_from.push_back(r->meta().block_id);
    out.input_spans += r->meta().spans;
  }
  block::BlockWriter writer(wo);
  std::vector<block::SpanRef> refs;
  while (true) {
    const model::TraceId* next = nullptr;
    for (Cursor& c : cursors) {
      auto ready = c.Ready();
      if (!ready.ok()) return ready.status();
      if (*ready && (next == nullptr || c.id() < *next)) next = &c.id();
    }
    if (next == nullptr) break;
    model::TraceId id = *next;
    refs.clear();
    for (Cursor& c : cursors) {
      if (c.trace >= c.group.traces.size() || c.id() != id) continue;
      const block::TraceEntry& t = c.group.traces[c.trace];
      for (uint32_t r = 0; r < t.span_count; ++r) refs.push_back({&c.group.batch, t.first_row + r});
      ++c.trace;
    }
    if (Status s = writer.AddTrace(refs); !s.ok()) return s;
  }
  auto meta = writer.Finish();
  if (!meta.ok()) return meta.status();
  out.meta = std::move(meta).value();
  out.merged = true;
  return out;
}

Result<CompactionOutput> CompactBlocks(backend::Backend* backend, const std::string& tenant,
                                       const std::vector<const block::BlockReader*>& inputs, int zstd_level,
                                       const CompactionPolicy& policy) {
  // The first inputs a merge could take; if they share traces, they are merged (and only they).
  std::vector<const block::BlockReader*> mergeable;
  uint64_t runs = 0;
  for (const block::BlockReader* r : inputs) {
    if ((runs += r->run_count()) > policy.max_merge_runs) break;
    mergeable.push_back(r);
  }
  if (mergeable.size() >= 2) {
    auto shared = CountSharedTraces(mergeable);
    if (!shared.ok()) return shared.status();
    if (static_cast<double>(shared->shared) >= policy.merge_shared_fraction * static_cast<double>(shared->parts)) {
      return MergeBlocks(backend, tenant, mergeable, zstd_level);
    }
  }
  auto meta = block::ConcatBlocks(backend, tenant, inputs);
  if (!meta.ok()) return meta.status();
  CompactionOutput out;
  out.meta = std::move(meta).value();
  out.input_spans = out.meta.spans;
  return out;
}

}  // namespace rubato::store
