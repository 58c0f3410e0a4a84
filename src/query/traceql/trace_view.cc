#include "query/traceql/trace_view.h"

#include <algorithm>
#include <unordered_map>

namespace rubato::query::traceql {

namespace {
const model::TraceId kNoTrace{};
}

TraceView::TraceView(std::vector<SpanAt> spans) {
  // Drop repeated span IDs, keeping the first copy (pieces of a trace read
  // from several places may repeat spans until compaction joins them).
  std::unordered_map<model::SpanId, uint32_t, model::IdHash> by_id;
  by_id.reserve(spans.size());
  spans_.reserve(spans.size());
  for (const SpanAt& s : spans) {
    if (by_id.emplace(s.batch->spans[s.index].span_id, static_cast<uint32_t>(spans_.size())).second) spans_.push_back(s);
  }
  const uint32_t n = size();
  parent_.assign(n, -1);
  std::vector<uint32_t> child_count(n, 0);
  start_ = n ? UINT64_MAX : 0;
  for (uint32_t i = 0; i < n; ++i) {
    const model::Span& s = span(i);
    start_ = std::min(start_, s.start_time_unix_nano);
    end_ = std::max(end_, s.end_time_unix_nano);
    if (s.parent_span_id.IsZero()) {
      if (root_ < 0 || s.start_time_unix_nano < span(root_).start_time_unix_nano) root_ = static_cast<int32_t>(i);
      continue;
    }
    auto it = by_id.find(s.parent_span_id);
    if (it == by_id.end() || it->second == i) continue;
    parent_[i] = static_cast<int32_t>(it->second);
    ++child_count[it->second];
  }
  // Children lists in one flat array (counting sort by parent), each in span order.
  child_begin_.assign(n + 1, 0);
  for (uint32_t i = 0; i < n; ++i) child_begin_[i + 1] = child_begin_[i] + child_count[i];
  child_list_.resize(child_begin_[n]);
  std::vector<uint32_t> fill(child_begin_.begin(), child_begin_.end() - 1);
  for (uint32_t i = 0; i < n; ++i) {
    if (parent_[i] >= 0) child_list_[fill[parent_[i]]++] = i;
  }
}

const model::TraceId& TraceView::id() const { return spans_.empty() ? kNoTrace : span(0).trace_id; }

std::span<const uint32_t> TraceView::children(uint32_t i) const {
  return {child_list_.data() + child_begin_[i], child_begin_[i + 1] - child_begin_[i]};
}

}  // namespace rubato::query::traceql
