// OtlpGrpcExporter: OTLP/gRPC, a unary TraceService/Export per batch whose
// request bytes come from src/otlp's encoder (no libprotobuf message is built),
// on one channel kept for the exporter's life. gRPC's own gzip compresses
// when asked; transient status codes are retried within the export timeout.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "sdk/export/export_stats.h"
#include "sdk/export/otlp_options.h"
#include "sdk/export/retrier.h"
#include "sdk/trace/span_exporter.h"
#include "status/status.h"

namespace rubato::otlp {
class ReverseWriter;
}

namespace rubato::sdk {

class OtlpGrpcExporter final : public SpanExporter {
 public:
  // Resolves the endpoint into a gRPC target and credentials: http:// is
  // plaintext, https:// is TLS with the system's roots, a target without a
  // scheme is TLS unless options.insecure. Nothing is sent yet.
  static Result<std::unique_ptr<OtlpGrpcExporter>> Create(OtlpExporterOptions options);
  ~OtlpGrpcExporter() override;

  // Retries CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE,
  // DATA_LOSS, and RESOURCE_EXHAUSTED when the server sent RetryInfo (whose
  // delay is honoured); other codes are final. A partial success counts as delivered.
  Status Export(const model::Batch& batch) override;
  Status ForceFlush(std::chrono::milliseconds timeout) override { return Status::Ok(); }
  // Stops retrying and cancels a call in flight.
  void Shutdown() override;

  ExportStats stats() const;
  // The gRPC target, e.g. "localhost:4317".
  const std::string& target() const;

  struct Impl;

 private:
  explicit OtlpGrpcExporter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubato::sdk
