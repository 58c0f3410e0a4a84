// OTLP/HTTP: POST /v1/traces with protobuf or JSON bodies, gzip or plain.
// Translates HTTP to ExportHandler calls and the outcome back to HTTP, with
// the status codes and bodies the OTLP spec gives.
#pragma once

#include <cstddef>
#include <string>

#include "ingest/ingester.h"
#include "ingest/receiver_metrics.h"
#include "net/http_server.h"

namespace rubato::ingest {

struct HttpReceiverOptions {
  size_t max_decompressed_bytes = 64 << 20;  // larger bodies get 413
  bool multitenancy = false;                  // X-Scope-OrgID required when true
  int retry_after_seconds = 1;                // for 503 on backpressure
  ReceiverMetrics* metrics = nullptr;         // optional
};

// Serves one request addressed to the OTLP/HTTP port.
void HandleOtlpHttp(ExportHandler* handler, const HttpReceiverOptions& options, net::HttpRequest& req,
                    net::HttpResponse& resp);

// Protobuf and JSON forms of the small messages OTLP/HTTP answers with.
std::string EncodeExportResponse(const ExportOutcome& outcome, Encoding encoding);
std::string EncodeRpcStatus(int code, std::string_view message, Encoding encoding);

}  // namespace rubato::ingest
