// The receivers' single entry point: decode an OTLP request, keep the valid
// spans, reject the invalid ones by reason (partial success), and hand the
// batch to the store. Receivers (HTTP, gRPC) only translate protocols.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::ingest {

enum class Encoding { kProtobuf, kJson };

// What an accepted request produced: OTLP's ExportTracePartialSuccess.
struct ExportOutcome {
  int64_t accepted_spans = 0;
  int64_t rejected_spans = 0;
  std::string error_message;  // names the reason(s) when rejected_spans > 0
};

// Implemented by the server's ingest pipeline; receivers depend only on this.
class ExportHandler {
 public:
  virtual ~ExportHandler() = default;
  // `body` is the decompressed request. Errors: InvalidArgument (undecodable:
  // HTTP 400 / gRPC INVALID_ARGUMENT), ResourceExhausted (over a size limit:
  // 413 / RESOURCE_EXHAUSTED), Unavailable (backpressure, retry later: 503 +
  // Retry-After / UNAVAILABLE + RetryInfo).
  virtual Result<ExportOutcome> Export(std::string_view tenant, std::string body, Encoding encoding) = 0;
};

}  // namespace rubato::ingest
