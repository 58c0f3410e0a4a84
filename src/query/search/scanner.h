// Runs over ScanSources on several threads, one unit of work (a row group or
// a head slice) in flight per thread, and hands every trace piece that
// overlaps the time range to a visitor as a TraceView. Shared by search and
// by tag lookups restricted by a query. Stops on cancellation, a deadline,
// or when the visitor says the remaining (older) units cannot matter.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

#include "query/search/scan_sources.h"
#include "query/search/search_response.h"
#include "query/traceql/plan.h"
#include "query/traceql/trace_view.h"

namespace rubato::query::search {

struct ScanHooks {
  const traceql::Plan* plan = nullptr;  // for the prefilter (CandidateFilter); null: none
  // Before a piece is viewed: false skips it (it could change nothing). Null: all.
  std::function<bool(const model::TraceId&, uint64_t start, uint64_t end)> admit;
  // Before decoding, from the index's trace times: false when a piece that
  // starts no later than `latest_start` could not enter the results even if
  // it matched (search's top `limit`), so it is not decoded. Null: all are.
  std::function<bool(const model::TraceId&, uint64_t latest_start)> may_rank;
  // Called concurrently from the worker threads. `source`: 0 for the head,
  // 1 + the index in ScanSources::blocks for a block.
  std::function<void(const traceql::TraceView&, uint32_t source)> visit;
  // Units whose pieces all start before this are not needed; since units come
  // newest first, the scan stops at the first one. Null or 0: never.
  std::function<uint64_t()> stop_below;
  // True: the visitor has all it needs (e.g. enough tag values).
  std::function<bool()> done;
};

struct ScanLimits {
  const std::atomic<bool>* cancel = nullptr;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  uint64_t memory_budget_bytes = 256ull << 20;
  unsigned threads = 0;  // 0: hardware_concurrency
};

enum class ScanEnd { kComplete, kStoppedEarly, kDone, kCancelled, kTimedOut };

// Fills the scan's share of *metrics (jobs, inspected traces/spans/bytes, blocks).
ScanEnd Scan(const ScanSources& sources, const ScanHooks& hooks, const ScanLimits& limits, SearchMetrics* metrics);

}  // namespace rubato::query::search
