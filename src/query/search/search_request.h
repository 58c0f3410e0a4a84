// What one search asks for: a compiled query, how many traces, the time
// range, and the limits that keep it cheap (cancellation, memory, threads).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "query/search/tag_catalog.h"
#include "query/traceql/plan.h"
#include "store/block/block_reader.h"

namespace rubato::query::search {

inline constexpr uint32_t kDefaultLimit = 20;
inline constexpr uint32_t kDefaultSpansPerSpanset = 3;
inline constexpr uint32_t kMaxSpansPerSpanset = 100;
inline constexpr uint64_t kDefaultMemoryBudget = 256ull << 20;

struct SearchRequest {
  const traceql::Plan* plan = nullptr;  // required; shared read-only by the workers
  uint32_t limit = kDefaultLimit;       // traces returned, most recent first
  uint32_t spans_per_spanset = kDefaultSpansPerSpanset;  // spss: spans shown per spanset (≤ 100)
  uint64_t start_unix_nano = 0;         // a trace matches if it overlaps [start, end]; 0: unbounded
  uint64_t end_unix_nano = 0;
  // Trace duration bounds (Tempo's minDuration / maxDuration), on each piece's
  // span of time; 0: unbounded.
  uint64_t min_trace_duration_nanos = 0;
  uint64_t max_trace_duration_nanos = 0;
  // Set by another thread (e.g. the client went away): the search stops at
  // the next row group and returns Unavailable("search cancelled").
  const std::atomic<bool>* cancel = nullptr;
  // Decoded row groups in flight are kept under this many bytes (estimated
  // from each block's spans per row group); see docs/search.md.
  uint64_t memory_budget_bytes = kDefaultMemoryBudget;
  unsigned threads = 0;  // 0: std::thread::hardware_concurrency()
  // Past it the search stops and returns Unavailable("search timed out").
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // A block's tag catalog when one is at hand (null: none; never built for
  // the search): blocks whose catalog rules the query out are not read
  // (catalog_prune.h). Null: every block is read.
  std::function<std::shared_ptr<const TagCatalog>(const store::block::BlockReader&)> block_catalog;
};

}  // namespace rubato::query::search
