#include "sdk/trace/tracer.h"

#include <utility>

#include "sdk/trace/clock.h"
#include "sdk/trace/id_generator.h"
#include "sdk/trace/provider_state.h"
#include "sdk/trace/span_clock.h"
#include "sdk/trace/span_record.h"

namespace rubato::sdk {

Span Tracer::StartSpan(std::string_view name, const StartSpanOptions& options) const {
  const Context& parent = options.parent != nullptr ? *options.parent : Context::Current();
  const SpanContext& parent_span = parent.span_context();
  TracerProviderState* state = state_;
  if (state == nullptr || state->disabled || state->shut_down.load(std::memory_order_relaxed)) {
    // A no-op span carries its parent's context, so propagation still
    // passes the caller's trace through this process.
    return Span(nullptr, parent_span);
  }

  const bool has_parent = parent_span.IsValid();
  SpanContext context;
  context.trace_id = has_parent ? parent_span.trace_id : NewTraceId();
  context.span_id = NewSpanId();
  SamplingDecision decision = state->sampler->ShouldSample(parent, context.trace_id, name, options.kind);
  // The random flag belongs to the trace ID: kept from the parent, set for
  // the IDs generated here (all random).
  context.trace_flags = has_parent ? (parent_span.trace_flags & SpanContext::kRandom) : SpanContext::kRandom;
  if (decision == SamplingDecision::kRecordAndSample) context.trace_flags |= SpanContext::kSampled;
  if (has_parent && !parent_span.trace_state.empty()) context.trace_state = parent_span.trace_state;
  if (decision == SamplingDecision::kDrop) return Span(nullptr, std::move(context));

  SpanRecord* r = state->pool.Acquire();
  r->trace_id = context.trace_id;
  r->span_id = context.span_id;
  r->parent_span_id = has_parent ? parent_span.span_id : model::SpanId();
  r->parent_remote = has_parent && parent_span.remote;
  r->trace_flags = context.trace_flags;
  r->kind = options.kind;
  if (!context.trace_state.empty()) r->trace_state.assign(context.trace_state);
  r->scope = scope_;
  r->provider = state;
  if (options.start_time_unix_nano != 0) {
    r->start_time_unix_nano = options.start_time_unix_nano;
    r->start_ticks = 0;
  } else {
    SpanStart now = StartTime();
    r->start_time_unix_nano = now.unix_nano;
    r->start_ticks = now.ticks;
  }
  r->SetName(name);
  for (const Attribute& attr : options.attributes) r->SetAttribute(state->limits, attr.key, attr.value);
  for (const SpanContext& link : options.links) r->AddLink(state->limits, link, {});
  return Span(r, std::move(context));
}

}  // namespace rubato::sdk
