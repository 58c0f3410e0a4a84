// `rubato load` over OTLP/gRPC against a tiny callback generic server in the
// test: every fourth call is refused with UNAVAILABLE + RetryInfo, every
// third of the rest gets partial success. The report must agree.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>

#include "load/batch_set.h"
#include "load/runner.h"
#include "model/batch.h"
#include "otlp/protobuf_decoder.h"
#include "tests/load/wire_builder.h"

namespace rubato::load {
namespace {

using namespace std::chrono_literals;

const std::string kMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string Flatten(const grpc::ByteBuffer& b) {
  std::vector<grpc::Slice> slices;
  std::string out;
  (void)b.Dump(&slices);
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

class FakeTraceService : public grpc::CallbackGenericService {
 public:
  std::atomic<int> calls{0}, refused{0}, partial{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<int> wrong_method{0}, not_protobuf{0};
  std::mutex mu;
  std::string tenant;
  std::vector<std::string> acked_bodies;  // answered OK without partial success

  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* ctx) override {
    return new Reactor(this, ctx);
  }

 private:
  // Unary over the generic bidi reactor: read one message, answer, finish.
  class Reactor : public grpc::ServerGenericBidiReactor {
   public:
    Reactor(FakeTraceService* svc, grpc::GenericCallbackServerContext* ctx) : svc_(svc), ctx_(ctx) {
      StartRead(&request_);
    }
    void OnReadDone(bool ok) override {
      if (!ok) return Finish(grpc::Status(grpc::StatusCode::INTERNAL, "no request"));
      int n = ++svc_->calls;
      if (ctx_->method() != kMethod) ++svc_->wrong_method;
      std::string body = Flatten(request_);
      svc_->bytes += body.size();
      if (body.empty() || body[0] != '\x0a') ++svc_->not_protobuf;  // field 1, resource_spans
      if (n == 1) {
        std::lock_guard<std::mutex> lock(svc_->mu);
        auto it = ctx_->client_metadata().find("x-scope-orgid");
        if (it != ctx_->client_metadata().end()) svc_->tenant.assign(it->second.data(), it->second.size());
      }
      if (n % 4 == 0) {
        ++svc_->refused;
        return Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy",
                                   wire::RpcStatusWithRetry(14, "busy", 0, 1'000'000)));
      }
      if (n % 3 == 0) {
        ++svc_->partial;
        response_ = Buffer(wire::PartialSuccessResponse(7, "bad ids"));
      } else {
        response_ = Buffer("");
        std::lock_guard<std::mutex> lock(svc_->mu);
        svc_->acked_bodies.push_back(body);
      }
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    }
    void OnDone() override { delete this; }

   private:
    FakeTraceService* svc_;
    grpc::GenericCallbackServerContext* ctx_;
    grpc::ByteBuffer request_, response_;
  };
};

struct FakeServer {
  FakeTraceService service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  FakeServer() {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service);
    server = builder.BuildAndStart();
  }
  ~FakeServer() { server->Shutdown(std::chrono::system_clock::now() + 1s); }
};

TEST(LoadGrpc, ReportAgreesWithTheServer) {
  FakeServer fake;
  ASSERT_NE(fake.port, 0);
  LoadOptions o;
  o.protocol = Protocol::kGrpc;
  o.endpoint = "127.0.0.1:" + std::to_string(fake.port);
  o.concurrency = 3;
  o.batch_spans = 256;
  o.batches = 5;
  o.rate = 25600;  // 100 calls a second
  o.duration = 1s;
  o.gzip = true;
  o.progress = false;
  o.headers = {{"X-Scope-OrgID", "tenant-g"}};
  auto r = RunLoad(o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const StatsSnapshot& s = r->stats;
  int n = fake.service.calls.load();
  EXPECT_GE(n, 1);    // no lower bound tied to wall time (see LoadHttp.PacedRun…)
  EXPECT_LE(n, 102);  // pacing never sends more than rate × duration + one batch per stream
  EXPECT_EQ(s.requests, static_cast<uint64_t>(n));
  EXPECT_EQ(s.spans_sent, 256u * n);
  EXPECT_EQ(s.retryable_requests, static_cast<uint64_t>(fake.service.refused.load()));
  EXPECT_EQ(s.retryable_spans, 256u * fake.service.refused.load());
  EXPECT_EQ(s.spans_rejected, 7u * fake.service.partial.load());
  EXPECT_EQ(s.spans_accepted, s.spans_sent - s.spans_rejected - s.retryable_spans);
  ASSERT_EQ(s.by_status.size(), 1u);
  EXPECT_EQ(s.by_status[0].first, 14);  // UNAVAILABLE
  EXPECT_EQ(s.error_requests + s.transport_errors, 0u);
  EXPECT_EQ(fake.service.wrong_method.load(), 0);
  EXPECT_EQ(fake.service.not_protobuf.load(), 0);  // gRPC gunzipped what the client gzipped
  EXPECT_EQ(fake.service.tenant, "tenant-g");
  EXPECT_EQ(r->latency_samples, s.requests);
  EXPECT_NE(r->first_error.find("busy"), std::string::npos) << r->first_error;
  // The server saw plain protobuf of exactly the bytes sent.
  EXPECT_EQ(fake.service.bytes.load(), s.bytes_sent);
}

// --acked-log over gRPC: the spans of the calls answered OK without partial
// success, each once (three calls in flight, so compared as sorted lines).
TEST(LoadGrpc, AckedLogHoldsTheAcknowledgedSpans) {
  FakeServer fake;
  ASSERT_NE(fake.port, 0);
  std::string log = ::testing::TempDir() + "/grpc_acked.log";
  std::remove(log.c_str());
  LoadOptions o;
  o.protocol = Protocol::kGrpc;
  o.endpoint = "127.0.0.1:" + std::to_string(fake.port);
  o.concurrency = 3;
  o.batch_spans = 40;
  o.batches = 5;
  o.rate = 2000;  // 50 calls a second
  o.duration = 500ms;
  o.progress = false;
  o.acked_log_path = log;
  auto r = RunLoad(o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::vector<std::string> want, got;
  {
    std::lock_guard<std::mutex> lock(fake.service.mu);
    model::Batch batch;
    for (const std::string& body : fake.service.acked_bodies) {
      ASSERT_TRUE(otlp::DecodeProtobufView(body, &batch).ok());
      for (const model::Span& s : batch.spans) want.push_back(s.trace_id.ToHex() + " " + s.span_id.ToHex());
    }
  }
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) got.push_back(line);
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_FALSE(want.empty());
  EXPECT_EQ(got, want);
  EXPECT_EQ(r->acked_spans_logged, want.size());
  std::remove(log.c_str());
}

TEST(LoadGrpc, UnreachableServerNamesTheEndpoint) {
  int port;
  {
    FakeServer gone;  // a port that was free a moment ago
    port = gone.port;
  }
  LoadOptions o;
  o.endpoint = "127.0.0.1:" + std::to_string(port);
  o.duration = 1s;
  o.progress = false;
  o.connect_timeout = 300ms;
  auto r = RunLoad(o, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find(o.endpoint), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace rubato::load
