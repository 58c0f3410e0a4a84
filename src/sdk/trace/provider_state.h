// TracerProviderState: what a TracerProvider's tracers and spans share (the
// resource, sampler, limits, processors and span pool). Private to the SDK.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sdk/trace/sampler_shortcut.h"
#include "sdk/trace/span_pool.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {

// One (name, version) of GetTracer, alive as long as its provider, so a
// record can point at it until it is exported.
struct InstrumentationScope {
  std::string name;
  std::string version;
  const TracerProviderState* provider = nullptr;
};

class TracerProviderState {
 public:
  explicit TracerProviderState(TracerProviderOptions options);

  // Hands an ended span to the processors (or back to the pool).
  void EndSpan(SpanRecord* record);
  const InstrumentationScope* Scope(std::string_view name, std::string_view version);

  // Declared before the processors, so destroyed after them: a processor
  // may still hand records back, or read a scope, while it stops.
  SpanPool pool;
  const Resource resource;
  const std::unique_ptr<Sampler> sampler;
  const SamplerShortcut sampler_shortcut;  // of `sampler`
  const SpanLimits limits;
  const bool disabled;
  std::atomic<bool> shut_down{false};

 private:
  std::mutex scopes_mu_;
  std::vector<std::unique_ptr<InstrumentationScope>> scopes_;  // guarded by scopes_mu_

 public:
  const std::vector<std::unique_ptr<SpanProcessor>> processors;
};

}  // namespace rubato::sdk
