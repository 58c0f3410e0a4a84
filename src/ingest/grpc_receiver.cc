// OTLP/gRPC receiver on grpc::AsyncGenericService.
//
// Why the async generic API: it hands us each request as a raw ByteBuffer (so
// src/otlp's zero-copy decoder does the parsing, not libprotobuf), and the
// threads that poll the completion queues are ours, so ExportHandler::Export
// can run inline on them. The callback API (CallbackGenericService) would run
// Export on gRPC's internal executor, where blocking work is forbidden, and
// would need a second thread pool to hand off to. One completion queue per
// worker keeps workers from contending on a shared queue.
#include "ingest/grpc_receiver.h"

#include <absl/synchronization/mutex.h>
#include <grpc/compression.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "google/rpc/retry_info.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace rubato::ingest {
namespace {

// Calls requested ahead on each queue, so a burst of new calls does not wait
// for a worker to re-arm between them.
constexpr int kAcceptsPerQueue = 8;

// State shared by the receiver and its calls.
struct Shared {
  GrpcReceiverOptions options;
  ExportHandler* handler = nullptr;
  GrpcReceiverStats stats;
  grpc::AsyncGenericService service;
  // Guards `accepting`: no call may be requested once Stop() began, because
  // its completion queue is about to shut down (a request on a shut-down
  // queue aborts the process).
  std::mutex accept_mu;
  bool accepting = true;
  // Calls alive. Server::Shutdown can return while a cancelled call still has
  // a completion to handle (seen with a call stalled before its message), so
  // Stop() waits for this to reach zero before shutting the queues down.
  std::mutex live_mu;
  std::condition_variable live_cv;
  int live_calls = 0;

  void Accept(grpc::ServerCompletionQueue* cq);
  void AddLive(int delta) {
    std::lock_guard<std::mutex> lock(live_mu);
    live_calls += delta;
    if (live_calls == 0) live_cv.notify_all();
  }
  void WaitUntilNoCalls() {
    std::unique_lock<std::mutex> lock(live_mu);
    live_cv.wait(lock, [&] { return live_calls == 0; });
  }

  void Count(GrpcResult result, uint64_t bytes) {
    stats.requests[static_cast<std::size_t>(result)].fetch_add(1, std::memory_order_relaxed);
    stats.bytes[static_cast<std::size_t>(result)].fetch_add(bytes, std::memory_order_relaxed);
  }
};

// Copies the (already decompressed) message into one string: the only copy of
// the request bytes on the receive path. gRPC delivers it as a list of slices.
bool Flatten(const grpc::ByteBuffer& buffer, std::string* out) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  std::size_t total = 0;
  for (const grpc::Slice& s : slices) total += s.size();
  out->reserve(total);
  for (const grpc::Slice& s : slices) out->append(reinterpret_cast<const char*>(s.begin()), s.size());
  return true;
}

// UNAVAILABLE plus google.rpc.RetryInfo in grpc-status-details-bin, which OTLP
// exporters read to pace their retries.
grpc::Status UnavailableWithRetryInfo(const std::string& message, std::chrono::milliseconds delay) {
  google::rpc::RetryInfo info;
  info.mutable_retry_delay()->set_seconds(delay.count() / 1000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(delay.count() % 1000) * 1'000'000);
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::UNAVAILABLE);
  status.set_message(message);
  status.add_details()->PackFrom(info);
  return grpc::Status(grpc::StatusCode::UNAVAILABLE, message, status.SerializeAsString());
}

