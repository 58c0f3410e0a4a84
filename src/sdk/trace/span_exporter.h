// SpanExporter: where the SDK's finished spans go (OTLP over gRPC or HTTP, the
// console, a test's memory). The seam between span processing (src/sdk/trace)
// and transport (src/sdk/export): processors hand over a model::Batch, so an
// exporter needs to know nothing of how spans were recorded.
#pragma once

#include <chrono>

#include "model/batch.h"
#include "status/status.h"

namespace rubato::sdk {

class SpanExporter {
 public:
  virtual ~SpanExporter() = default;

  // Sends one batch and blocks until it is delivered, retries included, or
  // given up on (timeout, non-retryable answer). Processors call it from one
  // thread at a time. The batch stays valid only for the duration of the call.
  virtual Status Export(const model::Batch& batch) = 0;

  // Finishes anything buffered inside the exporter.
  virtual Status ForceFlush(std::chrono::milliseconds timeout) { return Status::Ok(); }

  // Releases connections; Export after Shutdown fails without sending.
  virtual void Shutdown() {}
};

}  // namespace rubato::sdk
