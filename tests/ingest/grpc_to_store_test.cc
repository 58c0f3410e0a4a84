// The real pipeline behind the gRPC receiver: garbage is INVALID_ARGUMENT with
// the decoder's message, the server stays up, and what was stored before is
// still there exactly; a bad span alone comes back as partial success.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "ingest/grpc_receiver.h"
#include "ingest/otlp_ingester.h"
#include "model/batch_compare.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.grpc.pb.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "store/memory_store.h"
#include "tests/otlp/fixture_file.h"

namespace rubato::ingest {
namespace {

using namespace std::chrono_literals;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;

class GrpcToStore : public ::testing::Test {
 protected:
  void SetUp() override {
    GrpcReceiverOptions o;
    o.endpoint = "127.0.0.1:0";
    o.worker_threads = 1;
    auto r = GrpcReceiver::Start(o, &ingester_);
    ASSERT_TRUE(r.ok()) << r.status().message();
    receiver_ = std::move(r).value();
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(receiver_->port()),
                                   grpc::InsecureChannelCredentials());
  }
  void TearDown() override { receiver_->Stop(1s); }

  grpc::Status Call(const std::string& bytes, std::string* response) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::CompletionQueue cq;
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), reply;
    auto call = stub.PrepareUnaryCall(&ctx, std::string(kGrpcExportMethod), request, &cq);
    call->StartCall();
    grpc::Status status;
    call->Finish(&reply, &status, this);
    void* tag;
    bool ok;
    cq.Next(&tag, &ok);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    std::vector<grpc::Slice> slices;
    response->clear();
    if (status.ok() && reply.Dump(&slices).ok()) {
      for (auto& s : slices) response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return status;
  }

  void ExpectFixtureStoredExactly() {
    auto found = store_.FindTrace("single-tenant", *model::TraceId::FromHex("5b8aa5a2d2c872e8321cf37308d69df2"), {});
    ASSERT_TRUE(found.ok());
    model::Batch want;
    ASSERT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &want).ok());
    EXPECT_EQ(model::DescribeDifference(want, found->batch), "");
  }

  store::MemoryStore store_;
  metrics::Registry registry_;
  OtlpIngester ingester_{&store_, &registry_};
  std::unique_ptr<GrpcReceiver> receiver_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcToStore, GarbageIsInvalidArgumentAndLosesNothing) {
  std::string response;
  ASSERT_TRUE(Call(testing::ReadFixture("otel-js/trace.pb"), &response).ok());
  EXPECT_EQ(response, "");  // full success: an empty ExportTraceServiceResponse
  const std::pair<std::string, std::string> bad[] = {
      {"\x0a\x05" "abc", "otlp protobuf: length 5 runs past the end of its message (3 bytes left) (at byte 2)"},
      {"\x0b", "otlp protobuf: groups (wire type 3) are not supported (at byte 1)"},
      {std::string(100, '\xff'), "otlp protobuf: varint overflows 64 bits (at byte 0)"},
  };
  for (const auto& [bytes, message] : bad) {
    grpc::Status s = Call(bytes, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(s.error_message(), message);
  }
  ExpectFixtureStoredExactly();
}

TEST_F(GrpcToStore, WrongLengthSpanIdIsPartialSuccess) {
  model::Batch b;
  ASSERT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &b).ok());
  b.spans[0].span_id = model::SpanId();  // missing: refused alone (wrong lengths are covered in otlp_test)
  std::string response;
  ASSERT_TRUE(Call(otlp::EncodeProtobuf(b), &response).ok());
  ExportTraceServiceResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(response));
  EXPECT_EQ(parsed.partial_success().rejected_spans(), 1);
  EXPECT_EQ(parsed.partial_success().error_message(),
            "1 span(s) refused: trace_id or span_id missing, all zero or of the wrong length");
}

}  // namespace
}  // namespace rubato::ingest