// The ExportTraceServiceResponse bytes: empty on full success (OTLP says to
// leave partial_success unset), else partial_success{rejected_spans,
// error_message}. The generated class is fine here: it is not per span.
grpc::ByteBuffer ResponseFor(const ExportOutcome& outcome) {
  std::string bytes;
  if (outcome.rejected_spans > 0 || !outcome.error_message.empty()) {
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
    response.mutable_partial_success()->set_rejected_spans(outcome.rejected_spans);
    response.mutable_partial_success()->set_error_message(outcome.error_message);
    bytes = response.SerializeAsString();
  }
  // A unary call must answer with exactly one message, even an empty one.
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// One call, from being requested to being finished. Its address is the tag of
// every operation it starts; each completion advances it one step.
class Call {
 public:
  Call(Shared* shared, grpc::ServerCompletionQueue* cq) : live_(shared), shared_(shared), cq_(cq), stream_(&ctx_) {
    shared_->service.RequestCall(&ctx_, &stream_, cq_, cq_, this);
  }
  Call(const Call&) = delete;
  Call& operator=(const Call&) = delete;

  // Runs on a worker thread. Deletes the call after its last step.
  void OnEvent(bool ok) {
    switch (step_) {
      case Step::kRequested:
        if (!ok) return delete this;  // the server is shutting down
        shared_->Accept(cq_);         // keep the number of waiting requests constant
        return Begin();
      case Step::kReading:
        // No message: the client cancelled, or gRPC refused a message over the
        // size limit (it has then already sent RESOURCE_EXHAUSTED itself).
        if (ok) return Handle();
        return Finish(GrpcResult::kAborted, 0, {grpc::StatusCode::INVALID_ARGUMENT, "no request message"});
      case Step::kFinishing:
        return delete this;
    }
  }

 private:
  enum class Step { kRequested, kReading, kFinishing };

  void Begin() {
    if (ctx_.method() != kGrpcExportMethod) {
      return Finish(GrpcResult::kUnimplemented, 0,
                    {grpc::StatusCode::UNIMPLEMENTED, "unknown method " + ctx_.method()});
    }
    if (!ResolveTenant()) {
      return Finish(GrpcResult::kUnauthenticated, 0,
                    {grpc::StatusCode::UNAUTHENTICATED, "no org id: metadata " + shared_->options.tenant_header +
                                                            " is required (multitenancy is enabled)"});
    }
    step_ = Step::kReading;
    stream_.Read(&request_, this);
  }

  // Tempo's rule: with multitenancy the header names the tenant and must be
  // there; without it the header is ignored and all data is "single-tenant".
  bool ResolveTenant() {
    if (!shared_->options.require_tenant) {
      tenant_ = kSingleTenant;
      return true;
    }
    const auto& metadata = ctx_.client_metadata();
    auto it = metadata.find(shared_->options.tenant_header);
    if (it == metadata.end() || it->second.empty()) return false;
    tenant_.assign(it->second.data(), it->second.size());
    return true;
  }

  void Handle() {
    std::string body;
    bool flattened = Flatten(request_, &body);
    request_.Clear();  // release gRPC's copy before the handler allocates its own
    if (!flattened) return Finish(GrpcResult::kInternal, 0, {grpc::StatusCode::INTERNAL, "cannot read request"});
    const std::size_t size = body.size();
    // gRPC enforces the limit itself; this guards against a gRPC that checks
    // only the compressed size.
    const std::size_t limit = shared_->options.max_receive_message_bytes;
    if (size > limit) {
      std::string message = "request of " + std::to_string(size) + " bytes is over the limit of " +
                            std::to_string(limit);
      return Finish(GrpcResult::kResourceExhausted, size, {grpc::StatusCode::RESOURCE_EXHAUSTED, message});
    }
    auto started = std::chrono::steady_clock::now();
    shared_->stats.in_flight.fetch_add(1, std::memory_order_relaxed);
    Result<ExportOutcome> result = shared_->handler->Export(tenant_, std::move(body), Encoding::kProtobuf);
    shared_->stats.in_flight.fetch_sub(1, std::memory_order_relaxed);
    if (shared_->options.duration) {
      shared_->options.duration->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    if (result.ok()) return Reply(size, *result);
    const Status& status = result.status();
    switch (status.code()) {
      case StatusCode::kInvalidArgument:
        return Finish(GrpcResult::kInvalidArgument, size, {grpc::StatusCode::INVALID_ARGUMENT, status.message()});
      case StatusCode::kResourceExhausted:
        // No RetryInfo: OTLP clients then treat it as permanent, which a size
        // limit is.
        return Finish(GrpcResult::kResourceExhausted, size, {grpc::StatusCode::RESOURCE_EXHAUSTED, status.message()});
      case StatusCode::kUnavailable:
        return Finish(GrpcResult::kUnavailable, size,
                      UnavailableWithRetryInfo(status.message(), shared_->options.retry_delay));
      default:
        return Finish(GrpcResult::kInternal, size, {grpc::StatusCode::INTERNAL, status.message()});
    }
  }

  void Reply(std::size_t size, const ExportOutcome& outcome) {
    shared_->Count(GrpcResult::kOk, size);
    shared_->stats.accepted_spans.fetch_add(static_cast<uint64_t>(std::max<int64_t>(outcome.accepted_spans, 0)),
                                            std::memory_order_relaxed);
    shared_->stats.rejected_spans.fetch_add(static_cast<uint64_t>(std::max<int64_t>(outcome.rejected_spans, 0)),
                                            std::memory_order_relaxed);
    response_ = ResponseFor(outcome);
    step_ = Step::kFinishing;
    stream_.WriteAndFinish(response_, grpc::WriteOptions(), grpc::Status::OK, this);
  }

  void Finish(GrpcResult result, std::size_t size, const grpc::Status& status) {
    shared_->Count(result, size);
    step_ = Step::kFinishing;
    stream_.Finish(status, this);
  }

  // Counts the call in Shared::live_calls; the first member, so the count
  // drops only after gRPC's call object (in ctx_) is released.
  struct Live {
    explicit Live(Shared* s) : shared(s) { shared->AddLive(1); }
    ~Live() { shared->AddLive(-1); }
    Shared* shared;
  } live_;
  Shared* shared_;
  grpc::ServerCompletionQueue* cq_;
  grpc::GenericServerContext ctx_;
  grpc::GenericServerAsyncReaderWriter stream_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  std::string tenant_;
  Step step_ = Step::kRequested;
};

void Shared::Accept(grpc::ServerCompletionQueue* cq) {
  std::lock_guard<std::mutex> lock(accept_mu);
  if (accepting) new Call(this, cq);  // owned by its completion events
}

void Poll(grpc::ServerCompletionQueue* cq) {
  void* tag = nullptr;
  bool ok = false;
  while (cq->Next(&tag, &ok)) static_cast<Call*>(tag)->OnEvent(ok);
}

Status Validate(const GrpcReceiverOptions& options) {
  if (options.max_receive_message_bytes == 0 || options.max_receive_message_bytes > INT_MAX) {
    return Status::InvalidArgument("grpc max receive message size must be in 1.." + std::to_string(INT_MAX));
  }
  if (options.tenant_header.empty()) return Status::InvalidArgument("grpc tenant header name is empty");
  if (options.worker_threads < 0) return Status::InvalidArgument("grpc worker threads must be >= 0");
  if (options.retry_delay.count() < 0) return Status::InvalidArgument("grpc retry delay must be >= 0");
  return Status::Ok();
}

}  // namespace

struct GrpcReceiver::Impl {
  // Declaration order is destruction order reversed: the server goes before
  // its queues, and both before the service in `shared`.
  Shared shared;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
  std::unique_ptr<grpc::Server> server;
  std::vector<std::thread> workers;
  int port = 0;
  std::mutex stop_mu;
  bool stopped = false;

  // Shuts down and drains queues no worker polls (start-up failure path).
  void DrainQueues() {
    for (auto& cq : queues) {
      cq->Shutdown();
      Poll(cq.get());
    }
  }
};

Result<std::unique_ptr<GrpcReceiver>> GrpcReceiver::Start(const GrpcReceiverOptions& options,
                                                           ExportHandler* handler) {
  if (Status s = Validate(options); !s.ok()) return s;
  auto impl = std::make_unique<Impl>();
  impl->shared.options = options;
  impl->shared.handler = handler;
  // Metadata keys arrive lower case; accept "X-Scope-OrgID" in the config.
  std::string& header = impl->shared.options.tenant_header;
  std::transform(header.begin(), header.end(), header.begin(), [](unsigned char c) { return std::tolower(c); });

  // Debian's Abseil is built without NDEBUG, so every absl::Mutex that gRPC
  // locks would also update a global lock-order graph (deadlock detection, a
  // debugging aid that release builds of Abseil leave out).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.endpoint, grpc::InsecureServerCredentials(), &impl->port);
  // Without this gRPC sets SO_REUSEPORT, and a second server on a busy port
  // would start "successfully" and share the traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_receive_message_bytes));
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, true);
  builder.RegisterAsyncGenericService(&impl->shared.service);
  // Two per core by default: a worker both polls gRPC's I/O and runs Export
  // inline, so with one per core the I/O of queued calls waits behind a
  // decode. Measured with `rubato load` on 2 cores (docs/performance.md):
  // 1.01 M spans/s with 2 workers, 1.23 M with 4, 1.25 M with 8.
  const int threads = options.worker_threads > 0
                          ? options.worker_threads
                          : static_cast<int>(2 * std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) impl->queues.push_back(builder.AddCompletionQueue());
  impl->server = builder.BuildAndStart();
  if (!impl->server || impl->port == 0) {
    impl->server.reset();
    impl->DrainQueues();
    return Status::Unavailable("cannot listen for OTLP/gRPC on " + options.endpoint +
                               " (address in use or invalid)");
  }
  for (auto& cq : impl->queues) {
    for (int i = 0; i < kAcceptsPerQueue; ++i) impl->shared.Accept(cq.get());
    impl->workers.emplace_back(Poll, cq.get());
  }
  return std::unique_ptr<GrpcReceiver>(new GrpcReceiver(std::move(impl)));
}

