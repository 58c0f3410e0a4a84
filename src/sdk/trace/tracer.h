// Tracer: starts spans for one instrumentation scope (name, version). A cheap
// copyable handle; obtain it from a TracerProvider or GetTracer().
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

#include "sdk/trace/attribute.h"
#include "sdk/trace/context.h"
#include "sdk/trace/span.h"

namespace rubato::sdk {

struct StartSpanOptions {
  SpanKind kind = SpanKind::kInternal;
  // The parent: nullptr means Context::Current(). Pass an empty Context for a root span.
  const Context* parent = nullptr;
  uint64_t start_time_unix_nano = 0;  // 0: now
  std::initializer_list<Attribute> attributes = {};  // seen by the sampler
  std::span<const SpanContext> links = {};
};

class TracerProviderState;     // private to the SDK
struct InstrumentationScope;  // private to the SDK

class Tracer {
 public:
  Tracer() = default;  // a no-op tracer
  Span StartSpan(std::string_view name, const StartSpanOptions& options = {}) const;

 private:
  friend class TracerProvider;
  Tracer(TracerProviderState* state, const InstrumentationScope* scope) : state_(state), scope_(scope) {}
  TracerProviderState* state_ = nullptr;
  const InstrumentationScope* scope_ = nullptr;
};

}  // namespace rubato::sdk
