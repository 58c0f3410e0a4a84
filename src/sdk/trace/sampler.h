// Sampler: decides at span start whether a span is recorded and exported
// (always_on, always_off, traceidratio, parentbased_*; OTEL_TRACES_SAMPLER).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "sdk/trace/context.h"
#include "sdk/trace/environment.h"
#include "sdk/trace/span.h"
#include "status/status.h"

namespace rubato::sdk {

enum class SamplingDecision { kDrop, kRecordOnly, kRecordAndSample };

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual SamplingDecision ShouldSample(const Context& parent, const model::TraceId& trace_id,
                                        std::string_view name, SpanKind kind) const = 0;
  // As the spec's GetDescription, e.g. "TraceIdRatioBased{0.250000}".
  virtual std::string Description() const = 0;
};

std::unique_ptr<Sampler> AlwaysOnSampler();
std::unique_ptr<Sampler> AlwaysOffSampler();
// Samples when the trace ID's right-most 7 bytes (56 bits of W3C Level 2
// randomness), read big-endian, are >= round((1 - ratio) * 2^56). Ratios are
// clamped to [0, 1].
std::unique_ptr<Sampler> TraceIdRatioSampler(double ratio);
// Spec defaults for the delegates: remote/local parent sampled → always_on,
// not sampled → always_off.
std::unique_ptr<Sampler> ParentBasedSampler(std::unique_ptr<Sampler> root);
// Every delegate given; a null one takes the default above.
std::unique_ptr<Sampler> ParentBasedSampler(std::unique_ptr<Sampler> root, std::unique_ptr<Sampler> remote_sampled,
                                            std::unique_ptr<Sampler> remote_not_sampled,
                                            std::unique_ptr<Sampler> local_sampled,
                                            std::unique_ptr<Sampler> local_not_sampled);
// OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG; default parentbased_always_on.
// An unknown name, or an argument that is not a ratio in [0, 1], is warned
// about and its default used (parentbased_always_on; ratio 1).
std::unique_ptr<Sampler> SamplerFromEnvironment(const Environment& env, EnvWarnings* warnings);

}  // namespace rubato::sdk
