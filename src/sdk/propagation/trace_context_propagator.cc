// "tracecontext": W3C traceparent and tracestate.
#include "sdk/propagation/text_map.h"
#include "sdk/propagation/traceparent.h"
#include "sdk/propagation/tracestate.h"

namespace rubato::sdk {

namespace {

class TraceContext final : public TextMapPropagator {
 public:
  void Inject(const Context& context, TextMapCarrier& carrier) const override {
    const SpanContext& sc = context.span_context();
    if (!sc.IsValid()) return;
    carrier.Set("traceparent", FormatTraceParent(sc));
    if (!sc.trace_state.empty()) carrier.Set("tracestate", sc.trace_state);
  }

  Context Extract(const TextMapCarrier& carrier, const Context& base) const override {
    std::vector<std::string_view> parents = carrier.GetAll("traceparent");
    // Zero or several traceparent headers: nothing to continue, a new trace.
    if (parents.size() != 1) return base;
    std::optional<TraceParent> tp = ParseTraceParent(parents[0]);
    if (!tp) return base;  // and tracestate is not even looked at
    SpanContext sc;
    sc.trace_id = tp->trace_id;
    sc.span_id = tp->parent_id;
    sc.trace_flags = tp->trace_flags;
    sc.remote = true;
    // Several tracestate headers are one list, combined as RFC 7230 says.
    std::string combined;
    std::vector<std::string_view> states = carrier.GetAll("tracestate");
    for (size_t i = 0; i < states.size(); ++i) {
      if (i > 0) combined.push_back(',');
      combined.append(states[i]);
    }
    if (std::optional<std::string> ts = ParseTraceState(combined)) sc.trace_state = std::move(*ts);
    return base.WithSpanContext(std::move(sc));
  }
};

}  // namespace

std::unique_ptr<TextMapPropagator> TraceContextPropagator() { return std::make_unique<TraceContext>(); }

}  // namespace rubato::sdk
