// Fuzzes the W3C propagation codecs (traceparent, tracestate, baggage) and the
// default propagator over them. Input: header lines, "name: value" or a bare
// value (each codec then reads the whole line). Properties checked: what
// extracts re-injects to headers that extract to the same context; a parsed
// tracestate is at most 32 members and re-parses to itself; baggage stays
// within 64 members and 8192 bytes and survives serialize → parse unchanged.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/propagation/baggage_codec.h"
#include "sdk/propagation/text_map.h"
#include "sdk/propagation/traceparent.h"
#include "sdk/propagation/tracestate.h"

namespace {

using namespace rubato::sdk;

void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "propagation_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// Headers as a list, repeated names kept in order (as an HTTP message has them).
class ListCarrier final : public TextMapCarrier {
 public:
  std::vector<std::pair<std::string, std::string>> headers;

  std::vector<std::string_view> GetAll(std::string_view key) const override {
    std::vector<std::string_view> out;
    for (const auto& h : headers) {
      if (h.first == key) out.push_back(h.second);
    }
    return out;
  }
  void Set(std::string_view key, std::string_view value) override {
    std::erase_if(headers, [&](const auto& h) { return h.first == key; });
    headers.emplace_back(std::string(key), std::string(value));
  }
};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

bool SameBaggage(const std::vector<BaggageEntry>& a, const std::vector<BaggageEntry>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value || a[i].properties != b[i].properties) return false;
  }
  return true;
}

void CheckTraceParent(std::string_view line) {
  std::optional<TraceParent> tp = ParseTraceParent(line);
  if (!tp) return;
  if (tp->trace_id.IsZero() || tp->parent_id.IsZero()) Fail("traceparent with a zero ID accepted", line);
  SpanContext sc;
  sc.trace_id = tp->trace_id;
  sc.span_id = tp->parent_id;
  sc.trace_flags = tp->trace_flags;
  std::string formatted = FormatTraceParent(sc);
  if (formatted.size() != 55 || formatted.compare(0, 3, "00-") != 0) Fail("bad formatted traceparent", formatted);
  std::optional<TraceParent> again = ParseTraceParent(formatted);
  if (!again || again->trace_id != tp->trace_id || again->parent_id != tp->parent_id ||
      again->trace_flags != (tp->trace_flags & (SpanContext::kSampled | SpanContext::kRandom))) {
    Fail("traceparent does not round-trip", line);
  }
}

void CheckTraceState(std::string_view line) {
  std::optional<std::string> ts = ParseTraceState(line);
  if (!ts) return;
  size_t members = 0;
  if (!ts->empty()) {
    for (std::string_view m : Split(*ts, ',')) {
      size_t eq = m.find('=');
      if (eq == std::string_view::npos || !IsValidTraceStateKey(m.substr(0, eq)) ||
          !IsValidTraceStateValue(m.substr(eq + 1))) {
        Fail("tracestate kept an invalid member", m);
      }
      ++members;
    }
  }
  if (members > kMaxTraceStateMembers) Fail("tracestate over 32 members", *ts);
  std::optional<std::string> again = ParseTraceState(*ts);
  if (!again || *again != *ts) Fail("tracestate does not re-parse to itself", *ts);
}

void CheckBaggage(const std::vector<BaggageEntry>& entries, std::string_view from) {
  if (entries.size() > kMaxBaggageMembers) Fail("baggage over 64 members", from);
  std::string header = SerializeBaggage(entries);
  if (header.size() > kMaxBaggageBytes) Fail("serialized baggage over 8192 bytes", from);
  std::vector<BaggageEntry> again = ParseBaggage(header);
  if (!SameBaggage(entries, again)) Fail("baggage does not survive serialize → parse", header);
}

// Extract from the carrier, inject into a fresh one, extract again: the same context.
void CheckPropagator(const ListCarrier& in) {
  const TextMapPropagator& p = GlobalPropagator();  // tracecontext,baggage
  Context ctx = p.Extract(in, Context());
  const SpanContext& sc = ctx.span_context();
  if (sc.IsValid() != !sc.trace_id.IsZero()) Fail("extracted half a span context", "");
  ListCarrier out;
  p.Inject(ctx, out);
  Context back = p.Extract(out, Context());
  const SpanContext& sc2 = back.span_context();
  if (sc.IsValid()) {
    if (!sc.remote) Fail("extracted context is not remote", "");
    constexpr uint8_t kKnown = SpanContext::kSampled | SpanContext::kRandom;
    if (!sc2.IsValid() || sc2.trace_id != sc.trace_id || sc2.span_id != sc.span_id ||
        sc2.trace_flags != (sc.trace_flags & kKnown) || sc2.trace_state != sc.trace_state) {
      Fail("re-injected traceparent/tracestate extracts differently", FormatTraceParent(sc));
    }
    std::optional<std::string> ts = ParseTraceState(sc.trace_state);
    if (!ts || *ts != sc.trace_state) Fail("extracted tracestate is not canonical", sc.trace_state);
  } else if (sc2.IsValid()) {
    Fail("an invalid context injected a valid one", "");
  }
  CheckBaggage(ctx.baggage(), "extracted");
  if (!SameBaggage(ctx.baggage(), back.baggage())) Fail("re-injected baggage extracts differently", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ListCarrier carrier;
  for (std::string_view line : Split(input, '\n')) {
    CheckTraceParent(line);
    CheckTraceState(line);
    CheckBaggage(ParseBaggage(line), line);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);  // header names fold case
    std::string_view value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    carrier.headers.emplace_back(std::move(name), std::string(value));
  }
  CheckPropagator(carrier);
  return 0;
}
