#include "query/search/search.h"

#include "query/search/catalog_prune.h"
#include "query/search/complete_pieces.h"
#include "query/search/prefilter.h"
#include "query/search/scanner.h"
#include "query/search/top_traces.h"
#include "query/search/trace_result.h"
#include "query/traceql/evaluate.h"

namespace rubato::query::search {

Result<SearchResponse> Search(store::SearchSnapshot snapshot, const SearchRequest& request) {
  if (!request.plan) return Status::InvalidArgument("search needs a query");
  if (request.spans_per_spanset > kMaxSpansPerSpanset) {
    return Status::InvalidArgument("spss must be at most " + std::to_string(kMaxSpansPerSpanset));
  }
  if (request.start_unix_nano && request.end_unix_nano && request.start_unix_nano > request.end_unix_nano) {
    return Status::InvalidArgument("start is after end");
  }
  std::function<bool(const store::block::BlockReader&)> may_match;
  const std::optional<store::block::TraceFilter> prefilter = BuildPrefilter(*request.plan);
  if (request.block_catalog && prefilter) {
    may_match = [&](const store::block::BlockReader& block) {
      auto catalog = request.block_catalog(block);
      return catalog == nullptr || CatalogMayMatch(*prefilter, *catalog);
    };
  }
  ScanSources sources = PrepareSources(std::move(snapshot), request.start_unix_nano, request.end_unix_nano, may_match);
  if (sources.head_bytes > request.memory_budget_bytes) {
    return Status::ResourceExhausted("search needs " + std::to_string(sources.head_bytes) +
                                     " bytes to group the head's spans, over its memory budget of " +
                                     std::to_string(request.memory_budget_bytes) + " bytes");
  }
  const traceql::Plan& plan = *request.plan;
  const uint32_t spss = request.spans_per_spanset;
  TopTraces top(request.limit, spss);

  ScanHooks hooks;
  hooks.plan = &plan;
  const uint64_t min_d = request.min_trace_duration_nanos;
  const uint64_t max_d = request.max_trace_duration_nanos ? request.max_trace_duration_nanos : UINT64_MAX;
  hooks.admit = [&top, min_d, max_d](const model::TraceId& id, uint64_t start, uint64_t end) {
    uint64_t d = end > start ? end - start : 0;
    return d >= min_d && d <= max_d && top.Admits(id, start);
  };
  hooks.may_rank = [&top](const model::TraceId& id, uint64_t latest_start) { return top.Admits(id, latest_start); };
  hooks.visit = [&](const traceql::TraceView& view, uint32_t source) {
    std::vector<traceql::Spanset> sets = traceql::Evaluate(plan, view);
    // A piece that does not match still completes a trace already held
    // (and CompletePieces finds those read before their trace was).
    if (sets.empty() && !top.Holds(view.id())) return;
    top.Offer(BuildTraceResult(plan, view, sets, spss, source));
  };
  hooks.stop_below = [&top] { return top.stop_below(); };

  ScanLimits limits;
  limits.cancel = request.cancel;
  limits.deadline = request.deadline;
  limits.memory_budget_bytes = request.memory_budget_bytes;
  limits.threads = request.threads;

  SearchResponse response;
  switch (Scan(sources, hooks, limits, &response.metrics)) {
    case ScanEnd::kCancelled: return Status::Unavailable("search cancelled");
    case ScanEnd::kTimedOut: return Status::Unavailable("search timed out");
    default: break;
  }
  response.traces = top.Take();
  CompletePieces(sources, plan, spss, {min_d, max_d}, &response.traces, &response.metrics);
  // Held beyond `limit` were results whose rank was not certain; merged and
  // sorted now, the first `limit` are the answer.
  if (response.traces.size() > request.limit) response.traces.resize(request.limit);
  return response;
}

}  // namespace rubato::query::search
