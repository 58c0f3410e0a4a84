// The storage engine behind `rubato serve`: receive → WAL → head → blocks.
// A batch is durable in the WAL before Append returns; the head serves it from
// memory; a cutter thread turns the head into level-0 blocks; a compactor
// thread merges blocks (levels) and applies retention. Reads merge the head
// and every block that may hold the trace, dropping duplicate spans.
//
// Crash safety rests on three orderings (docs/architecture.md, "Storage"):
// a block's meta.json is written last; the WAL is truncated only after the
// blocks holding its records are visible; and each block records the WAL
// sequence number it covers, so replay never brings a span back twice.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <thread>

#include "store/append_gate.h"
#include "store/backend/backend.h"
#include "store/block_set.h"
#include "store/head.h"
#include "store/trace_store.h"
#include "store/wal/wal.h"

namespace rubato::store {

struct TraceDbOptions {
  std::string wal_dir;     // storage.trace.wal.path
  std::string blocks_dir;  // storage.trace.local.path
  uint64_t max_block_bytes = 500ull << 20;                  // ingester.max_block_bytes (head bytes)
  std::chrono::nanoseconds max_block_duration = std::chrono::minutes(30);  // ingester.max_block_duration
  std::chrono::nanoseconds trace_idle_period = std::chrono::seconds(10);   // ingester.trace_idle_period
  std::chrono::nanoseconds block_retention = std::chrono::hours(14 * 24);  // compactor.compaction.block_retention
  // Memory the head may use. Cuts start at a quarter of it (or max_block_bytes
  // if smaller); past all of it, appends are refused with Unavailable.
  uint64_t head_memory_limit = 64ull << 20;
  std::chrono::nanoseconds compaction_window = std::chrono::hours(1);
  uint32_t max_compaction_inputs = 8;
  uint32_t max_level0_compaction_inputs = 32;  // see CompactionPolicy
  uint32_t min_level0_compaction_inputs = 16;  // see CompactionPolicy
  uint32_t min_compaction_inputs = 4;
  // The longest a block waits for others to be compacted with (0: compact as
  // soon as two blocks share a window and level).
  std::chrono::nanoseconds compaction_cycle = std::chrono::seconds(30);  // compactor.compaction.compaction_cycle
  // Row groups of level-0 blocks. Concatenation keeps them as they are, so
  // they are as large as any block's (10,000 spans: ≈ 23.7 B/span at zstd 3,
  // where 2,000-span row groups cost ≈ 2 B/span more).
  uint32_t level0_row_group_spans = 10000;
  uint64_t max_compacted_block_spans = 20'000'000;
  uint64_t max_compacted_block_traces = 6'000'000;  // compactor.compaction.max_compaction_objects
  // Compaction merges (joins, dedupes) rather than concatenates when this
  // fraction of the inputs' trace parts share their ID (CompactionPolicy).
  double merge_shared_fraction = 0.01;
  int level0_zstd = 3;     // cuts must keep up with ingest
  // Compaction output. Level 9 saves ~2 % of bytes (23.2 vs 23.7 B/span) for
  // ~2.5x the CPU of level 3 per rewrite; under sustained ingest that CPU is
  // what decides whether compaction keeps up.
  int compacted_zstd = 3;
  // Level-0 blocks waiting for compaction. Past `soft`, the compactor runs at
  // normal priority (it is niced otherwise); past `hard`, cuts for size wait
  // for it, so the head fills and appends are slowed (then refused). Memory
  // and read cost grow with the block count; this keeps it bounded however
  // long the ingest lasts.
  uint32_t level0_backlog_soft = 24;
  uint32_t level0_backlog_hard = 64;
  wal::FileOps* wal_file_ops = nullptr;  // tests inject disk failures; POSIX when null
  bool background = true;  // false: tests drive CutBlocks / CompactOnce / ApplyRetention
  std::function<void(std::string_view)> log;  // stderr when empty
};

struct TraceDbStats {
  uint64_t cuts = 0, cut_spans = 0, relogged_spans = 0, cut_nanos = 0;
  uint64_t compactions = 0, compacted_input_blocks = 0, compacted_spans = 0, compaction_nanos = 0;
  uint64_t concatenations = 0;  // compactions that concatenated rather than merged
  uint64_t retention_deleted_blocks = 0;
  uint64_t corrupt_block_reads = 0;  // lookups that found a block corrupt (skipped)
  uint64_t corrupt_blocks_at_open = 0;
  uint64_t refused_head_full = 0;
  uint64_t replayed_records = 0, replay_skipped_records = 0, replay_undecodable = 0;
  double replay_seconds = 0;
  uint64_t background_errors = 0;
};

class TraceDb : public TraceStore {
 public:
  // Loads the blocks, replays the WAL into the head, starts the threads.
  static Result<std::unique_ptr<TraceDb>> Open(TraceDbOptions options);
  // Stops the threads; the head stays in the WAL for the next start.
  ~TraceDb() override;

