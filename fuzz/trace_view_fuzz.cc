// Fuzzes what `rubato trace` and `rubato search` read from a server and draw
// (src/trace_view/). The first byte picks the input: 0 an OTLP protobuf trace,
// 1 an OTLP/JSON trace, 2 a search answer, 3 spans built straight from the
// bytes (cycles, missing parents, duplicate IDs, zero/negative durations,
// times near 2^64), 4 a --server URL (net/url.h). Properties checked: the waterfall has
// one line per distinct span, no control characters, a time share of at most
// 100 %, and does not depend on the order spans arrive in; durations print
// as what they are; search tables have one line per hit.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/batch.h"
#include "net/url.h"
#include "otlp/json_decoder.h"
#include "otlp/protobuf_decoder.h"
#include "trace_view/batch_spans.h"
#include "trace_view/duration_text.h"
#include "trace_view/search_results.h"
#include "trace_view/server_url.h"
#include "trace_view/waterfall.h"

namespace {

using namespace rubato;
using trace_view::WaterfallSpan;

void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "trace_view_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

size_t Lines(std::string_view text) {
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

void CheckNoControlBytes(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n') || u == 0x7f) Fail("output holds a control character", text);
  }
}

// "342ms" must say round(nanos / 1e6); "2.4ms" and "850µs" must be close to nanos.
void CheckDuration(uint64_t nanos) {
  std::string text = trace_view::DurationText(nanos);
  if (nanos > 0 && text == "0ms") Fail("a positive duration prints as 0ms", std::to_string(nanos));
  if (nanos < 9950000) return;
  unsigned __int128 want = (static_cast<unsigned __int128>(nanos) + 500000) / 1000000;
  if (text != std::to_string(static_cast<uint64_t>(want)) + "ms") {
    Fail("duration prints wrong", std::to_string(nanos) + " ns → " + text);
  }
}

void CheckWaterfall(const std::string& trace_id, const std::vector<WaterfallSpan>& spans) {
  std::string out = trace_view::RenderWaterfall(trace_id, spans);
  if (out.rfind("Trace ID: ", 0) != 0) Fail("no header line", out);
  std::set<std::string> ids;
  for (const auto& s : spans) ids.insert(s.span_id);
  if (Lines(out) != 1 + ids.size()) Fail("not one line per distinct span", out);
  CheckNoControlBytes(out);
  // The mark's arrow could also come from a span's own text: then skip this part.
  bool arrow_in_text = trace_id.find("←") != std::string::npos;
  for (const auto& s : spans) {
    for (const std::string* t : {&s.service, &s.name, &s.status_message}) {
      arrow_in_text = arrow_in_text || t->find("←") != std::string::npos;
    }
  }
  size_t marks = 0;
  for (size_t at = arrow_in_text ? std::string::npos : out.find("← "); at != std::string::npos;
       at = out.find("← ", at + 1)) {
    ++marks;
    size_t open = out.find(" in here (", at);
    if (open == std::string::npos) Fail("hot-span mark without its share", out);
    unsigned long pct = std::strtoul(out.c_str() + open + 10, nullptr, 10);
    if (pct > 100) Fail("hot span takes over 100%", out);
    if (ids.size() == 1 && pct != 100) Fail("a lone span does not take 100%", out);
  }
  if (marks > 1) Fail("more than one hot span", out);
  // What the rows print: offsets from the trace's start, and its total.
  uint64_t t0 = UINT64_MAX, t1 = 0;
  for (const auto& s : spans) {
    t0 = std::min(t0, s.start_unix_nano);
    t1 = std::max({t1, s.start_unix_nano, s.end_unix_nano});
  }
  for (const auto& s : spans) {
    CheckDuration(s.start_unix_nano - t0);
    CheckDuration(std::max(s.start_unix_nano, s.end_unix_nano) - t0);
  }
  if (!spans.empty()) CheckDuration(t1 - t0);
  // With distinct IDs the picture is a function of the set of spans.
  if (ids.size() == spans.size()) {
    std::vector<WaterfallSpan> reversed(spans.rbegin(), spans.rend());
    if (trace_view::RenderWaterfall(trace_id, reversed) != out) Fail("picture depends on input order", out);
  }
}

void CheckBatch(const model::Batch& batch) {
  std::vector<WaterfallSpan> spans = trace_view::WaterfallSpansFromBatch(batch);
  if (spans.size() != batch.spans.size()) Fail("spans lost converting the batch", "");
  for (size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].parent_id.empty() != batch.spans[i].is_root()) Fail("root-ness changed", spans[i].span_id);
  }
  std::string id = batch.spans.empty() ? "" : batch.spans.front().trace_id.ToHex();
  CheckWaterfall(id, spans);
}

