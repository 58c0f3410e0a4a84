// SpanLimits::FromEnvironment: the model-specific OTEL_SPAN_*/OTEL_EVENT_*/
// OTEL_LINK_* variables, falling back to the general OTEL_ATTRIBUTE_* ones,
// then to the spec's defaults (128 of everything, no value-length limit).
// A value that is not a count is warned about and skipped.
#include <optional>

#include "sdk/trace/env_values.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {

namespace {

// The first variable that is set to a usable value wins (an unusable one is
// warned about and skipped); `fallback` when none is.
uint32_t FirstOf(const Environment& env, std::string_view specific, std::string_view general, uint32_t fallback,
                 EnvWarnings* warnings) {
  for (std::string_view name : {specific, general}) {
    if (name.empty()) continue;
    if (std::optional<uint64_t> v = EnvUnsigned(env, name, 0, UINT32_MAX, warnings)) return static_cast<uint32_t>(*v);
  }
  return fallback;
}

}  // namespace

SpanLimits SpanLimits::FromEnvironment(const Environment& env, EnvWarnings* warnings) {
  SpanLimits limits;
  struct Field {
    uint32_t* out;
    std::string_view specific;
    std::string_view general;
  };
  const Field fields[] = {
      {&limits.attribute_count, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT"},
      {&limits.attribute_value_length, "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"},
      {&limits.event_count, "OTEL_SPAN_EVENT_COUNT_LIMIT", ""},
      {&limits.link_count, "OTEL_SPAN_LINK_COUNT_LIMIT", ""},
      {&limits.event_attribute_count, "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT"},
      {&limits.link_attribute_count, "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "OTEL_ATTRIBUTE_COUNT_LIMIT"},
  };
  for (const Field& f : fields) *f.out = FirstOf(env, f.specific, f.general, *f.out, warnings);
  return limits;
}

}  // namespace rubato::sdk
