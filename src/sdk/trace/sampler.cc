#include "sdk/trace/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sdk/trace/env_values.h"
#include "sdk/trace/sampler_shortcut.h"

namespace rubato::sdk {

namespace {

class AlwaysOn final : public Sampler {
 public:
  SamplingDecision ShouldSample(const Context&, const model::TraceId&, std::string_view, SpanKind) const override {
    return SamplingDecision::kRecordAndSample;
  }
  std::string Description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOff final : public Sampler {
 public:
  SamplingDecision ShouldSample(const Context&, const model::TraceId&, std::string_view, SpanKind) const override {
    return SamplingDecision::kDrop;
  }
  std::string Description() const override { return "AlwaysOffSampler"; }
};

// (The built-in samplers are final: a match is that very sampler.)
template <typename T>
bool Is(const std::unique_ptr<Sampler>& s) {
  return dynamic_cast<const T*>(s.get()) != nullptr;
}

constexpr uint64_t kTwoPow56 = uint64_t{1} << 56;

class TraceIdRatio final : public Sampler {
 public:
  explicit TraceIdRatio(double ratio) : ratio_(std::isnan(ratio) ? 0 : std::clamp(ratio, 0.0, 1.0)) {
    // The rejection threshold of the OTel spec's consistent probability
    // sampling: T = (1 - ratio) * 2^56, so ratio 0 rejects every R < 2^56.
    auto accept = static_cast<uint64_t>(std::llround(std::ldexp(ratio_, 56)));
    threshold_ = kTwoPow56 - std::min(accept, kTwoPow56);
  }

  SamplingDecision ShouldSample(const Context&, const model::TraceId& trace_id, std::string_view,
                                SpanKind) const override {
    uint64_t r = 0;
    for (size_t i = 9; i < 16; ++i) r = r << 8 | trace_id.bytes[i];
    return r >= threshold_ ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop;
  }

  std::string Description() const override {
    // Six decimals as the spec's example, more when six would not tell two
    // ratios apart.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", ratio_);
    if (std::strtod(buf, nullptr) != ratio_) std::snprintf(buf, sizeof buf, "%.17g", ratio_);
    return std::string("TraceIdRatioBased{") + buf + "}";
  }

 private:
  double ratio_;
  uint64_t threshold_;
};

class ParentBased final : public Sampler {
 public:
  ParentBased(std::unique_ptr<Sampler> root, std::unique_ptr<Sampler> remote_sampled,
              std::unique_ptr<Sampler> remote_not_sampled, std::unique_ptr<Sampler> local_sampled,
              std::unique_ptr<Sampler> local_not_sampled)
      : root_(std::move(root)),
        remote_sampled_(remote_sampled ? std::move(remote_sampled) : AlwaysOnSampler()),
        remote_not_sampled_(remote_not_sampled ? std::move(remote_not_sampled) : AlwaysOffSampler()),
        local_sampled_(local_sampled ? std::move(local_sampled) : AlwaysOnSampler()),
        local_not_sampled_(local_not_sampled ? std::move(local_not_sampled) : AlwaysOffSampler()) {}

  SamplingDecision ShouldSample(const Context& parent, const model::TraceId& trace_id, std::string_view name,
                                SpanKind kind) const override {
    const SpanContext& p = parent.span_context();
    const Sampler* delegate;
    if (!p.IsValid()) {
      delegate = root_.get();
    } else if (p.remote) {
      delegate = p.IsSampled() ? remote_sampled_.get() : remote_not_sampled_.get();
    } else {
      delegate = p.IsSampled() ? local_sampled_.get() : local_not_sampled_.get();
    }
    return delegate->ShouldSample(parent, trace_id, name, kind);
  }

  std::string Description() const override {
    return "ParentBased{root:" + root_->Description() + ",remoteParentSampled:" + remote_sampled_->Description() +
           ",remoteParentNotSampled:" + remote_not_sampled_->Description() +
           ",localParentSampled:" + local_sampled_->Description() +
           ",localParentNotSampled:" + local_not_sampled_->Description() + "}";
  }

