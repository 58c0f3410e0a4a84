// FanoutExporter: hands each batch to several exporters in turn, for
// OTEL_TRACES_EXPORTER lists such as "otlp,console".
#pragma once

#include <memory>
#include <vector>

#include "sdk/trace/span_exporter.h"

namespace rubato::sdk {

class FanoutExporter final : public SpanExporter {
 public:
  explicit FanoutExporter(std::vector<std::unique_ptr<SpanExporter>> exporters) : exporters_(std::move(exporters)) {}

  // Every exporter gets the batch, even after one fails; the first failure is returned.
  Status Export(const model::Batch& batch) override {
    Status first;
    for (auto& e : exporters_) {
      Status s = e->Export(batch);
      if (first.ok() && !s.ok()) first = std::move(s);
    }
    return first;
  }
  Status ForceFlush(std::chrono::milliseconds timeout) override {
    Status first;
    for (auto& e : exporters_) {
      Status s = e->ForceFlush(timeout);
      if (first.ok() && !s.ok()) first = std::move(s);
    }
    return first;
  }
  void Shutdown() override {
    for (auto& e : exporters_) e->Shutdown();
  }

 private:
  std::vector<std::unique_ptr<SpanExporter>> exporters_;
};

}  // namespace rubato::sdk
