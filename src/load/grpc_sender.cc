// OTLP/gRPC sender. The request bytes are sent as they are, through
// grpc::GenericStub, so no protobuf message is built or serialized per call.
// One thread drives one completion queue and keeps `concurrency` calls in
// flight, each slot on its own channel (so its own HTTP/2 connection, as
// `concurrency` SDK processes would have). The thread only starts calls and
// reads completions; gRPC's own polling does the I/O in the same thread.
#include <absl/synchronization/mutex.h>
#include <grpc/compression.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "load/fresh_trace_ids.h"
#include "load/sender.h"
#include "otlp/export_response.h"

namespace rubato::load {
namespace {

const std::string kExportMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr auto kPollStep = std::chrono::milliseconds(100);  // to notice SIGINT and the deadline

// One call slot: at most one call in flight at a time.
struct Slot {
  grpc::GenericStub* stub = nullptr;
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::GenericClientAsyncResponseReader> reader;
  grpc::ByteBuffer response;
  grpc::Status status;
  bool in_flight = false;
  bool scheduled = false;  // a batch is reserved and waits for start_at
  bool done = false;
  size_t batch = 0;
  Clock::time_point start_at;       // when the reserved batch may go
  Clock::time_point backoff_until;  // no reservation before this
  Clock::time_point sent_at;
  int retryable_streak = 0;
  uint64_t pass = 0;                 // which pass over the batch set
  bool holds_fresh = false;          // the call sends fresh_bodies_'s copy of `batch`
  std::string fresh;                 // --fresh-trace-ids, batch held by another call: our own copy
  grpc::ByteBuffer fresh_request;    // points at `fresh`
};

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

class GrpcSender final : public Sender {
 public:
  GrpcSender(const LoadOptions& o, const BatchSet& batches) : options_(o), batches_(batches) {
    // Debian's Abseil is built without NDEBUG, so every absl::Mutex that
    // gRPC locks also updates a global lock-order graph (deadlock detection,
    // a debugging aid): 3.5 % of the load generator's CPU at 32 calls in
    // flight. Release builds of Abseil do not do it; neither do we.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    target_ = GrpcTarget(o.endpoint.empty() ? DefaultEndpoint(o.protocol) : o.endpoint);
    for (const auto& [k, v] : o.headers) {
      std::string key = k;  // gRPC metadata keys must be lower case
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
      metadata_.emplace_back(std::move(key), v);
    }
    // Static slices point at the batch set's bytes: no copy now or per call.
    for (const std::string& body : batches.bodies) {
      grpc::Slice slice(body.data(), body.size(), grpc::Slice::STATIC_SLICE);
      requests_.emplace_back(&slice, 1);
    }
    if (!batches.trace_id_offsets.empty()) {
      fresh_bodies_ = std::make_unique<FreshBodies>(batches.bodies, batches.trace_id_offsets);
      for (size_t i = 0; i < batches.bodies.size(); ++i) {
        // Acquire never moves a body: one request buffer per batch, made now.
        const std::string* body = fresh_bodies_->Acquire(i, 0);
        grpc::Slice slice(body->data(), body->size(), grpc::Slice::STATIC_SLICE);
        fresh_requests_.emplace_back(&slice, 1);
        fresh_bodies_->Release(i);
      }
    }
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // one connection per channel, not shared
    args.SetMaxSendMessageSize(-1);
    for (int i = 0; i < o.concurrency; ++i) {
      channels_.push_back(grpc::CreateCustomChannel(target_, grpc::InsecureChannelCredentials(), args));
      stubs_.push_back(std::make_unique<grpc::GenericStub>(channels_.back()));
    }
  }

  Status Connect(std::chrono::milliseconds timeout) override {
    auto deadline = std::chrono::system_clock::now() + timeout;
    for (auto& ch : channels_) {
      if (!ch->WaitForConnected(deadline))
        return Status::Unavailable("cannot connect to " + target_ + " (gRPC): no connection within " +
                                   std::to_string(timeout.count()) + " ms");
    }
    return Status::Ok();
  }

  void Run(SendContext* ctx, LatencyHistogram* latencies) override {
    grpc::CompletionQueue cq;
    std::vector<Slot> slots(stubs_.size());
    for (size_t i = 0; i < slots.size(); ++i) slots[i].stub = stubs_[i].get();
    while (true) {
      Clock::time_point wake = Clock::now() + kPollStep;
      bool busy = false;
      for (Slot& s : slots) {
        Advance(ctx, &s, &cq, &wake);
        busy = busy || s.in_flight || !s.done;
      }
      if (!busy) break;
      void* tag;
      bool ok;
      // gRPC takes system_clock deadlines; the run's clock is steady_clock.
      auto got = cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + (wake - Clock::now()));
      if (got == grpc::CompletionQueue::GOT_EVENT) Complete(ctx, static_cast<Slot*>(tag), latencies);
    }
    cq.Shutdown();
    void* tag;
    bool ok;
    while (cq.Next(&tag, &ok)) {}
  }

