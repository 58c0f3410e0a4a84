// A TracerProvider exporting each span at once (simple processor) into a
// MemoryExporter, for tests that look at what one span recorded.
#pragma once

#include <memory>

#include "sdk/trace/tracer_provider.h"
#include "tests/sdk/trace/memory_exporter.h"

namespace rubato::sdk::testing {

struct TestProvider {
  explicit TestProvider(SpanLimits limits = {}, std::unique_ptr<Sampler> sampler = nullptr) {
    TracerProviderOptions options;
    options.resource.attributes = {{"service.name", "test-service"}};
    options.limits = limits;
    options.sampler = std::move(sampler);
    options.processors.push_back(SimpleSpanProcessor(std::make_unique<MemoryExporter>(log)));
    provider = std::make_unique<TracerProvider>(std::move(options));
  }

  Tracer tracer() { return provider->GetTracer("test-scope", "1.2.3"); }

  std::vector<ExportedSpan> spans() {
    std::lock_guard lock(log->mu);
    return log->spans;
  }

  std::shared_ptr<ExportLog> log = std::make_shared<ExportLog>();
  std::unique_ptr<TracerProvider> provider;
};

}  // namespace rubato::sdk::testing
