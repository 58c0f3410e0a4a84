#include "sdk/trace/tracer_provider.h"

#include <atomic>
#include <utility>

#include "sdk/trace/env_values.h"
#include "sdk/trace/provider_state.h"

namespace rubato::sdk {

namespace {
std::atomic<TracerProvider*> global_provider{nullptr};

std::unique_ptr<Sampler> DefaultSampler(std::unique_ptr<Sampler> sampler) {
  return sampler ? std::move(sampler) : ParentBasedSampler(AlwaysOnSampler());
}
}  // namespace

TracerProviderState::TracerProviderState(TracerProviderOptions options)
    : resource(std::move(options.resource)),
      sampler(DefaultSampler(std::move(options.sampler))),
      sampler_shortcut(ShortcutFor(*sampler)),
      limits(options.limits),
      disabled(options.disabled),
      processors(std::move(options.processors)) {}

void TracerProviderState::EndSpan(SpanRecord* record) {
  if (processors.empty() || shut_down.load(std::memory_order_relaxed)) {
    pool.Release(record);
    return;
  }
  // One reference per processor, set before any of them can publish the
  // record to another thread.
  record->references.store(static_cast<uint32_t>(processors.size()), std::memory_order_relaxed);
  for (const auto& processor : processors) processor->OnEnd(*record);
}

const InstrumentationScope* TracerProviderState::Scope(std::string_view name, std::string_view version) {
  std::lock_guard lock(scopes_mu_);
  for (const auto& scope : scopes_) {
    if (scope->name == name && scope->version == version) return scope.get();
  }
  auto scope = std::make_unique<InstrumentationScope>();
  scope->name = std::string(name);
  scope->version = std::string(version);
  scope->provider = this;
  scopes_.push_back(std::move(scope));
  return scopes_.back().get();
}

TracerProvider::TracerProvider(TracerProviderOptions options)
    : state_(std::make_unique<TracerProviderState>(std::move(options))) {}

TracerProvider::~TracerProvider() {
  TracerProvider* self = this;
  global_provider.compare_exchange_strong(self, nullptr);  // never leave a dangling global
  Shutdown();
}

Result<std::unique_ptr<TracerProvider>> TracerProvider::FromEnvironment(const Environment& env,
                                                                        std::unique_ptr<SpanExporter> exporter,
                                                                        FILE* diagnostics) {
  EnvWarnings warnings;
  TracerProviderOptions options;
  options.disabled = EnvBool(env, "OTEL_SDK_DISABLED", &warnings).value_or(false);
  options.resource = Resource::FromEnvironment(env, &warnings);
  options.sampler = SamplerFromEnvironment(env, &warnings);
  options.limits = SpanLimits::FromEnvironment(env, &warnings);
  BatchProcessorOptions batch = BatchProcessorOptions::FromEnvironment(env, &warnings);
  PrintEnvWarnings(warnings, diagnostics);
  if (!options.disabled && exporter) options.processors.push_back(BatchSpanProcessor(std::move(exporter), batch));
  return std::make_unique<TracerProvider>(std::move(options));
}

Tracer TracerProvider::GetTracer(std::string_view name, std::string_view version) {
  return Tracer(state_.get(), state_->Scope(name, version));
}

uint64_t TracerProvider::DroppedSpans() const {
  uint64_t total = 0;
  for (const auto& processor : state_->processors) total += processor->DroppedSpans();
  return total;
}

Status TracerProvider::ForceFlush(std::chrono::milliseconds timeout) {
  Status result;
  for (const auto& processor : state_->processors) {
    Status s = processor->ForceFlush(timeout);
    if (!s.ok() && result.ok()) result = std::move(s);
  }
  return result;
}

void TracerProvider::Shutdown() {
  if (state_->shut_down.exchange(true)) return;
  for (const auto& processor : state_->processors) processor->Shutdown();
}

void SetGlobalTracerProvider(TracerProvider* provider) { global_provider.store(provider); }

TracerProvider* GlobalTracerProvider() { return global_provider.load(); }

Tracer GetTracer(std::string_view name, std::string_view version) {
  TracerProvider* provider = global_provider.load(std::memory_order_acquire);
  return provider != nullptr ? provider->GetTracer(name, version) : Tracer();
}

}  // namespace rubato::sdk
