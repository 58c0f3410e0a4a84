#include "query/search/trace_result.h"

#include <algorithm>
#include <unordered_map>

namespace rubato::query::search {
namespace {

constexpr std::string_view kServiceName = "service.name";

std::string_view ServiceOf(const model::Batch& b, const model::Span& s) {
  for (const model::KeyValue& kv : b.Attributes(b.ResourceOf(s).attributes)) {
    if (kv.key == kServiceName && kv.value.kind == model::ValueKind::kString) return kv.value.str;
  }
  return {};
}

SpanOut MakeSpan(const traceql::Plan& plan, const traceql::TraceView& view, uint32_t i) {
  const model::Span& s = view.span(i);
  SpanOut out;
  out.id = s.span_id;
  out.name = std::string(s.name);
  out.start_unix_nano = s.start_time_unix_nano;
  out.duration_nanos = s.duration_nanos();
  const model::Batch* batch = &view.batch(i);
  for (const model::KeyValue& kv : traceql::ResultAttributes(plan, view, i)) {
    out.attributes.push_back({std::string(kv.key), OwnedValue::Copy(kv.value, batch)});
  }
  return out;
}

// Counts spans per service from spans_seen.
void CountServices(TraceResult* r) {
  r->service_stats.clear();
  for (const TraceResult::SpanMark& m : r->spans_seen) {
    ServiceStats& st = r->service_stats[r->services[m.service]];
    ++st.span_count;
    st.error_count += m.error;
  }
}

bool SpanEarlier(const SpanOut& a, const SpanOut& b) {
  return a.start_unix_nano != b.start_unix_nano ? a.start_unix_nano < b.start_unix_nano : a.id < b.id;
}

void JoinSpanset(SpansetOut piece, SpansetOut* into, uint32_t spss) {
  std::vector<model::SpanId> ids;
  ids.reserve(into->span_ids.size() + piece.span_ids.size());
  std::set_union(into->span_ids.begin(), into->span_ids.end(), piece.span_ids.begin(), piece.span_ids.end(),
                 std::back_inserter(ids));
  into->span_ids = std::move(ids);
  into->matched = static_cast<uint32_t>(into->span_ids.size());
  for (SpanOut& s : piece.spans) {
    bool dup = std::any_of(into->spans.begin(), into->spans.end(), [&](const SpanOut& o) { return o.id == s.id; });
    if (!dup) into->spans.push_back(std::move(s));
  }
  std::sort(into->spans.begin(), into->spans.end(), SpanEarlier);
  if (into->spans.size() > spss) into->spans.resize(spss);
}

}  // namespace

TraceResult BuildTraceResult(const traceql::Plan& plan, const traceql::TraceView& view,
                             const std::vector<traceql::Spanset>& spansets, uint32_t spss, uint32_t source) {
  TraceResult r;
  r.id = view.id();
  r.sources = {source};
  r.start_unix_nano = view.start_unix_nano();
  r.end_unix_nano = view.end_unix_nano();
  if (view.root() >= 0) {
    const uint32_t root = static_cast<uint32_t>(view.root());
    r.has_root = true;
    r.root_service = std::string(ServiceOf(view.batch(root), view.span(root)));
    r.root_name = std::string(view.span(root).name);
  }
  std::unordered_map<std::string_view, uint32_t> service_index;
  r.spans_seen.reserve(view.size());
  for (uint32_t i = 0; i < view.size(); ++i) {
    std::string_view service = ServiceOf(view.batch(i), view.span(i));
    auto [it, added] = service_index.emplace(service, static_cast<uint32_t>(r.services.size()));
    if (added) r.services.emplace_back(service);
    r.spans_seen.push_back({view.span(i).span_id, it->second, view.span(i).status_code == model::StatusCode::kError});
  }
  std::sort(r.spans_seen.begin(), r.spans_seen.end());
  CountServices(&r);
  for (const traceql::Spanset& set : spansets) {
    SpansetOut out;
    out.matched = static_cast<uint32_t>(set.spans.size());
    for (uint32_t i : set.spans) out.span_ids.push_back(view.span(i).span_id);
    std::sort(out.span_ids.begin(), out.span_ids.end());
    for (size_t k = 0; k < set.spans.size() && k < spss; ++k) out.spans.push_back(MakeSpan(plan, view, set.spans[k]));
    std::sort(out.spans.begin(), out.spans.end(), SpanEarlier);
    const model::Batch* batch = set.spans.empty() ? (view.size() ? &view.batch(0) : nullptr) : &view.batch(set.spans[0]);
    for (const traceql::SpansetAttribute& a : set.attributes) {
      out.attributes.push_back({a.key, OwnedValue::Copy(a.value, batch)});
    }
    r.spansets.push_back(std::move(out));
  }
  return r;
}

void MergeTraceResult(TraceResult piece, TraceResult* into, uint32_t spss) {
  std::vector<uint32_t> sources;
  std::set_union(into->sources.begin(), into->sources.end(), piece.sources.begin(), piece.sources.end(),
                 std::back_inserter(sources));
  into->sources = std::move(sources);
  into->start_unix_nano = std::min(into->start_unix_nano, piece.start_unix_nano);
  into->end_unix_nano = std::max(into->end_unix_nano, piece.end_unix_nano);
  if (!into->has_root && piece.has_root) {
    into->has_root = true;
    into->root_service = std::move(piece.root_service);
    into->root_name = std::move(piece.root_name);
  }
  // Spans seen: union by span ID, the piece's services renumbered into *into's.
  std::vector<uint32_t> renumber(piece.services.size());
  for (size_t i = 0; i < piece.services.size(); ++i) {
    auto it = std::find(into->services.begin(), into->services.end(), piece.services[i]);
    renumber[i] = static_cast<uint32_t>(it - into->services.begin());
    if (it == into->services.end()) into->services.push_back(std::move(piece.services[i]));
  }
  for (TraceResult::SpanMark& m : piece.spans_seen) m.service = renumber[m.service];
  std::vector<TraceResult::SpanMark> seen;
  seen.reserve(into->spans_seen.size() + piece.spans_seen.size());
  std::set_union(into->spans_seen.begin(), into->spans_seen.end(), piece.spans_seen.begin(), piece.spans_seen.end(),
                 std::back_inserter(seen));
  into->spans_seen = std::move(seen);
  CountServices(into);
  for (SpansetOut& set : piece.spansets) {
    auto same = std::find_if(into->spansets.begin(), into->spansets.end(),
                             [&](const SpansetOut& o) { return o.attributes == set.attributes; });
    if (same == into->spansets.end()) {
      into->spansets.push_back(std::move(set));
    } else {
      JoinSpanset(std::move(set), &*same, spss);
    }
  }
}

}  // namespace rubato::query::search