  // parentbased_always_on with the default delegates.
  bool FollowsParentElseAlwaysOn() const {
    return Is<AlwaysOn>(root_) && Is<AlwaysOn>(remote_sampled_) && Is<AlwaysOn>(local_sampled_) &&
           Is<AlwaysOff>(remote_not_sampled_) && Is<AlwaysOff>(local_not_sampled_);
  }

 private:
  std::unique_ptr<Sampler> root_, remote_sampled_, remote_not_sampled_, local_sampled_, local_not_sampled_;
};

}  // namespace

SamplerShortcut ShortcutFor(const Sampler& sampler) {
  if (dynamic_cast<const AlwaysOn*>(&sampler) != nullptr) return SamplerShortcut::kAlwaysOn;
  const auto* parent_based = dynamic_cast<const ParentBased*>(&sampler);
  if (parent_based != nullptr && parent_based->FollowsParentElseAlwaysOn()) {
    return SamplerShortcut::kParentBasedAlwaysOn;
  }
  return SamplerShortcut::kNone;
}

std::unique_ptr<Sampler> AlwaysOnSampler() { return std::make_unique<AlwaysOn>(); }
std::unique_ptr<Sampler> AlwaysOffSampler() { return std::make_unique<AlwaysOff>(); }
std::unique_ptr<Sampler> TraceIdRatioSampler(double ratio) { return std::make_unique<TraceIdRatio>(ratio); }

std::unique_ptr<Sampler> ParentBasedSampler(std::unique_ptr<Sampler> root) {
  return ParentBasedSampler(std::move(root), nullptr, nullptr, nullptr, nullptr);
}

std::unique_ptr<Sampler> ParentBasedSampler(std::unique_ptr<Sampler> root, std::unique_ptr<Sampler> remote_sampled,
                                            std::unique_ptr<Sampler> remote_not_sampled,
                                            std::unique_ptr<Sampler> local_sampled,
                                            std::unique_ptr<Sampler> local_not_sampled) {
  if (!root) root = AlwaysOnSampler();
  return std::make_unique<ParentBased>(std::move(root), std::move(remote_sampled), std::move(remote_not_sampled),
                                       std::move(local_sampled), std::move(local_not_sampled));
}

std::unique_ptr<Sampler> SamplerFromEnvironment(const Environment& env, EnvWarnings* warnings) {
  enum Kind { kOn, kOff, kRatio, kParentOn, kParentOff, kParentRatio };
  auto parse = [](std::string_view name) -> std::optional<Kind> {
    const std::pair<std::string_view, Kind> names[] = {
        {"always_on", kOn},          {"always_off", kOff},
        {"traceidratio", kRatio},    {"parentbased_always_on", kParentOn},
        {"parentbased_always_off", kParentOff}, {"parentbased_traceidratio", kParentRatio}};
    for (const auto& [n, k] : names) {
      if (n == name) return k;
    }
    return std::nullopt;
  };
  Kind kind = EnvParsed<Kind>(env, "OTEL_TRACES_SAMPLER", parse,
                              "always_on, always_off, traceidratio, parentbased_always_on, "
                              "parentbased_always_off or parentbased_traceidratio",
                              warnings)
                  .value_or(kParentOn);
  switch (kind) {
    case kOn: return AlwaysOnSampler();
    case kOff: return AlwaysOffSampler();
    case kParentOn: return ParentBasedSampler(AlwaysOnSampler());
    case kParentOff: return ParentBasedSampler(AlwaysOffSampler());
    default: break;
  }
  // The spec's default ratio when the argument is unset or unusable.
  double ratio = EnvRatio(env, "OTEL_TRACES_SAMPLER_ARG", warnings).value_or(1.0);
  if (kind == kRatio) return TraceIdRatioSampler(ratio);
  return ParentBasedSampler(TraceIdRatioSampler(ratio));
}

}  // namespace rubato::sdk