  Status Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch,
                std::string_view encoded = {}) override;
  void MarkTruncated(std::string_view tenant, const model::TraceId& id) override;
  Result<FoundTrace> FindTrace(std::string_view tenant, const model::TraceId& id, TimeRange range) const override;
  void ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const override;
  SearchSnapshot TakeSearchSnapshot(std::string_view tenant) const override;  // head, then blocks
  backend::Backend* block_backend() const override { return backend_.get(); }

  // Cuts the head into blocks now. `hold_active`: keep recently active traces in the head.
  Status CutBlocks(bool hold_active);
  // Runs at most one compaction per tenant; sets *did when one ran.
  Status CompactOnce(bool* did);
  // Deletes blocks whose newest span ended before now - block_retention.
  Status ApplyRetention(uint64_t now_ns);

  // What search keeps per block (tag catalogs) follows the blocks through
  // these, called on the compactor thread; they must be quick and must not
  // call back into the TraceDb. (Building a cut block's catalog from the
  // head's batches in the cutter was measured and dropped: 0.5 µs a span on
  // the cutter's thread, more than decoding the block later costs.)
  struct BlockEvents {
    // A compaction output replacing `inputs`, before they are deleted.
    std::function<void(const std::string& tenant, const std::string& block_id, const std::vector<std::string>& inputs)>
        compacted;
  };
  void SetBlockEvents(BlockEvents events);

  TraceDbStats stats() const;
  uint64_t head_bytes() const { return head_.bytes(); }
  uint64_t head_spans() const { return head_.spans(); }
  BlockSet::Totals block_totals() const { return blocks_.totals(); }
  const wal::Wal& wal() const { return *wal_; }

 private:
  explicit TraceDb(TraceDbOptions options);
  Status LoadBlocks();
  Status ReplayWal();
  Status CutTenant(const std::string& tenant, const HeadCut::Tenant& cut, uint64_t boundary, bool hold);
  Status DeleteBlock(const std::string& tenant, const std::string& block_id);
  void CutterLoop();
  void CompactorLoop();
  // Level-0 blocks that a compaction could merge now (all tenants).
  uint32_t Level0Backlog() const;
  uint64_t CutThreshold() const;
  bool AwaitHeadSpace();  // false: still full after a short wait
  void Log(const std::string& msg) const;

  TraceDbOptions options_;
  std::unique_ptr<backend::Backend> backend_;
  std::unique_ptr<wal::Wal> wal_;
  Head head_;
  BlockSet blocks_;
  AppendGate gate_;
  std::mutex space_mu_;  // with space_cv_: appends waiting for a cut to free the head
  std::condition_variable space_cv_;
  std::mutex cut_mu_;      // one cut at a time
  std::mutex compact_mu_;  // one compaction or retention pass at a time (they delete blocks)
  std::map<std::string, uint64_t, std::less<>> replay_from_;  // per tenant: max walSeqEnd of its blocks

  std::mutex events_mu_;
  BlockEvents events_;

  mutable std::mutex stats_mu_;
  mutable TraceDbStats stats_;
  mutable std::set<std::string> reported_corrupt_;  // block IDs already logged as corrupt

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;
  std::thread cutter_, compactor_;
};

}  // namespace rubato::store
