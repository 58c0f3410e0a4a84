// TracerProvider: owns the resource, sampler, limits, span pool and
// processors; hands out Tracers. One per process, usually the global one.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include "sdk/trace/attribute.h"
#include "sdk/trace/environment.h"
#include "sdk/trace/sampler.h"
#include "sdk/trace/span_processor.h"
#include "sdk/trace/tracer.h"
#include "status/status.h"

namespace rubato::sdk {

// OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT, OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT,
// OTEL_SPAN_EVENT_COUNT_LIMIT, OTEL_SPAN_LINK_COUNT_LIMIT,
// OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT, OTEL_LINK_ATTRIBUTE_COUNT_LIMIT (and the
// OTEL_ATTRIBUTE_* general forms), with the spec's defaults.
struct SpanLimits {
  uint32_t attribute_count = 128;
  uint32_t attribute_value_length = UINT32_MAX;  // no limit
  uint32_t event_count = 128;
  uint32_t link_count = 128;
  uint32_t event_attribute_count = 128;
  uint32_t link_attribute_count = 128;
  // An unusable value is warned about and skipped (so the general variable,
  // or the default, applies).
  static SpanLimits FromEnvironment(const Environment& env, EnvWarnings* warnings);
};

// service.name from OTEL_SERVICE_NAME, else SERVICE_NAME (the seed's), else
// OTEL_RESOURCE_ATTRIBUTES, else "unknown_service:<exe>"; plus the other
// OTEL_RESOURCE_ATTRIBUTES and telemetry.sdk.{name,language,version}.
struct Resource {
  std::vector<std::pair<std::string, std::string>> attributes;
  // A malformed OTEL_RESOURCE_ATTRIBUTES is warned about and discarded whole,
  // as the spec says.
  static Resource FromEnvironment(const Environment& env, EnvWarnings* warnings);
};

struct TracerProviderOptions {
  Resource resource;
  std::unique_ptr<Sampler> sampler;  // null: parentbased_always_on
  SpanLimits limits;
  std::vector<std::unique_ptr<SpanProcessor>> processors;
  bool disabled = false;  // OTEL_SDK_DISABLED=true: every span is a no-op
};

class TracerProvider {
 public:
  explicit TracerProvider(TracerProviderOptions options);
  ~TracerProvider();  // Shutdown()
  TracerProvider(const TracerProvider&) = delete;
  TracerProvider& operator=(const TracerProvider&) = delete;

  // Everything from the environment, exporting to `exporter` through a batch
  // processor. A value the SDK cannot use is warned about on `diagnostics`
  // (one line naming the variable and value; nullptr: silent) and its default
  // used, as the spec requires: the SDK starts whatever the environment says.
  // (A Result still, so that callers written for the errors of old compile.)
  static Result<std::unique_ptr<TracerProvider>> FromEnvironment(const Environment& env,
                                                                 std::unique_ptr<SpanExporter> exporter,
                                                                 FILE* diagnostics = stderr);

  Tracer GetTracer(std::string_view name, std::string_view version = {});
  // Spans the processors dropped because their queue was full.
  uint64_t DroppedSpans() const;
  Status ForceFlush(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000));
  // Flushes, then stops the processors; later spans are no-ops. Idempotent.
  void Shutdown();

 private:
  std::unique_ptr<TracerProviderState> state_;
};

// The process-wide provider used by GetTracer and the HTTP instrumentation.
// Until one is set, tracers are no-ops. The provider must outlive its use.
void SetGlobalTracerProvider(TracerProvider* provider);
TracerProvider* GlobalTracerProvider();
Tracer GetTracer(std::string_view name, std::string_view version = {});

}  // namespace rubato::sdk
