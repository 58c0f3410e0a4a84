// OTLP/gRPC trace receiver: serves
// /opentelemetry.proto.collector.trace.v1.TraceService/Export and hands the raw,
// decompressed request bytes to an ExportHandler. gRPC's generated message
// parsing is never used (issue 3: it caps ingest at ~0.3 M spans/s); the wire
// contract is in docs/format/otlp-grpc.md.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ingest/ingester.h"
#include "metrics/registry.h"
#include "status/status.h"

namespace rubato::ingest {

inline constexpr std::string_view kGrpcExportMethod =
    "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
inline constexpr std::string_view kSingleTenant = "single-tenant";

struct GrpcReceiverOptions {
  // "host:port"; port 0 picks a free port (see GrpcReceiver::port()).
  std::string endpoint = "127.0.0.1:4317";
  // Largest request message accepted, after decompression.
  std::size_t max_receive_message_bytes = 64u << 20;
  // gRPC metadata keys are lower case on the wire.
  std::string tenant_header = "x-scope-orgid";
  // Tempo's multitenancy_enabled: the tenant header is then required.
  bool require_tenant = false;
  // Threads that poll gRPC and run ExportHandler::Export; 0 = two per core.
  int worker_threads = 0;
  // Sent as google.rpc.RetryInfo.retry_delay with UNAVAILABLE.
  std::chrono::milliseconds retry_delay{1000};
  // Optional: observes the time each Export took (rubato_receiver_request_duration_seconds).
  metrics::Histogram* duration = nullptr;
};

// How a call ended, as counted in GrpcReceiverStats.
enum class GrpcResult : std::size_t {
  kOk,                 // includes partial success
  kInvalidArgument,
  kResourceExhausted,  // the handler's limit (gRPC's own size limit counts as kAborted)
  kUnavailable,
  kUnauthenticated,    // tenant header required and missing
  kUnimplemented,      // a method other than Export
  kInternal,
  kAborted,            // no request read: client cancelled, or over the size limit
  kCount,
};

// Monotonic counters, safe to read from any thread while the receiver runs.
struct GrpcReceiverStats {
  using Counter = std::atomic<uint64_t>;
  std::array<Counter, static_cast<std::size_t>(GrpcResult::kCount)> requests{};
  std::array<Counter, static_cast<std::size_t>(GrpcResult::kCount)> bytes{};  // decompressed
  Counter accepted_spans{0};
  Counter rejected_spans{0};  // partial success
  std::atomic<int64_t> in_flight{0};  // Export calls running now

  uint64_t Requests(GrpcResult r) const { return requests[static_cast<std::size_t>(r)].load(); }
  uint64_t Bytes(GrpcResult r) const { return bytes[static_cast<std::size_t>(r)].load(); }
};

class GrpcReceiver {
 public:
  // Binds, starts the worker threads and serves until Stop(). `handler` must
  // outlive the receiver and be safe to call from several threads at once.
  // Errors: InvalidArgument (bad options), Unavailable (cannot listen).
  static Result<std::unique_ptr<GrpcReceiver>> Start(const GrpcReceiverOptions& options,
                                                     ExportHandler* handler);

  // Stops accepting calls, lets calls in flight finish for up to `grace`, then
  // cancels the rest and joins the workers. Idempotent; the destructor calls it
  // with a zero grace.
  void Stop(std::chrono::milliseconds grace);

  ~GrpcReceiver();
  GrpcReceiver(const GrpcReceiver&) = delete;
  GrpcReceiver& operator=(const GrpcReceiver&) = delete;

  int port() const;
  const GrpcReceiverStats& stats() const;

 private:
  struct Impl;
  explicit GrpcReceiver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubato::ingest
