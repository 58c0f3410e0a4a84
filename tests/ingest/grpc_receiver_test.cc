// The OTLP/gRPC receiver against a real gRPC client (the generated TraceService
// stub, and GenericStub for raw calls), with a scripted ExportHandler.
#include "ingest/grpc_receiver.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "google/rpc/retry_info.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"

namespace rubato::ingest {
namespace {

using namespace std::chrono_literals;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using opentelemetry::proto::collector::trace::v1::TraceService;

// Records every call and answers with `result`; can hold calls until released.
class FakeHandler : public ExportHandler {
 public:
  struct Received {
    std::string tenant;
    std::string body;
    Encoding encoding;
  };

  Result<ExportOutcome> Export(std::string_view tenant, std::string body, Encoding encoding) override {
    std::unique_lock<std::mutex> lock(mu_);
    received_.push_back({std::string(tenant), std::move(body), encoding});
    cv_.notify_all();
    cv_.wait(lock, [&] { return !hold_; });
    return result_;
  }

  void Script(Result<ExportOutcome> result) {
    std::lock_guard<std::mutex> lock(mu_);
    result_ = std::move(result);
  }
  void Hold(bool hold) {
    std::lock_guard<std::mutex> lock(mu_);
    hold_ = hold;
    cv_.notify_all();
  }
  void WaitForCalls(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return received_.size() >= n; });
  }
  std::vector<Received> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> received_;
  Result<ExportOutcome> result_ = ExportOutcome{};
  bool hold_ = false;
};

// A request with `spans` spans whose names make it `name_bytes` long each.
ExportTraceServiceRequest MakeRequest(int spans, std::size_t name_bytes = 8) {
  ExportTraceServiceRequest request;
  auto* rs = request.add_resource_spans();
  auto* attr = rs->mutable_resource()->add_attributes();
  attr->set_key("service.name");
  attr->mutable_value()->set_string_value("checkout");
  auto* ss = rs->add_scope_spans();
  for (int i = 0; i < spans; ++i) {
    auto* span = ss->add_spans();
    span->set_trace_id(std::string(16, static_cast<char>(i + 1)));
    span->set_span_id(std::string(8, static_cast<char>(i + 1)));
    span->set_name(std::string(name_bytes, 'a'));
  }
  return request;
}

class GrpcReceiverTest : public ::testing::Test {
 protected:
  void StartReceiver(GrpcReceiverOptions options = {}) {
    options.endpoint = "127.0.0.1:0";
    if (options.worker_threads == 0) options.worker_threads = 2;
    auto started = GrpcReceiver::Start(options, &handler_);
    ASSERT_TRUE(started.ok()) << started.status().message();
    receiver_ = std::move(started).value();
    ASSERT_GT(receiver_->port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(receiver_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = TraceService::NewStub(channel_);
  }

  void TearDown() override {
    if (receiver_) receiver_->Stop(1s);
  }

  // One Export through the generated stub; `setup` adjusts the context.
  grpc::Status Export(const ExportTraceServiceRequest& request, ExportTraceServiceResponse* response,
                      const std::function<void(grpc::ClientContext&)>& setup = {}) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    if (setup) setup(ctx);
    return stub_->Export(&ctx, request, response);
  }

  // One unary call of `method` with raw bytes, through GenericStub.
  grpc::Status RawCall(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::CompletionQueue cq;
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    auto call = stub.PrepareUnaryCall(&ctx, method, request, &cq);
    call->StartCall();
    grpc::Status status;
    call->Finish(&response, &status, this);
    void* tag;
    bool ok;
    cq.Next(&tag, &ok);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    return status;
  }

  FakeHandler handler_;
  std::unique_ptr<GrpcReceiver> receiver_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<TraceService::Stub> stub_;
};

TEST_F(GrpcReceiverTest, HandlerSeesTheExactRequestBytes) {
  StartReceiver();
  handler_.Script(ExportOutcome{.accepted_spans = 3, .rejected_spans = 0, .error_message = {}});
  ExportTraceServiceRequest request = MakeRequest(3);
  ExportTraceServiceResponse response;
  grpc::Status status = Export(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.has_partial_success());  // OTLP: unset on full success
  auto received = handler_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, request.SerializeAsString());
  EXPECT_EQ(received[0].tenant, "single-tenant");
  EXPECT_EQ(received[0].encoding, Encoding::kProtobuf);
  EXPECT_EQ(receiver_->stats().Requests(GrpcResult::kOk), 1u);
  EXPECT_EQ(receiver_->stats().Bytes(GrpcResult::kOk), request.ByteSizeLong());
  EXPECT_EQ(receiver_->stats().accepted_spans.load(), 3u);
}

