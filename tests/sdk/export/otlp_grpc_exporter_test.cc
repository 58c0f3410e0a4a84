// OtlpGrpcExporter against a real gRPC server on loopback, built from the
// generated TraceService (libprotobuf parses what our encoder wrote).
#include "sdk/export/otlp_grpc_exporter.h"

#include <grpc/compression.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>

#include "google/rpc/retry_info.pb.h"
#include "google/rpc/status.pb.h"
#include "model/batch_compare.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otlp/protobuf_decoder.h"
#include "tests/sdk/export/test_batch.h"

namespace rubato::sdk {
namespace {

using namespace std::chrono_literals;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::collector::trace::v1::TraceService;
using testing::WorkloadBatch;

// code + google.rpc.Status details carrying RetryInfo{delay}, as an OTLP
// server paces its clients.
grpc::Status WithRetryInfo(grpc::StatusCode code, std::chrono::milliseconds delay) {
  google::rpc::RetryInfo info;
  info.mutable_retry_delay()->set_seconds(delay.count() / 1000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(delay.count() % 1000) * 1'000'000);
  google::rpc::Status st;
  st.set_code(code);
  st.set_message("busy");
  st.add_details()->PackFrom(info);
  return grpc::Status(code, "busy", st.SerializeAsString());
}

class FakeTraceService final : public TraceService::Service {
 public:
  using Answer = std::function<grpc::Status(int n, ExportTraceServiceResponse* response)>;
  explicit FakeTraceService(Answer answer) : answer_(std::move(answer)) {}

  grpc::Status Export(grpc::ServerContext* ctx, const ExportTraceServiceRequest* request,
                      ExportTraceServiceResponse* response) override {
    int n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      bodies_.push_back(request->SerializeAsString());
      std::map<std::string, std::string> md;
      for (const auto& [k, v] : ctx->client_metadata())
        md[std::string(k.data(), k.size())] = std::string(v.data(), v.size());
      metadata_.push_back(std::move(md));
      n = static_cast<int>(bodies_.size());
    }
    return answer_ ? answer_(n, response) : grpc::Status::OK;
  }

  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(bodies_.size());
  }
  std::string body(int i) {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_.at(static_cast<size_t>(i));
  }
  std::map<std::string, std::string> metadata(int i) {
    std::lock_guard<std::mutex> lock(mu_);
    return metadata_.at(static_cast<size_t>(i));
  }

 private:
  Answer answer_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
  std::vector<std::map<std::string, std::string>> metadata_;
};

struct FakeServer {
  FakeTraceService service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
  explicit FakeServer(FakeTraceService::Answer answer = {}, bool accept_gzip = true) : service(std::move(answer)) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    if (!accept_gzip) builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
    server = builder.BuildAndStart();
  }
  ~FakeServer() { server->Shutdown(std::chrono::system_clock::now() + 1s); }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port); }
};

OtlpExporterOptions Options(const std::string& endpoint) {
  OtlpExporterOptions o;
  o.protocol = OtlpProtocol::kGrpc;
  o.endpoint = endpoint;
  o.retry.initial_backoff = 10ms;
  o.retry.max_backoff = 20ms;
  o.diagnostics = nullptr;
  return o;
}

std::unique_ptr<OtlpGrpcExporter> Make(OtlpExporterOptions o) {
  auto e = OtlpGrpcExporter::Create(std::move(o));
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(e).value() : nullptr;
}

void ExpectBody(const std::string& body, const model::Batch& want) {
  model::Batch got;
  Status s = otlp::DecodeProtobufView(body, &got);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(model::DescribeDifference(want, got), "");
}

TEST(OtlpGrpcExporter, ExportsTheBatchWithHeadersAsMetadata) {
  FakeServer fake;
  ASSERT_NE(fake.port, 0);
  OtlpExporterOptions o = Options(fake.endpoint());
  o.headers = {{"X-Tenant", "acme"}};
  auto e = Make(o);
  EXPECT_EQ(e->target(), "127.0.0.1:" + std::to_string(fake.port));
  model::Batch batch = WorkloadBatch(50);
  Status s = e->Export(batch);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(fake.service.calls(), 1);
  ExpectBody(fake.service.body(0), batch);
  auto md = fake.service.metadata(0);
  EXPECT_EQ(md["x-tenant"], "acme");
  EXPECT_EQ(md["user-agent"].substr(0, 25), "Rubato-OTLP-Exporter-Cpp/");
  EXPECT_EQ(e->stats().exports, 1u);
  EXPECT_EQ(e->stats().spans_exported, 50u);
}

