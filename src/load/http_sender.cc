// OTLP/HTTP sender: `concurrency` threads, each with its own keep-alive
// connection, sending one request at a time. Blocking I/O per thread is the
// cheapest way to hold a few requests in flight, and it is how SDK exporters
// behave.
#include <algorithm>
#include <memory>
#include <thread>
#include <vector>

#include "load/fresh_trace_ids.h"
#include "load/retry_after.h"
#include "load/sender.h"
#include "net/http_client_connection.h"
#include "otlp/export_response.h"

namespace rubato::load {
namespace {

using net::HttpClientAnswer;
using net::HttpClientConnection;

// Turns an HTTP answer into what the counters need.
RequestResult Classify(const HttpClientAnswer& a, BodyEncoding encoding) {
  RequestResult r;
  r.status = static_cast<int>(a.status);
  if (a.status >= 200 && a.status < 300) {
    r.outcome = Outcome::kAccepted;
    bool json = a.content_type.find("json") != std::string::npos ||
                (a.content_type.find("protobuf") == std::string::npos && encoding == BodyEncoding::kJson);
    Result<otlp::PartialSuccess> ps = otlp::ParsePartialSuccess(a.body, json);
    if (ps.ok()) r.rejected_spans = ps->rejected_spans;
    r.acknowledged = ps.ok() && ps->rejected_spans == 0;
  } else if (a.status == 429 || a.status == 503) {
    r.outcome = Outcome::kRetryable;
  } else {
    r.outcome = Outcome::kError;
  }
  return r;
}

// "HTTP 400: <message>", the message taken from a google.rpc.Status body
// when the answer is protobuf.
std::string DescribeError(const HttpClientAnswer& a) {
  bool protobuf = a.content_type.find("protobuf") != std::string::npos;
  std::string text = protobuf ? otlp::RpcStatusMessage(a.body, false) : a.body;
  return "HTTP " + std::to_string(a.status) + ": " + text;
}

class HttpSender final : public Sender {
 public:
  HttpSender(const LoadOptions& o, const BatchSet& batches) : batches_(batches), request_timeout_(o.request_timeout) {
    target_ = ParseHttpEndpoint(o.endpoint.empty() ? DefaultEndpoint(o.protocol) : o.endpoint).value();
    if (!batches.trace_id_offsets.empty())
      fresh_bodies_ = std::make_unique<FreshBodies>(batches.bodies, batches.trace_id_offsets);
    std::vector<std::pair<std::string, std::string>> headers;
    headers.emplace_back("Content-Type",
                         batches.encoding == BodyEncoding::kJson ? "application/json" : "application/x-protobuf");
    if (batches.gzip) headers.emplace_back("Content-Encoding", "gzip");
    headers.emplace_back("User-Agent", "rubato-load");
    for (const auto& h : o.headers) headers.push_back(h);
    for (int i = 0; i < o.concurrency; ++i) {
      connections_.push_back(std::make_unique<HttpClientConnection>(target_.host, target_.port, target_.path, headers));
    }
  }

  Status Connect(std::chrono::milliseconds timeout) override {
    for (auto& c : connections_) {
      Status s = c->Connect(Clock::now() + timeout);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  }

  void Run(SendContext* ctx, LatencyHistogram* latencies) override {
    std::vector<LatencyHistogram> per_thread(connections_.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < connections_.size(); ++i)
      threads.emplace_back([&, i] { Work(ctx, connections_[i].get(), &per_thread[i]); });
    for (auto& t : threads) t.join();
    for (const auto& h : per_thread) latencies->Merge(h);
  }

 private:
  void Work(SendContext* ctx, HttpClientConnection* conn, LatencyHistogram* latencies) {
    int retryable_streak = 0;
    std::string fresh;  // --fresh-trace-ids: this pass's copy of the body
    while (!ctx->Stopping()) {
      SendContext::Turn turn = ctx->TakeTurn();
      size_t i = turn.batch;
      uint32_t spans = batches_.span_counts[i];
      if (!SleepUntil(*ctx, ctx->pacer->Reserve(spans))) break;
      const std::string* body_ptr = &batches_.bodies[i];
      bool held = false;  // body_ptr is fresh_bodies_'s copy of batch i, ours until released
      if (fresh_bodies_) {
        if (const std::string* b = fresh_bodies_->Acquire(i, turn.pass)) {
          body_ptr = b;
          held = true;
        } else {  // another connection is sending batch i: a copy of our own
          RewriteTraceIds(*body_ptr, batches_.trace_id_offsets[i], turn.pass, &fresh);
          body_ptr = &fresh;
        }
      }
      const std::string& body = *body_ptr;
      Clock::time_point t0 = Clock::now();
      Result<HttpClientAnswer> answer = conn->Post(body, t0 + request_timeout_);
      if (held) fresh_bodies_->Release(i);
      RequestResult r;
      std::string error;  // only filled on failure
      if (answer.ok()) {
        r = Classify(*answer, batches_.encoding);
        if (r.outcome != Outcome::kAccepted) error = DescribeError(*answer);
      } else {
        r.outcome = Outcome::kTransport;
        error = answer.status().message();
      }
      r.error = error;
      r.latency = Clock::now() - t0;
      r.spans = spans;
      r.bytes = batches_.bodies[i].size();  // the same size whatever the pass
      ctx->stats->Record(r, latencies);
      if (r.acknowledged && ctx->acked_log) ctx->acked_log->Record(i);
      if (r.outcome == Outcome::kAccepted || r.outcome == Outcome::kError) {
        retryable_streak = 0;
        continue;
      }
      // Back off: as the server says (Retry-After), else exponentially. A
      // transport failure backs off too, so a dead server is not hammered.
      std::chrono::nanoseconds delay = DefaultBackoff(retryable_streak++);
      if (answer.ok())
        if (auto ra = ParseRetryAfter(answer->retry_after)) delay = *ra;
      if (!SleepUntil(*ctx, Clock::now() + delay)) break;
    }
  }

  const BatchSet& batches_;
  std::unique_ptr<FreshBodies> fresh_bodies_;  // --fresh-trace-ids
  HttpTarget target_;
  std::chrono::milliseconds request_timeout_;
  std::vector<std::unique_ptr<HttpClientConnection>> connections_;
};

}  // namespace

std::unique_ptr<Sender> MakeHttpSender(const LoadOptions& options, const BatchSet& batches) {
  return std::make_unique<HttpSender>(options, batches);
}

}  // namespace rubato::load
