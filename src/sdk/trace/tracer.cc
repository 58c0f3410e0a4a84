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

  // Built in the returned handle (no SpanContext moved into it, nor one
  // destroyed after).
  Span span;
  SpanContext& context = span.context_;
  const bool has_parent = parent_span.IsValid();
  if (has_parent) context.trace_id = parent_span.trace_id;
  NewSpanIds(has_parent ? nullptr : &context.trace_id, &context.span_id);
  SamplingDecision decision = state->sampler_shortcut != SamplerShortcut::kNone
                                  ? ShortcutDecision(state->sampler_shortcut, parent_span)
                                  : state->sampler->ShouldSample(parent, context.trace_id, name, options.kind);
  // The random flag belongs to the trace ID: kept from the parent, set for
  // the IDs generated here (all random).
  context.trace_flags = has_parent ? (parent_span.trace_flags & SpanContext::kRandom) : SpanContext::kRandom;
  if (decision == SamplingDecision::kRecordAndSample) context.trace_flags |= SpanContext::kSampled;
  if (has_parent && !parent_span.trace_state.empty()) [[unlikely]] context.trace_state = parent_span.trace_state;
  if (decision == SamplingDecision::kDrop) return span;

  SpanRecord* r = state->pool.Acquire();
  r->trace_id = context.trace_id;
  r->span_id = context.span_id;
  r->parent_span_id = has_parent ? parent_span.span_id : model::SpanId();
  r->parent_remote = has_parent && parent_span.remote;
  r->trace_flags = context.trace_flags;
  r->kind = options.kind;
  if (!context.trace_state.empty()) [[unlikely]] {
    r->trace_state.assign(context.trace_state);
    r->uncommon = true;
  }
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
  r->InitName(name);
  for (const Attribute& attr : options.attributes) r->SetAttribute(state->limits, attr.key, attr.value);
  for (const SpanContext& link : options.links) r->AddLink(state->limits, link, {});
  span.record_ = r;
  return span;
}

}  // namespace rubato::sdk
