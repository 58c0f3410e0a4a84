// Propagation over text maps (HTTP headers): W3C traceparent/tracestate and
// Baggage, composed from OTEL_PROPAGATORS (default "tracecontext,baggage").
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "sdk/trace/context.h"
#include "sdk/trace/environment.h"
#include "status/status.h"

namespace rubato::sdk {

// Header access for a propagator. Keys are lower-case; lookups are case-insensitive.
class TextMapCarrier {
 public:
  virtual ~TextMapCarrier() = default;
  // Every value of the header, in order (a repeated traceparent means a new trace).
  virtual std::vector<std::string_view> GetAll(std::string_view key) const = 0;
  // Replaces any existing value.
  virtual void Set(std::string_view key, std::string_view value) = 0;
};

class TextMapPropagator {
 public:
  virtual ~TextMapPropagator() = default;
  virtual void Inject(const Context& context, TextMapCarrier& carrier) const = 0;
  // Returns `base` with what the carrier holds; invalid headers are ignored
  // as the specs require (never an error).
  virtual Context Extract(const TextMapCarrier& carrier, const Context& base) const = 0;
};

std::unique_ptr<TextMapPropagator> TraceContextPropagator();  // "tracecontext"
std::unique_ptr<TextMapPropagator> BaggagePropagator();       // "baggage"
std::unique_ptr<TextMapPropagator> CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> parts);
// OTEL_PROPAGATORS: an unknown name is warned about and skipped (when no
// supported one is left, the default applies); "none" alone gives a
// propagator that does nothing.
std::unique_ptr<TextMapPropagator> PropagatorFromEnvironment(const Environment& env, EnvWarnings* warnings);

// The process-wide propagator used by the HTTP instrumentation (default: tracecontext,baggage).
const TextMapPropagator& GlobalPropagator();
void SetGlobalPropagator(std::unique_ptr<TextMapPropagator> propagator);

}  // namespace rubato::sdk
