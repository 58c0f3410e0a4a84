#include "query/search/complete_pieces.h"

#include <algorithm>
#include <atomic>
#include <unordered_map>

#include "parallel/fork_join.h"
#include "query/search/trace_result.h"
#include "query/traceql/evaluate.h"

namespace rubato::query::search {
namespace {

bool Has(const TraceResult& r, uint32_t source) {
  return std::binary_search(r.sources.begin(), r.sources.end(), source);
}

bool InBounds(uint64_t start, uint64_t end, const ScanSources& s, const PieceBounds& b) {
  uint64_t d = end > start ? end - start : 0;
  return start <= s.end_unix_nano && end >= s.start_unix_nano && d >= b.min_duration_nanos &&
         d <= b.max_duration_nanos;
}

void MergePiece(const traceql::Plan& plan, uint32_t spss, std::vector<traceql::TraceView::SpanAt> spans,
                uint32_t source, TraceResult* r, SearchMetrics* metrics) {
  traceql::TraceView view(std::move(spans));
  MergeTraceResult(BuildTraceResult(plan, view, traceql::Evaluate(plan, view), spss, source), r, spss);
  ++metrics->pieces_completed;
}

// One result's missing pieces; returns how many were merged in.
uint64_t CompleteOne(const ScanSources& sources, const traceql::Plan& plan, uint32_t spss, const PieceBounds& bounds,
                     const std::unordered_map<model::TraceId, uint32_t, model::IdHash>& head_index, TraceResult* r) {
  SearchMetrics local;
  if (!Has(*r, 0)) {
    auto it = head_index.find(r->id);
    if (it != head_index.end()) {
      const HeadTrace& t = sources.head[it->second];
      if (InBounds(t.start, t.end, sources, bounds)) MergePiece(plan, spss, t.spans, 0, r, &local);
    }
  }
  for (uint32_t b = 0; b < sources.blocks.size(); ++b) {
    const store::block::BlockReader& block = *sources.blocks[b];
    auto runs = block.RunsThatMayHold(r->id);
    if (!runs.ok()) continue;  // a corrupt filter: the block's scan reports it
    for (uint32_t run : *runs) {
      const uint32_t source = sources.first_source[b] + run;
      if (Has(*r, source)) continue;
      auto found = block.FindTraceInRun(r->id, run);
      if (!found.ok() || found->spans.empty()) continue;  // absent (filter false positive) or corrupt
      uint64_t start = UINT64_MAX, end = 0;
      std::vector<traceql::TraceView::SpanAt> spans;
      for (uint32_t i = 0; i < found->spans.size(); ++i) {
        start = std::min(start, found->spans[i].start_time_unix_nano);
        end = std::max(end, found->spans[i].end_time_unix_nano);
        spans.push_back({&*found, i});
      }
      if (InBounds(start, end, sources, bounds)) MergePiece(plan, spss, std::move(spans), source, r, &local);
    }
  }
  return local.pieces_completed;
}

}  // namespace

// Results are independent, so they are completed on all cores: each costs a
// filter read per block (a ranged read of one stripe), ~2 µs each warm.
void CompletePieces(const ScanSources& sources, const traceql::Plan& plan, uint32_t spss, PieceBounds bounds,
                    std::vector<TraceResult>* results, SearchMetrics* metrics) {
  std::unordered_map<model::TraceId, uint32_t, model::IdHash> head_index;
  for (uint32_t i = 0; i < sources.head.size(); ++i) head_index.emplace(sources.head[i].id, i);
  const size_t n = results->size();
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> pieces{0};
  // A thread per 4 results at most: fewer are not worth starting one for.
  parallel::ForkJoin(parallel::ThreadsFor((n + 3) / 4), [&](unsigned) {
    uint64_t mine = 0;
    for (size_t i; (i = next.fetch_add(1)) < n;) mine += CompleteOne(sources, plan, spss, bounds, head_index, &(*results)[i]);
    pieces += mine;
  });
  metrics->pieces_completed += pieces.load();
  std::sort(results->begin(), results->end(), [](const TraceResult& a, const TraceResult& b) {
    return a.start_unix_nano != b.start_unix_nano ? a.start_unix_nano > b.start_unix_nano : a.id < b.id;
  });
}

}  // namespace rubato::query::search