TEST(OtlpGrpcExporter, ASchemelessTargetIsPlaintextWhenInsecure) {
  FakeServer fake;
  OtlpExporterOptions o = Options("127.0.0.1:" + std::to_string(fake.port));
  o.insecure = true;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(5);
  ASSERT_TRUE(e->Export(batch).ok());
  EXPECT_EQ(fake.service.calls(), 1);
}

TEST(OtlpGrpcExporter, UnavailableWithRetryInfoThenOkIsTwoCalls) {
  FakeServer fake([](int n, ExportTraceServiceResponse*) {
    return n == 1 ? WithRetryInfo(grpc::StatusCode::UNAVAILABLE, 100ms) : grpc::Status::OK;
  });
  auto e = Make(Options(fake.endpoint()));
  model::Batch batch = WorkloadBatch(12);
  Status s = e->Export(batch);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(fake.service.calls(), 2);
  ExpectBody(fake.service.body(1), batch);
  EXPECT_EQ(e->stats().retries, 1u);
}

TEST(OtlpGrpcExporter, ARetryInfoDelayBeyondTheTimeoutIsNotWaitedFor) {
  FakeServer fake([](int, ExportTraceServiceResponse*) { return WithRetryInfo(grpc::StatusCode::UNAVAILABLE, 30s); });
  OtlpExporterOptions o = Options(fake.endpoint());
  o.timeout = 2000ms;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "gave up after 1 attempt (the next, in 30000 ms as the server asked, would start after the "
                         "export timeout): gRPC UNAVAILABLE from 127.0.0.1:" + std::to_string(fake.port) + ": busy");
  EXPECT_EQ(fake.service.calls(), 1);
}

TEST(OtlpGrpcExporter, ResourceExhaustedIsRetriedOnlyWithRetryInfo) {
  FakeServer without([](int n, ExportTraceServiceResponse*) {
    return n == 1 ? grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "quota") : grpc::Status::OK;
  });
  auto e1 = Make(Options(without.endpoint()));
  model::Batch batch = WorkloadBatch(3);
  Status s = e1->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s.message(), "gRPC RESOURCE_EXHAUSTED from 127.0.0.1:" + std::to_string(without.port) + ": quota");
  EXPECT_EQ(without.service.calls(), 1);

  FakeServer with([](int n, ExportTraceServiceResponse*) {
    return n == 1 ? WithRetryInfo(grpc::StatusCode::RESOURCE_EXHAUSTED, 10ms) : grpc::Status::OK;
  });
  auto e2 = Make(Options(with.endpoint()));
  EXPECT_TRUE(e2->Export(batch).ok());
  EXPECT_EQ(with.service.calls(), 2);
}

TEST(OtlpGrpcExporter, RetryableCodesByTheSpecification) {
  using C = grpc::StatusCode;
  struct Case {
    C code;
    int calls;
  } cases[] = {{C::CANCELLED, 2},         {C::DEADLINE_EXCEEDED, 2},  {C::ABORTED, 2},
               {C::OUT_OF_RANGE, 2},      {C::UNAVAILABLE, 2},        {C::DATA_LOSS, 2},
               {C::INVALID_ARGUMENT, 1},  {C::NOT_FOUND, 1},          {C::ALREADY_EXISTS, 1},
               {C::PERMISSION_DENIED, 1}, {C::FAILED_PRECONDITION, 1}, {C::UNIMPLEMENTED, 1},
               {C::INTERNAL, 1},          {C::UNAUTHENTICATED, 1},    {C::UNKNOWN, 1}};
  for (const Case& c : cases) {
    FakeServer fake([&](int n, ExportTraceServiceResponse*) {
      return n == 1 ? grpc::Status(c.code, "no") : grpc::Status::OK;
    });
    auto e = Make(Options(fake.endpoint()));
    model::Batch batch = WorkloadBatch(3);
    Status s = e->Export(batch);
    EXPECT_EQ(fake.service.calls(), c.calls) << static_cast<int>(c.code);
    EXPECT_EQ(s.ok(), c.calls == 2) << static_cast<int>(c.code) << ": " << s.message();
  }
}

