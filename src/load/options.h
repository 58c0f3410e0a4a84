// Options of `rubato load` and the small parsers behind them (Go-style
// durations, K=V headers, endpoints). Kept apart from CLI11 so the runner and
// the tests can build options without the command line.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status/status.h"

namespace rubato::load {

enum class Protocol { kGrpc, kHttpProtobuf, kHttpJson };

// "grpc", "http-protobuf", "http-json".
Result<Protocol> ParseProtocol(std::string_view s);
std::string_view ProtocolName(Protocol p);

struct LoadOptions {
  Protocol protocol = Protocol::kGrpc;
  std::string endpoint;  // empty: DefaultEndpoint(protocol)
  int concurrency = 4;   // HTTP: connections (one thread each); gRPC: calls in flight
  double rate = 0;       // spans per second; 0 = as fast as the server answers
  std::chrono::nanoseconds duration = std::chrono::seconds(30);
  uint64_t seed = 1;
  uint32_t batch_spans = 1024;
  uint32_t batches = 64;  // distinct pre-encoded batches, sent in turn
  bool gzip = false;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string dump_path;    // write the batch set here and exit
  std::string replay_path;  // send the batch set from here instead of generating it
  bool fresh_trace_ids = false;  // rewrite trace IDs on every pass over the batches (fresh_trace_ids.h)
  std::string acked_log_path;  // append "<trace id> <span id>" per fully acknowledged span (acked_log.h)
  bool json = false;        // final report as one JSON object on stdout
  bool progress = true;     // a line per second on stderr
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds connect_timeout{5000};  // before the clock starts
};

// 127.0.0.1:4317 for gRPC, http://127.0.0.1:4318/v1/traces for HTTP.
std::string DefaultEndpoint(Protocol p);

// Go's time.ParseDuration: a sequence of decimal numbers with units, e.g.
// "30s", "1m30s", "1.5h", "250ms", "10us"/"10µs", "5ns"; "0" alone is allowed.
Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view s);

// "K=V" (also "K: V") into a header pair; the key must be non-empty.
Result<std::pair<std::string, std::string>> ParseHeader(std::string_view s);

// Where an OTLP/HTTP request goes: "http://host[:port][/path]" or "host:port"
// (path /v1/traces). https is refused: the load generator speaks plain HTTP.
struct HttpTarget {
  std::string host;
  uint16_t port = 80;
  std::string path = "/v1/traces";
};
Result<HttpTarget> ParseHttpEndpoint(std::string_view endpoint);

// gRPC target: "host:port", with an optional "http://" prefix removed (the
// form OTel's OTEL_EXPORTER_OTLP_ENDPOINT uses).
std::string GrpcTarget(std::string_view endpoint);

// Checks ranges and combinations (e.g. JSON over gRPC does not exist).
Status Validate(const LoadOptions& o);

}  // namespace rubato::load
