// OtlpHttpExporter: OTLP/HTTP, protobuf or JSON bodies POSTed over one
// keep-alive connection, gzip optional, retried on the specification's
// transient failures within the export timeout.
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

namespace rubato::net {
class HttpClientConnection;
}
namespace rubato::otlp {
class ReverseWriter;
}

namespace rubato::sdk {

class OtlpHttpExporter final : public SpanExporter {
 public:
  // Checks the options (protocol http/protobuf or http/json, an http:// URL:
  // this exporter has no TLS) and prepares the connection; nothing is sent yet.
  static Result<std::unique_ptr<OtlpHttpExporter>> Create(OtlpExporterOptions options);
  ~OtlpHttpExporter() override;

  // Encodes the batch into a buffer reused from export to export, then POSTs
  // it; 429, 502, 503, 504 and connection failures are retried (Retry-After
  // honoured), other answers are final. A partial success counts as delivered.
  Status Export(const model::Batch& batch) override;
  // Nothing is buffered between exports.
  Status ForceFlush(std::chrono::milliseconds timeout) override { return Status::Ok(); }
  // Stops retrying, waits for an attempt in flight, closes the connection.
  void Shutdown() override;

  ExportStats stats() const;
  const std::string& url() const { return url_; }

 private:
  OtlpHttpExporter(OtlpExporterOptions options, std::string url, std::unique_ptr<net::HttpClientConnection> conn);
  std::string_view Encode(const model::Batch& batch);
  AttemptResult Attempt(std::string_view body, size_t spans, std::chrono::steady_clock::time_point deadline);

  OtlpExporterOptions options_;
  std::string url_;
  bool json_;
  std::unique_ptr<net::HttpClientConnection> conn_;
  std::unique_ptr<otlp::ReverseWriter> protobuf_;  // reused: no allocation once grown
  std::string json_body_;                          // reused likewise
  std::string gzipped_;
  Retrier retrier_;
  ExportCounters counters_;
  std::mutex export_mu_;  // one Export at a time; Shutdown waits for it
  std::atomic<bool> shut_down_{false};
};

}  // namespace rubato::sdk
