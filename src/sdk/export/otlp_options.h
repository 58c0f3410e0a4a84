// What configures an OTLP exporter, over gRPC or HTTP: the code equivalent of
// the OTEL_EXPORTER_OTLP_* variables (exporter_config.h reads those into it).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rubato::sdk {

enum class OtlpProtocol { kGrpc, kHttpProtobuf, kHttpJson };
enum class OtlpCompression { kNone, kGzip };

// Exponential backoff with jitter between attempts of one export. The export
// timeout bounds the whole: no attempt starts, and no wait is begun, that
// would end after it.
struct RetryPolicy {
  int max_attempts = 5;  // including the first
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double multiplier = 1.5;
};

struct OtlpExporterOptions {
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;
  // HTTP: the full URL requests go to, "http://host[:port]/path" (path as is).
  // gRPC: "http://host[:port]" or "https://host[:port]" (the scheme decides
  // TLS), or any target gRPC accepts ("host:port", "dns:///host:port", "unix:path"),
  // which uses TLS unless `insecure`.
  std::string endpoint = "http://localhost:4318/v1/traces";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{10000};  // per Export, retries included
  OtlpCompression compression = OtlpCompression::kNone;
  bool insecure = false;  // gRPC endpoints without a scheme only
  RetryPolicy retry;
  // Partial successes and dropped batches are reported here; nullptr: silent.
  FILE* diagnostics = stderr;
};

// The OTel Timeout type's rule: 0 means no limit, which is taken as the
// longest time a 32-bit count of milliseconds holds (about 24.8 days).
inline std::chrono::milliseconds EffectiveTimeout(std::chrono::milliseconds t) {
  return t.count() <= 0 ? std::chrono::milliseconds(INT32_MAX) : t;
}

// "grpc", "http/protobuf", "http/json": the OTEL_EXPORTER_OTLP_PROTOCOL values.
inline std::string_view ProtocolName(OtlpProtocol p) {
  switch (p) {
    case OtlpProtocol::kGrpc: return "grpc";
    case OtlpProtocol::kHttpProtobuf: return "http/protobuf";
    case OtlpProtocol::kHttpJson: return "http/json";
  }
  return "?";
}

}  // namespace rubato::sdk