GrpcReceiver::GrpcReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

GrpcReceiver::~GrpcReceiver() { Stop(std::chrono::milliseconds(0)); }

void GrpcReceiver::Stop(std::chrono::milliseconds grace) {
  std::lock_guard<std::mutex> stop_lock(impl_->stop_mu);
  if (impl_->stopped) return;
  impl_->stopped = true;
  {
    std::lock_guard<std::mutex> lock(impl_->shared.accept_mu);
    impl_->shared.accepting = false;
  }
  // Closes the listeners, sends GOAWAY, waits up to `grace` for calls in
  // flight (the workers keep serving them), then cancels the rest; it also
  // fails the calls requested but not yet received.
  impl_->server->Shutdown(std::chrono::system_clock::now() + grace);
  // A call may still start an operation (Finish after a cancelled Read), and
  // an operation on a shut-down queue aborts the process: wait them out.
  impl_->shared.WaitUntilNoCalls();
  for (auto& cq : impl_->queues) cq->Shutdown();
  for (std::thread& t : impl_->workers) t.join();
  impl_->workers.clear();
}

int GrpcReceiver::port() const { return impl_->port; }

const GrpcReceiverStats& GrpcReceiver::stats() const { return impl_->shared.stats; }

}  // namespace rubato::ingest
