// SpanLimits::FromEnvironment: the model-specific OTEL_SPAN_*/OTEL_EVENT_*/
// OTEL_LINK_* variables, falling back to the general OTEL_ATTRIBUTE_* ones,
// then to the spec's defaults (128 of everything, no value-length limit).
#include <optional>

#include "sdk/trace/env_values.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {

namespace {

// The first variable that is set wins; `fallback` when none is.
Result<uint32_t> FirstOf(const Environment& env, std::string_view specific, std::string_view general,
                         uint32_t fallback) {
  for (std::string_view name : {specific, general}) {
    if (name.empty()) continue;
    Result<std::optional<uint64_t>> v = EnvUnsigned(env, name, UINT32_MAX);
    if (!v.ok()) return v.status();
    if (*v) return static_cast<uint32_t>(**v);
  }
  return fallback;
}

}  // namespace

Result<SpanLimits> SpanLimits::FromEnvironment(const Environment& env) {
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
  for (const Field& f : fields) {
    Result<uint32_t> v = FirstOf(env, f.specific, f.general, *f.out);
    if (!v.ok()) return v.status();
    *f.out = *v;
  }
  return limits;
}

}  // namespace rubato::sdk