 private:
  // Moves an idle slot on: reserve a batch, start it when its time comes, or
  // retire the slot at the deadline. Lowers *wake to the slot's next instant.
  void Advance(SendContext* ctx, Slot* s, grpc::CompletionQueue* cq, Clock::time_point* wake) {
    if (s->in_flight || s->done) return;
    Clock::time_point now = Clock::now();
    if (ctx->Stopping()) {
      s->done = true;
      return;
    }
    if (!s->scheduled) {
      if (now < s->backoff_until) {
        *wake = std::min(*wake, s->backoff_until);
        return;
      }
      SendContext::Turn turn = ctx->TakeTurn();
      s->batch = turn.batch;
      s->pass = turn.pass;
      s->start_at = ctx->pacer->Reserve(batches_.span_counts[s->batch]);
      s->scheduled = true;
    }
    if (s->start_at >= ctx->deadline) {
      s->done = true;
    } else if (s->start_at <= now) {
      Start(s, cq);
    } else {
      *wake = std::min(*wake, s->start_at);
    }
  }

  void Start(Slot* s, grpc::CompletionQueue* cq) {
    s->context = std::make_unique<grpc::ClientContext>();
    s->context->set_deadline(std::chrono::system_clock::now() + options_.request_timeout);
    if (options_.gzip) s->context->set_compression_algorithm(GRPC_COMPRESS_GZIP);
    for (const auto& [k, v] : metadata_) s->context->AddMetadata(k, v);
    s->response.Clear();
    s->sent_at = Clock::now();
    const grpc::ByteBuffer* request = &requests_[s->batch];
    if (fresh_bodies_) {
      // gRPC reads the bytes until the call completes; the body is released then.
      if (fresh_bodies_->Acquire(s->batch, s->pass)) {
        s->holds_fresh = true;
        request = &fresh_requests_[s->batch];
      } else {
        RewriteTraceIds(batches_.bodies[s->batch], batches_.trace_id_offsets[s->batch], s->pass, &s->fresh);
        grpc::Slice slice(s->fresh.data(), s->fresh.size(), grpc::Slice::STATIC_SLICE);
        s->fresh_request = grpc::ByteBuffer(&slice, 1);
        request = &s->fresh_request;
      }
    }
    s->reader = s->stub->PrepareUnaryCall(s->context.get(), kExportMethod, *request, cq);
    s->reader->StartCall();
    s->reader->Finish(&s->response, &s->status, s);
    s->in_flight = true;
    s->scheduled = false;
  }

  void Complete(SendContext* ctx, Slot* s, LatencyHistogram* latencies) {
    RequestResult r;
    r.latency = Clock::now() - s->sent_at;
    r.spans = batches_.span_counts[s->batch];
    r.bytes = batches_.bodies[s->batch].size();
    r.status = static_cast<int>(s->status.error_code());
    std::string error;
    if (s->status.ok()) {
      r.outcome = Outcome::kAccepted;
      Result<otlp::PartialSuccess> ps = otlp::ParsePartialSuccess(Flatten(s->response), false);
      if (ps.ok()) r.rejected_spans = ps->rejected_spans;
      r.acknowledged = ps.ok() && ps->rejected_spans == 0;
      s->retryable_streak = 0;
    } else {
      grpc::StatusCode code = s->status.error_code();
      bool retryable = code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED;
      r.outcome = retryable ? Outcome::kRetryable : Outcome::kError;
      error = "gRPC status " + std::to_string(r.status) + ": " + s->status.error_message();
      if (retryable) {
        // Honour RetryInfo when the server sent one, else back off exponentially.
        std::chrono::nanoseconds delay = DefaultBackoff(s->retryable_streak++);
        if (auto d = otlp::RetryInfoDelay(s->status.error_details())) delay = *d;
        s->backoff_until = Clock::now() + std::chrono::duration_cast<Clock::duration>(delay);
      }
    }
    r.error = error;
    ctx->stats->Record(r, latencies);
    if (r.acknowledged && ctx->acked_log) ctx->acked_log->Record(s->batch);
    s->reader.reset();
    s->context.reset();
    if (s->holds_fresh) fresh_bodies_->Release(s->batch);
    s->holds_fresh = false;
    s->in_flight = false;
  }

  const LoadOptions& options_;
  const BatchSet& batches_;
  std::string target_;
  std::vector<std::pair<std::string, std::string>> metadata_;
  std::vector<grpc::ByteBuffer> requests_;
  std::unique_ptr<FreshBodies> fresh_bodies_;     // --fresh-trace-ids
  std::vector<grpc::ByteBuffer> fresh_requests_;  // per batch, over fresh_bodies_
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
};

}  // namespace

std::unique_ptr<Sender> MakeGrpcSender(const LoadOptions& options, const BatchSet& batches) {
  return std::make_unique<GrpcSender>(options, batches);
}

}  // namespace rubato::load
