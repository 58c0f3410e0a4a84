// The prefilter's first pass, on the index page alone: a trace whose time
// range or span count rules the filter out is dropped before any column
// chunk is read. A span lasts at most its trace's range as the index has it
// (whole ms, covering the true range), so `{ duration > 1h }` over traces of
// seconds reads no time column at all.
#include <algorithm>

#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block::scan {
namespace {

constexpr uint64_t kMs = 1'000'000;

// What the index says of the traces considered: one trace, or every trace
// of a row group at once (each field then the largest over them).
struct TraceBounds {
  uint64_t longest_ms = 0;     // range, whole ms, covering the true one
  bool may_end_first = false;  // a range of 0: the trace may end before it starts
  uint32_t most_spans = 0;
};

// Whether some value in [0, most] may pass `test` (an int test on durations).
bool DurationMayPass(const ValueTest& test, uint64_t most_ms) {
  if (!test.integer_between) return true;  // a test only its function can answer: maybe
  if (most_ms > static_cast<uint64_t>(INT64_MAX) / kMs) return true;
  const auto [lo, hi] = *test.integer_between;
  return lo <= static_cast<int64_t>(most_ms * kMs) && hi >= 0;
}

bool PredicateMay(const SpanPredicate& p, const TraceBounds& b) {
  switch (p.field) {
    // A span's duration is end − start, or 0 when it ends first: within
    // [0, the trace's range].
    case SpanField::kDuration: return DurationMayPass(p.test, b.longest_ms);
    // The trace's duration is at most its range, unless the trace ends
    // before it starts (range 0), whose duration the index cannot bound.
    case SpanField::kTraceDuration: return b.may_end_first || DurationMayPass(p.test, b.longest_ms);
    default: return true;
  }
}

// Whether anything in `f` is the index's to judge: durations and counts.
bool Bounded(const SpansetFilter& f) {
  if (f.kind == SpansetFilter::Kind::kMinCount) return true;
  for (const SpanPredicate& p : f.predicates) {
    if (p.field == SpanField::kDuration || p.field == SpanField::kTraceDuration) return true;
  }
  return std::any_of(f.children.begin(), f.children.end(), Bounded);
}

}  // namespace

void NarrowByIndex(const SpansetFilter& f, const IndexPage& page, std::vector<uint8_t>* live_traces, Mask* live_rows) {
  if (!Bounded(f)) return;  // a call per trace that could only say yes
  for (size_t t = 0; t < page.traces.size(); ++t) {
    if (!(*live_traces)[t]) continue;
    const IndexEntry& e = page.traces[t];
    const TraceBounds b{e.duration_ms, e.duration_ms == 0, e.span_count};
    if (FilterMayYield(f, [&](const SpanPredicate& p) { return PredicateMay(p, b); }, e.span_count)) continue;
    (*live_traces)[t] = 0;
    std::fill(live_rows->begin() + e.first_row, live_rows->begin() + e.first_row + e.span_count, 0);
  }
}

}  // namespace rubato::store::block::scan

namespace rubato::store::block {

bool MayMatchRowGroup(const TraceFilter& filter, const RowGroupSummary& summary) {
  const scan::TraceBounds b{summary.longest_trace_ms, summary.some_trace_ends_first, summary.most_spans};
  return FilterMayYield(filter.spans, [&](const SpanPredicate& p) { return scan::PredicateMay(p, b); }, b.most_spans);
}

bool FilterMayYield(const SpansetFilter& f, const std::function<bool(const SpanPredicate&)>& may, uint32_t most_spans) {
  auto all = [&] {
    return std::all_of(f.children.begin(), f.children.end(),
                       [&](const SpansetFilter& c) { return FilterMayYield(c, may, most_spans); });
  };
  switch (f.kind) {
    case SpansetFilter::Kind::kSpans: return std::all_of(f.predicates.begin(), f.predicates.end(), may);
    case SpansetFilter::Kind::kUnion:
      return std::any_of(f.children.begin(), f.children.end(),
                         [&](const SpansetFilter& c) { return FilterMayYield(c, may, most_spans); });
    case SpansetFilter::Kind::kMinCount: return most_spans >= f.count && all();
    // Intersections, `&&` and relations yield spans only when every child does.
    default: return all();
  }
}

}  // namespace rubato::store::block
