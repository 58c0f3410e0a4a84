#include "trace_view/search_results.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>

namespace rubato::trace_view {
namespace {

// A JSON number, or a string holding one (jsonpb's 64-bit integers).
bool ReadUint(simdjson::dom::element e, uint64_t* out) {
  if (e.is_uint64()) return *out = e.get_uint64().value(), true;
  if (e.is_int64()) return *out = static_cast<uint64_t>(std::max<int64_t>(0, e.get_int64().value())), true;
  // Clamped: a double past 2^64 (1e300) does not convert to uint64_t (undefined behaviour).
  if (e.is_double()) {
    return *out = static_cast<uint64_t>(std::clamp(e.get_double().value(), 0.0, 18446744073709549568.0)), true;
  }
  if (e.is_string()) {
    std::string_view s = e.get_string().value();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
  }
  return false;
}

std::string StringField(simdjson::dom::object o, std::string_view key) {
  std::string_view s;
  if (o[key].get_string().get(s) != simdjson::SUCCESS) return "";
  return std::string(s);
}

std::string UtcTime(uint64_t unix_nano) {
  std::time_t secs = static_cast<std::time_t>(unix_nano / 1000000000ULL);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string Clean(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return s;
}

}  // namespace

Result<std::vector<SearchHit>> ParseSearchResponse(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.parse(json.data(), json.size()).get(doc); e != simdjson::SUCCESS) {
    return Status::InvalidArgument(std::string("search answer is not JSON: ") + simdjson::error_message(e));
  }
  simdjson::dom::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    return Status::InvalidArgument("search answer is not a JSON object");
  }
  std::vector<SearchHit> hits;
  simdjson::dom::element traces;
  if (root["traces"].get(traces) != simdjson::SUCCESS || traces.is_null()) return hits;  // none matched
  simdjson::dom::array list;
  if (traces.get_array().get(list) != simdjson::SUCCESS) {
    return Status::InvalidArgument("search answer: \"traces\" is not an array");
  }
  size_t n = 0;
  for (simdjson::dom::element t : list) {
    simdjson::dom::object o;
    if (t.get_object().get(o) != simdjson::SUCCESS) {
      return Status::InvalidArgument("search answer: traces[" + std::to_string(n) + "] is not an object");
    }
    SearchHit h;
    h.trace_id = Clean(StringField(o, "traceID"));
    if (h.trace_id.empty()) {
      return Status::InvalidArgument("search answer: traces[" + std::to_string(n) + "] has no traceID");
    }
    if (h.trace_id.size() > 64) {
      return Status::InvalidArgument("search answer: traces[" + std::to_string(n) + "].traceID is " +
                                     std::to_string(h.trace_id.size()) + " characters long (want at most 32)");
    }
    h.root_service = Clean(StringField(o, "rootServiceName"));
    h.root_name = Clean(StringField(o, "rootTraceName"));
    simdjson::dom::element v;
    if (o["startTimeUnixNano"].get(v) == simdjson::SUCCESS && !ReadUint(v, &h.start_unix_nano)) {
      return Status::InvalidArgument("search answer: traces[" + std::to_string(n) +
                                     "].startTimeUnixNano is not a number");
    }
    if (o["durationMs"].get(v) == simdjson::SUCCESS && !ReadUint(v, &h.duration_ms)) {
      return Status::InvalidArgument("search answer: traces[" + std::to_string(n) + "].durationMs is not a number");
    }
    hits.push_back(std::move(h));
    ++n;
  }
  return hits;
}

std::string RenderSearchHits(const std::vector<SearchHit>& hits) {
  if (hits.empty()) return "no traces matched\n";
  size_t id_w = 8;
  for (const auto& h : hits) id_w = std::max(id_w, h.trace_id.size());
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-*s  %-19s  %8s  %s\n", static_cast<int>(id_w), "TRACE ID", "START (UTC)",
                "DURATION", "ROOT");
  out += line;
  for (const auto& h : hits) {
    std::string root = h.root_service.empty() ? "?" : h.root_service;
    if (!h.root_name.empty()) root += ": " + h.root_name;
    std::string duration = h.duration_ms == 0 ? "<1ms" : std::to_string(h.duration_ms) + "ms";
    std::snprintf(line, sizeof line, "%-*s  %-19s  %8s  ", static_cast<int>(id_w), h.trace_id.c_str(),
                  UtcTime(h.start_unix_nano).c_str(), duration.c_str());
    out += line + root + "\n";
  }
  out += std::to_string(hits.size()) + (hits.size() == 1 ? " trace\n" : " traces\n");
  return out;
}

}  // namespace rubato::trace_view