TEST_F(GrpcReceiverTest, GzipRequestArrivesDecompressed) {
  StartReceiver();
  ExportTraceServiceRequest request = MakeRequest(200, 100);
  ExportTraceServiceResponse response;
  grpc::Status status = Export(request, &response, [](grpc::ClientContext& ctx) {
    ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  auto received = handler_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, request.SerializeAsString());
}

TEST_F(GrpcReceiverTest, PartialSuccessCarriesRejectedSpansAndMessage) {
  StartReceiver();
  handler_.Script(ExportOutcome{.accepted_spans = 1, .rejected_spans = 2,
                                .error_message = "spans[1]: trace_id must be 16 bytes, got 3"});
  ExportTraceServiceResponse response;
  grpc::Status status = Export(MakeRequest(3), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(response.has_partial_success());
  EXPECT_EQ(response.partial_success().rejected_spans(), 2);
  EXPECT_EQ(response.partial_success().error_message(), "spans[1]: trace_id must be 16 bytes, got 3");
  EXPECT_EQ(receiver_->stats().rejected_spans.load(), 2u);
}

TEST_F(GrpcReceiverTest, InvalidArgumentCarriesTheHandlersMessage) {
  StartReceiver();
  handler_.Script(Status::InvalidArgument("resource_spans[0]: truncated at byte 7"));
  grpc::Status status = RawCall(std::string(kGrpcExportMethod), "\x0a\x20garbage");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "resource_spans[0]: truncated at byte 7");
  ASSERT_EQ(handler_.received().size(), 1u);
  EXPECT_EQ(handler_.received()[0].body, "\x0a\x20garbage");
  EXPECT_EQ(receiver_->stats().Requests(GrpcResult::kInvalidArgument), 1u);
}

TEST_F(GrpcReceiverTest, HandlerResourceExhaustedMapsToResourceExhausted) {
  StartReceiver();
  handler_.Script(Status::ResourceExhausted("trace too large"));
  ExportTraceServiceResponse response;
  grpc::Status status = Export(MakeRequest(1), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "trace too large");
  EXPECT_TRUE(status.error_details().empty());  // no RetryInfo: not retryable
}

TEST_F(GrpcReceiverTest, OverTheSizeLimitIsResourceExhausted) {
  StartReceiver({.max_receive_message_bytes = 4096});
  ExportTraceServiceResponse response;
  grpc::Status status = Export(MakeRequest(100, 100), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_TRUE(handler_.received().empty());
  // Under the limit still works on the same channel.
  EXPECT_TRUE(Export(MakeRequest(1), &response).ok());
}

TEST_F(GrpcReceiverTest, SizeLimitAppliesAfterDecompression) {
  StartReceiver({.max_receive_message_bytes = 4096});
  ExportTraceServiceRequest request = MakeRequest(100, 100);  // ~13 KB, gzips to well under 4 KiB
  ExportTraceServiceResponse response;
  grpc::Status status = Export(request, &response, [](grpc::ClientContext& ctx) {
    ctx.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  });
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_TRUE(handler_.received().empty());
}

TEST_F(GrpcReceiverTest, UnavailableCarriesRetryInfoWithTheDelay) {
  StartReceiver({.retry_delay = 2500ms});
  handler_.Script(Status::Unavailable("ingest queue full"));
  ExportTraceServiceResponse response;
  grpc::Status status = Export(MakeRequest(1), &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "ingest queue full");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(details.message(), "ingest queue full");
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.RetryInfo");
  google::rpc::RetryInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.retry_delay().seconds(), 2);
  EXPECT_EQ(info.retry_delay().nanos(), 500'000'000);
  EXPECT_EQ(receiver_->stats().Requests(GrpcResult::kUnavailable), 1u);
}

TEST_F(GrpcReceiverTest, OtherMethodsAreUnimplemented) {
  StartReceiver();
  grpc::Status status = RawCall("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_TRUE(handler_.received().empty());
  EXPECT_EQ(receiver_->stats().Requests(GrpcResult::kUnimplemented), 1u);
}

TEST_F(GrpcReceiverTest, TenantHeaderIsPassedThroughWhenMultitenant) {
  StartReceiver({.tenant_header = "X-Scope-OrgID", .require_tenant = true});
  ExportTraceServiceResponse response;
  grpc::Status status = Export(MakeRequest(1), &response, [](grpc::ClientContext& ctx) {
    ctx.AddMetadata("x-scope-orgid", "acme-prod");
  });
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(handler_.received().size(), 1u);
  EXPECT_EQ(handler_.received()[0].tenant, "acme-prod");
}

TEST_F(GrpcReceiverTest, MissingTenantIsUnauthenticatedWhenMultitenant) {
  StartReceiver({.require_tenant = true});
  ExportTraceServiceResponse response;
  grpc::Status status = Export(MakeRequest(1), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("x-scope-orgid"), std::string::npos);
  EXPECT_TRUE(handler_.received().empty());
  EXPECT_EQ(receiver_->stats().Requests(GrpcResult::kUnauthenticated), 1u);
}

TEST_F(GrpcReceiverTest, TenantHeaderIsIgnoredWithoutMultitenancy) {
  StartReceiver();
  ExportTraceServiceResponse response;
  ASSERT_TRUE(Export(MakeRequest(1), &response, [](grpc::ClientContext& ctx) {
                ctx.AddMetadata("x-scope-orgid", "acme");
              }).ok());
  EXPECT_EQ(handler_.received()[0].tenant, "single-tenant");
}

TEST_F(GrpcReceiverTest, ConcurrentClientsAllGetAnswers) {
  StartReceiver();
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        ExportTraceServiceResponse response;
        if (Export(MakeRequest(2), &response).ok()) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(handler_.received().size(), 100u);
}

TEST_F(GrpcReceiverTest, StopReturnsPromptlyWithAConnectedClient) {
  StartReceiver();
  ExportTraceServiceResponse response;
  ASSERT_TRUE(Export(MakeRequest(1), &response).ok());  // the channel is now connected
  auto start = std::chrono::steady_clock::now();
  receiver_->Stop(2s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_FALSE(Export(MakeRequest(1), &response).ok());
}

TEST_F(GrpcReceiverTest, StopLetsACallInFlightFinish) {
  StartReceiver();
  handler_.Hold(true);
  grpc::Status in_flight;
  std::thread client([&] {
    ExportTraceServiceResponse response;
    in_flight = Export(MakeRequest(1), &response);
  });
  handler_.WaitForCalls(1);
  auto start = std::chrono::steady_clock::now();
  std::thread stopper([&] { receiver_->Stop(3s); });
  std::this_thread::sleep_for(200ms);
  handler_.Hold(false);
  stopper.join();
  client.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(in_flight.ok()) << in_flight.error_message();
}

TEST_F(GrpcReceiverTest, StopCancelsACallThatNeverSendsItsMessage) {
  StartReceiver();
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&ctx, std::string(kGrpcExportMethod), &cq);
  call->StartCall(nullptr);
  void* tag;
  bool ok;
  ASSERT_TRUE(cq.Next(&tag, &ok) && ok);  // the stream is open; no message follows
  auto start = std::chrono::steady_clock::now();
  receiver_->Stop(500ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  grpc::Status status;
  call->Finish(&status, nullptr);
  ASSERT_TRUE(cq.Next(&tag, &ok));
  EXPECT_FALSE(status.ok());
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST(GrpcReceiverStartTest, BusyPortIsUnavailable) {
  FakeHandler handler;
  auto first = GrpcReceiver::Start({.endpoint = "127.0.0.1:0", .worker_threads = 1}, &handler);
  ASSERT_TRUE(first.ok());
  std::string busy = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = GrpcReceiver::Start({.endpoint = busy, .worker_threads = 1}, &handler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(busy), std::string::npos);
}

TEST(GrpcReceiverStartTest, BadOptionsAreInvalidArgument) {
  FakeHandler handler;
  EXPECT_EQ(GrpcReceiver::Start({.max_receive_message_bytes = 0}, &handler).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(GrpcReceiver::Start({.tenant_header = ""}, &handler).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rubato::ingest
