// What a scan reads, in the order it reads it: the head's traces (grouped by
// trace ID across its batches) and the row groups of every block that
// overlaps the time range, split into units of work ordered newest first, so
// that a search holding `limit` results can stop before the older ones.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "query/traceql/trace_view.h"
#include "store/block/block_reader.h"
#include "store/trace_store.h"

namespace rubato::query::search {

// One trace's spans in the head (several batches may hold parts of it).
struct HeadTrace {
  model::TraceId id;
  uint64_t start = 0, end = 0;  // earliest span start, latest span end
  uint64_t bytes = 0;           // its share of its batches' request bytes (inspectedBytes)
  std::vector<traceql::TraceView::SpanAt> spans;
};

// A unit of work: one row group of a block, or a slice of the head's traces.
struct ScanUnit {
  const store::block::BlockReader* block = nullptr;  // null: head traces [head_begin, head_end)
  uint32_t block_index = 0;                          // in ScanSources::blocks
  uint32_t row_group = 0;
  uint32_t head_begin = 0, head_end = 0;
  uint64_t newest_start = 0;     // no trace piece of the unit starts after this
  uint64_t estimated_bytes = 0;  // memory to decode it (what MemoryBudget is charged)
  uint64_t stored_bytes = 0;     // bytes read from storage (inspectedBytes)
};

struct ScanSources {
  store::SearchSnapshot snapshot;             // keeps batches and blocks alive for the scan
  std::vector<HeadTrace> head;                // overlapping the range, latest start first
  std::vector<const store::block::BlockReader*> blocks;  // overlapping the range, newest first
  // Where a result's piece came from (TraceResult::sources): 0 is the head,
  // then one number per run of each block, so that completing a result
  // reads exactly the runs its scan did not.
  std::vector<uint32_t> first_source;  // per block: its run 0's number
  uint32_t SourceOf(uint32_t block_index, uint32_t row_group) const {
    return first_source[block_index] + blocks[block_index]->run_of(row_group);
  }
  std::vector<ScanUnit> units;                // newest_start descending
  uint32_t blocks_pruned_by_time = 0;
  // In range, but what is known of their values (tag catalogs) rules the
  // query out: no unit. They stay in `blocks`, for completing results.
  uint32_t blocks_pruned_by_values = 0;
  uint64_t total_block_bytes = 0;
  uint64_t head_bytes = 0;                    // what grouping the head costs in memory
  uint64_t start_unix_nano = 0, end_unix_nano = UINT64_MAX;  // the range, unbounded ends filled in
};

inline constexpr uint32_t kHeadTracesPerUnit = 1000;
// Memory a decoded span takes (Batch pools and arena: 932-937 B on the
// standard workload, store::BatchMemoryBytes of a 10,000-span row group;
// plus the TraceView), for the budget (docs/search.md).
inline constexpr uint64_t kDecodedBytesPerSpan = 1024;

// `start`/`end` 0 mean unbounded. `may_match` (null: every block) says
// whether a block could hold a matching trace piece at all.
ScanSources PrepareSources(store::SearchSnapshot snapshot, uint64_t start_unix_nano, uint64_t end_unix_nano,
                           const std::function<bool(const store::block::BlockReader&)>& may_match = nullptr);

}  // namespace rubato::query::search