void CheckSearch(std::string_view json) {
  auto hits = trace_view::ParseSearchResponse(json);
  if (!hits.ok()) {
    if (hits.status().message().rfind("search answer", 0) != 0) Fail("error without origin", hits.status().message());
    return;
  }
  for (const auto& h : hits.value()) {
    if (h.trace_id.empty() || h.trace_id.size() > 64) Fail("trace ID length out of bounds", h.trace_id);
  }
  std::string table = trace_view::RenderSearchHits(hits.value());
  CheckNoControlBytes(table);
  size_t want = hits.value().empty() ? 1 : hits.value().size() + 2;
  if (Lines(table) != want) Fail("not one line per hit", table);
}

// Spans from the bytes: IDs from a small alphabet so that parents, cycles and
// duplicates are common; times small, near each other or near 2^64.
std::vector<WaterfallSpan> SpansFrom(FuzzedDataProvider& in) {
  std::vector<WaterfallSpan> spans;
  auto id = [&] { return std::string(1, static_cast<char>('a' + in.ConsumeIntegralInRange(0, 11))); };
  auto time = [&]() -> uint64_t {
    switch (in.ConsumeIntegralInRange(0, 3)) {
      case 0: return in.ConsumeIntegralInRange<uint64_t>(0, 2000);
      case 1: return 1700000000000000000ULL + in.ConsumeIntegralInRange<uint64_t>(0, 10000000000ULL);
      case 2: return UINT64_MAX - in.ConsumeIntegralInRange<uint64_t>(0, 1000000000ULL);
      default: return in.ConsumeIntegral<uint64_t>();
    }
  };
  while (in.remaining_bytes() > 0 && spans.size() < 200) {
    WaterfallSpan s;
    s.span_id = id();
    if (in.ConsumeBool()) s.parent_id = in.ConsumeBool() ? id() : "zz";  // "zz": a parent never seen
    s.service = in.ConsumeRandomLengthString(40);
    s.name = in.ConsumeRandomLengthString(120);
    s.start_unix_nano = time();
    s.end_unix_nano = in.ConsumeBool() ? time() : s.start_unix_nano;
    s.error = in.ConsumeBool();
    if (s.error) s.status_message = in.ConsumeRandomLengthString(200);
    spans.push_back(std::move(s));
  }
  return spans;
}

void CheckServerUrl(std::string_view url) {
  auto parsed = trace_view::ParseServerUrl(url);
  if (!parsed.ok()) {
    if (parsed.status().message().rfind("server URL '", 0) != 0) Fail("error without origin", url);
    return;
  }
  const auto& u = parsed.value();
  if (u.host.empty() || u.port == 0) Fail("accepted a URL without host or port", url);
  if (!u.base_path.empty() && (u.base_path.front() != '/' || u.base_path.back() == '/')) {
    Fail("base path not of the form /prefix", u.base_path);
  }
  for (char c : u.host + u.base_path) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '#') Fail("space, control or '#' accepted", url);
  }
  // With the scheme required, the same parser agrees or refuses.
  auto strict = net::ParseHttpUrl(url);
  if (strict.ok() && (strict->authority.host != u.host || strict->authority.port != u.port ||
                      strict->target.empty() || strict->target.front() != '/')) {
    Fail("strict and lenient parses differ", url);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      model::Batch batch;
      if (otlp::DecodeProtobuf(std::string(rest), &batch).ok()) CheckBatch(batch);
      break;
    }
    case 1: {
      model::Batch batch;
      if (otlp::DecodeJson(rest, &batch).ok()) CheckBatch(batch);
      break;
    }
    case 2:
      CheckSearch(rest);
      break;
    case 3: {
      FuzzedDataProvider in(data + 1, size - 1);
      std::string trace_id = in.ConsumeRandomLengthString(40);
      CheckWaterfall(trace_id, SpansFrom(in));
      break;
    }
    default:
      CheckServerUrl(rest);
  }
  return 0;
}