TEST(OtlpGrpcExporter, GzipIsUsedAndDecodesBackToTheSameBatch) {
  model::Batch batch = WorkloadBatch(64, 3);
  {
    FakeServer fake;
    OtlpExporterOptions o = Options(fake.endpoint());
    o.compression = OtlpCompression::kGzip;
    auto e = Make(o);
    ASSERT_TRUE(e->Export(batch).ok());
    ASSERT_EQ(fake.service.calls(), 1);
    ExpectBody(fake.service.body(0), batch);
  }
  // A server that refuses gzip proves the request was compressed...
  FakeServer no_gzip({}, /*accept_gzip=*/false);
  OtlpExporterOptions o = Options(no_gzip.endpoint());
  o.compression = OtlpCompression::kGzip;
  auto gz = Make(o);
  Status s = gz->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("UNIMPLEMENTED"), std::string::npos) << s.message();
  EXPECT_EQ(no_gzip.service.calls(), 0);
  // ...as the same server takes the uncompressed request.
  auto plain = Make(Options(no_gzip.endpoint()));
  EXPECT_TRUE(plain->Export(batch).ok());
  EXPECT_EQ(no_gzip.service.calls(), 1);
}

TEST(OtlpGrpcExporter, PartialSuccessIsDeliveredAndCounted) {
  FakeServer fake([](int, ExportTraceServiceResponse* r) {
    r->mutable_partial_success()->set_rejected_spans(5);
    r->mutable_partial_success()->set_error_message("bad ids");
    return grpc::Status::OK;
  });
  auto e = Make(Options(fake.endpoint()));
  model::Batch batch = WorkloadBatch(9);
  ASSERT_TRUE(e->Export(batch).ok());
  EXPECT_EQ(fake.service.calls(), 1);
  EXPECT_EQ(e->stats().spans_rejected, 5u);
}

TEST(OtlpGrpcExporter, TheTimeoutIsTheDeadline) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  FakeServer fake([&](int, ExportTraceServiceResponse*) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, 30s, [&] { return release; });
    return grpc::Status::OK;
  });
  OtlpExporterOptions o = Options(fake.endpoint());
  o.timeout = 800ms;
  o.retry.initial_backoff = 2000ms;  // a retry cannot fit in what is left
  o.retry.max_backoff = 2000ms;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("DEADLINE_EXCEEDED"), std::string::npos) << s.message();
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  EXPECT_LE(fake.service.calls(), 1);
}

TEST(OtlpGrpcExporter, AnUnreachableServerIsRetriedUpToTheAttempts) {
  int port;
  {
    FakeServer gone;
    port = gone.port;
  }
  OtlpExporterOptions o = Options("http://127.0.0.1:" + std::to_string(port));
  o.retry.max_attempts = 3;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message().rfind("gave up after 3 attempts: gRPC UNAVAILABLE", 0), 0u) << s.message();
  EXPECT_EQ(e->stats().attempts, 3u);
}

TEST(OtlpGrpcExporter, ExportAfterShutdownSendsNothing) {
  FakeServer fake;
  auto e = Make(Options(fake.endpoint()));
  e->Shutdown();
  model::Batch batch = WorkloadBatch(3);
  EXPECT_FALSE(e->Export(batch).ok());
  EXPECT_EQ(fake.service.calls(), 0);
}

TEST(OtlpGrpcExporter, RefusesBadOptions) {
  OtlpExporterOptions o = Options("http://:4317");
  EXPECT_FALSE(OtlpGrpcExporter::Create(o).ok());
  o = Options("http://localhost:4317");
  o.protocol = OtlpProtocol::kHttpProtobuf;
  EXPECT_FALSE(OtlpGrpcExporter::Create(o).ok());
  o = Options("");
  EXPECT_FALSE(OtlpGrpcExporter::Create(o).ok());
  o = Options("http://localhost:4317");
  o.headers = {{"a!b", "1"}};
  auto bad_key = OtlpGrpcExporter::Create(o);
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.status().message(), "header \"a!b\" is not a gRPC metadata key (a-z, 0-9, - _ .)");
  o.headers = {{"x", "caf\xc3\xa9"}};
  EXPECT_FALSE(OtlpGrpcExporter::Create(o).ok());
}

}  // namespace
}  // namespace rubato::sdk
