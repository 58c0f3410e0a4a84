// Cutting the head into level-0 blocks (TraceDb::CutBlocks).
//
// Order, for crash safety: seal the WAL (boundary B) with appends paused, so
// every record below B is in the head; re-log the spans of still-active traces
// (they stay in the head, now above B); write each tenant's block with
// walSeqEnd = B, meta.json last; only then drop those batches from the head
// and delete the WAL segments below B. A crash anywhere replays what no block
// holds; spans both re-logged and in the old records are deduplicated by the
// reads and by the next block writer.
#include <algorithm>

#include "model/span_copy.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "store/block/block_writer.h"
#include "store/crash_point.h"
#include "store/clock.h"
#include "store/trace_db.h"

namespace rubato::store {
namespace {

// Holding back is for light load, where it keeps traces whole. Under heavy
// load (most of the cut still active, or memory tight) everything goes to the
// block and compaction joins the parts of split traces later.
bool WorthHolding(const HeadCut::Tenant& cut, uint64_t active_spans, uint64_t total_spans) {
  return !cut.active.empty() && active_spans * 4 <= total_spans;
}

}  // namespace

Status TraceDb::CutBlocks(bool hold_active) {
  std::lock_guard cut_lock(cut_mu_);
  uint64_t now = NowUnixNanos();
  uint64_t idle = static_cast<uint64_t>(options_.trace_idle_period.count());
  uint64_t active_since = hold_active && now > idle ? now - idle : UINT64_MAX;
  if (head_.bytes() * 2 > options_.head_memory_limit) active_since = UINT64_MAX;  // memory first

  gate_.Close();
  Result<uint64_t> boundary = wal_->Seal();
  HeadCut cut;
  if (boundary.ok()) cut = head_.TakeCut(*boundary, active_since);
  gate_.Open();
  if (!boundary.ok()) return Status(boundary.status()).Prepend("sealing the WAL");
  if (cut.tenants.empty()) return Status::Ok();

  Status first_error;
  for (const auto& [tenant, t] : cut.tenants) {
    Status s = CutTenant(tenant, t, *boundary, active_since != UINT64_MAX);
    if (!s.ok() && first_error.ok()) first_error = s.Prepend("tenant " + tenant);
  }
  // A tenant whose block failed keeps its batches in the head and the WAL.
  if (!first_error.ok()) return first_error;
  CrashPoint("cut-before-wal-truncate");
  return wal_->TruncateBefore(*boundary);
}

Status TraceDb::CutTenant(const std::string& tenant, const HeadCut::Tenant& cut, uint64_t boundary, bool hold) {
  auto start = std::chrono::steady_clock::now();
  uint64_t total = 0, active_spans = 0;
  for (const auto& b : cut.batches) {
    total += b->spans.size();
    if (hold) {
      for (const model::Span& s : b->spans) active_spans += cut.active.count(s.trace_id);
    }
  }
  hold = hold && WorthHolding(cut, active_spans, total);

  std::vector<block::SpanRef> refs;
  refs.reserve(total);
  auto carried = std::make_shared<model::Batch>();
  std::vector<uint32_t> keep;
  for (const auto& b : cut.batches) {
    keep.clear();
    for (uint32_t i = 0; i < b->spans.size(); ++i) {
      if (hold && cut.active.count(b->spans[i].trace_id)) keep.push_back(i);
      else refs.push_back({b.get(), i});
    }
    if (!keep.empty()) model::CopySpans(*b, keep, carried.get());
  }
  if (!carried->spans.empty()) {
    thread_local otlp::ReverseWriter writer(1 << 20);
    otlp::EncodeProtobuf(*carried, &writer);
    Result<uint64_t> seq = wal_->Append(tenant, writer.view());
    if (!seq.ok()) return Status(seq.status()).Prepend("re-logging active traces");
    head_.Append(tenant, carried, *seq, NowUnixNanos(), /*relogged=*/true);
    CrashPoint("cut-after-relog");
  }

  if (!refs.empty()) {
    block::SortByTrace(&refs);  // stable: of two copies of a span, the earlier batch's is kept
    block::BlockWriterOptions wo;
    wo.backend = backend_.get();
    wo.tenant = tenant;
    wo.zstd_level = options_.level0_zstd;
    wo.row_group_spans = options_.level0_row_group_spans;
    wo.compaction_level = 0;
    wo.wal_seq_end = boundary;
    wo.borrow_batches = true;  // `cut` holds the (immutable) batches until after Finish
    block::BlockWriter writer(wo);
    if (Status s = writer.AddSorted(refs); !s.ok()) return s;
    auto meta = writer.Finish();
    if (!meta.ok()) return meta.status();
    auto reader = block::BlockReader::Open(backend_.get(), tenant, meta->block_id);
    if (!reader.ok()) return Status(reader.status()).Prepend("reopening the block just written");
    blocks_.Add(std::move(reader).value());
    CrashPoint("cut-after-block");  // visible, but the WAL still holds its records
  }
  head_.DropBefore(tenant, boundary);
  {
    std::lock_guard space_lock(space_mu_);  // so no waiter misses the wake-up between its check and its wait
  }
  space_cv_.notify_all();
  std::lock_guard lock(stats_mu_);
  ++stats_.cuts;
  stats_.cut_spans += refs.size();
  stats_.relogged_spans += carried->spans.size();
  stats_.cut_nanos += static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  return Status::Ok();
}

}  // namespace rubato::store
