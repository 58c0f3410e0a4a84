#include "query/search/search_json.h"

#include "otlp/json_writer.h"

namespace rubato::query::search {
namespace {

using otlp::JsonWriter;

void U32(JsonWriter& w, std::string_view key, uint64_t v) {
  if (v == 0) return;
  w.Key(key);
  w.Uint(v > UINT32_MAX ? UINT32_MAX : v);
}

void U64(JsonWriter& w, std::string_view key, uint64_t v) {
  if (v == 0) return;
  w.Key(key);
  w.QuotedUint(v);
}

// A key that is data (a service name): escaped as a JSON string would be.
// JsonWriter::Key writes its argument verbatim between quotes.
std::string EscapedKey(std::string_view key) {
  std::string quoted;
  JsonWriter(&quoted).String(key);
  return quoted.substr(1, quoted.size() - 2);
}

void WriteSpan(JsonWriter& w, const SpanOut& s) {
  w.BeginObject();
  w.Key("spanID");
  w.String(s.id.ToHex());
  if (!s.name.empty()) {
    w.Key("name");
    w.String(s.name);
  }
  U64(w, "startTimeUnixNano", s.start_unix_nano);
  U64(w, "durationNanos", s.duration_nanos);
  if (!s.attributes.empty()) {
    w.Key("attributes");
    WriteKeyValuesJson(s.attributes, &w);
  }
  w.EndObject();
}

void WriteSpanset(JsonWriter& w, const SpansetOut& set) {
  w.BeginObject();
  if (!set.spans.empty()) {
    w.Key("spans");
    w.BeginArray();
    for (const SpanOut& s : set.spans) WriteSpan(w, s);
    w.EndArray();
  }
  U32(w, "matched", set.matched);
  if (!set.attributes.empty()) {
    w.Key("attributes");
    WriteKeyValuesJson(set.attributes, &w);
  }
  w.EndObject();
}

void WriteTrace(JsonWriter& w, const TraceResult& t) {
  w.BeginObject();
  w.Key("traceID");
  w.String(TraceIdText(t.id));
  const std::string& service = t.has_root ? t.root_service : std::string(kRootSpanNotYetReceived);
  if (!service.empty()) {
    w.Key("rootServiceName");
    w.String(service);
  }
  if (t.has_root && !t.root_name.empty()) {
    w.Key("rootTraceName");
    w.String(t.root_name);
  }
  U64(w, "startTimeUnixNano", t.start_unix_nano);
  U32(w, "durationMs", t.duration_ms());
  if (!t.spansets.empty()) {
    w.Key("spanSet");  // deprecated by Tempo, still filled: the first spanset
    WriteSpanset(w, t.spansets.front());
    w.Key("spanSets");
    w.BeginArray();
    for (const SpansetOut& set : t.spansets) WriteSpanset(w, set);
    w.EndArray();
  }
  if (!t.service_stats.empty()) {
    w.Key("serviceStats");
    w.BeginObject();
    for (const auto& [name, st] : t.service_stats) {
      w.Key(EscapedKey(name));
      w.BeginObject();
      U32(w, "spanCount", st.span_count);
      U32(w, "errorCount", st.error_count);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string TraceIdText(const model::TraceId& id) {
  std::string hex = id.ToHex();
  size_t nz = hex.find_first_not_of('0');
  return nz == std::string::npos ? "0" : hex.substr(nz);
}

std::string SearchResponseJson(const SearchResponse& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("traces");
  w.BeginArray();
  for (const TraceResult& t : r.traces) WriteTrace(w, t);
  w.EndArray();
  const SearchMetrics& m = r.metrics;
  w.Key("metrics");
  w.BeginObject();
  U32(w, "inspectedTraces", m.inspected_traces);
  U64(w, "inspectedBytes", m.inspected_bytes);
  U32(w, "totalBlocks", m.total_blocks);
  U32(w, "completedJobs", m.completed_jobs);
  U32(w, "totalJobs", m.total_jobs);
  U64(w, "totalBlockBytes", m.total_block_bytes);
  U64(w, "inspectedSpans", m.inspected_spans);
  w.EndObject();
  w.EndObject();
  return out;
}

}  // namespace rubato::query::search
