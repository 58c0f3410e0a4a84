// The hand-written readers of OTLP export answers (src/otlp/export_response.h)
// against bytes that libprotobuf's generated classes write, and against
// hand-built bytes for what libprotobuf would not write (unknown fields,
// truncation, fields of the wrong wire type).
#include "otlp/export_response.h"

#include <gtest/gtest.h>

#include "google/rpc/retry_info.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "tests/load/wire_builder.h"

namespace rubato::otlp {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse;
using namespace std::chrono_literals;

std::string StatusWith(int64_t seconds, int32_t nanos, bool other_detail_first) {
  google::rpc::Status st;
  st.set_code(14);
  st.set_message("busy");
  if (other_detail_first) {
    google::rpc::Status unrelated;
    unrelated.set_message("not a RetryInfo");
    st.add_details()->PackFrom(unrelated);
  }
  google::rpc::RetryInfo info;
  info.mutable_retry_delay()->set_seconds(seconds);
  info.mutable_retry_delay()->set_nanos(nanos);
  st.add_details()->PackFrom(info);
  return st.SerializeAsString();
}

TEST(ExportResponse, RetryInfoDelayFromLibprotobufBytes) {
  EXPECT_EQ(RetryInfoDelay(StatusWith(1, 0, false)), 1s);
  EXPECT_EQ(RetryInfoDelay(StatusWith(0, 250'000'000, false)), 250ms);
  EXPECT_EQ(RetryInfoDelay(StatusWith(2, 5, true)), 2s + 5ns);
  EXPECT_EQ(RetryInfoDelay(StatusWith(0, 0, false)), 0ns);  // present, zero: still a RetryInfo
}

TEST(ExportResponse, NoRetryInfo) {
  google::rpc::Status st;
  st.set_code(8);
  st.set_message("quota");
  EXPECT_FALSE(RetryInfoDelay(st.SerializeAsString()).has_value());
  EXPECT_FALSE(RetryInfoDelay("").has_value());
  EXPECT_FALSE(RetryInfoDelay("\xff\xff\xff").has_value());
  EXPECT_FALSE(RetryInfoDelay(StatusWith(-1, 0, false)).has_value());  // negative: not a delay
}

TEST(ExportResponse, PartialSuccessProtobuf) {
  ExportTraceServiceResponse r;
  r.mutable_partial_success()->set_rejected_spans(7);
  r.mutable_partial_success()->set_error_message("bad ids");
  auto ps = ParsePartialSuccess(r.SerializeAsString(), false);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->rejected_spans, 7);
  EXPECT_EQ(ps->error_message, "bad ids");
  EXPECT_TRUE(ps->present());
  auto empty = ParsePartialSuccess("", false);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->present());
  EXPECT_FALSE(ParsePartialSuccess("\x0a\x05\x08", false).ok());
}

TEST(ExportResponse, PartialSuccessJson) {
  auto ps = ParsePartialSuccess(R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"too old"}})", true);
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  EXPECT_EQ(ps->rejected_spans, 3);
  EXPECT_EQ(ps->error_message, "too old");
  auto number = ParsePartialSuccess(R"({"partialSuccess":{"rejectedSpans":4}})", true);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->rejected_spans, 4);
  EXPECT_FALSE(ParsePartialSuccess("{}", true)->present());
  EXPECT_FALSE(ParsePartialSuccess("", true)->present());
  EXPECT_FALSE(ParsePartialSuccess("[1]", true).ok());
}

TEST(ExportResponse, RpcStatusMessage) {
  google::rpc::Status st;
  st.set_code(3);
  st.set_message("span 2 has no trace id");
  EXPECT_EQ(RpcStatusMessage(st.SerializeAsString(), false), "span 2 has no trace id");
  EXPECT_EQ(RpcStatusMessage(R"({"code":3,"message":"bad json"})", true), "bad json");
  EXPECT_EQ(RpcStatusMessage("not json", true), "");
}

// From `rubato load`'s tests: what its senders rely on.
TEST(ExportResponse, ProtobufUnknownFieldsAndBadBytes) {
  using namespace load::wire;
  auto ps = ParsePartialSuccess(PartialSuccessResponse(100000, "span 3: bad trace id"), false);
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->rejected_spans, 100000);  // a multi-byte varint
  EXPECT_EQ(ps->error_message, "span 3: bad trace id");
  // Unknown fields around and inside partial_success are skipped.
  std::string body = VarintField(9, 1) + BytesField(1, VarintField(5, 3) + VarintField(1, 4)) + BytesField(12, "x");
  EXPECT_EQ(ParsePartialSuccess(body, false)->rejected_spans, 4);
  // partial_success of the wrong wire type is skipped, not misread.
  EXPECT_EQ(ParsePartialSuccess(VarintField(1, 5), false)->rejected_spans, 0);
  auto bad = ParsePartialSuccess("not protobuf at all", false);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "the answer is not an ExportTraceServiceResponse");
}

TEST(ExportResponse, JsonForms) {
  EXPECT_EQ(ParsePartialSuccess(R"({"other":1,"partialSuccess":{}})", true)->rejected_spans, 0);
  EXPECT_EQ(ParsePartialSuccess(" \n", true)->rejected_spans, 0);
  // The proto field names, which proto3 JSON parsers accept too.
  auto snake = ParsePartialSuccess(R"({"partialSuccess":{"rejected_spans":"5","error_message":"old"}})", true);
  ASSERT_TRUE(snake.ok());
  EXPECT_EQ(snake->rejected_spans, 5);
  EXPECT_EQ(snake->error_message, "old");
  auto bad = ParsePartialSuccess(R"({"partialSuccess":{"rejectedSpans":"x"}})", true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "the answer is not an ExportTraceServiceResponse JSON object");
}

TEST(ExportResponse, RetryInfoFromHandBuiltBytes) {
  using namespace load::wire;
  EXPECT_EQ(RetryInfoDelay(RpcStatusWithRetry(14, "busy", 1, 500'000'000)), 1500ms);
  EXPECT_FALSE(RetryInfoDelay(VarintField(1, 14) + BytesField(2, "no details")).has_value());
  // A detail of another type is not mistaken for RetryInfo.
  std::string other = BytesField(3, BytesField(1, "type.googleapis.com/google.rpc.DebugInfo") + BytesField(2, "zz"));
  EXPECT_FALSE(RetryInfoDelay(other).has_value());
  EXPECT_FALSE(RetryInfoDelay(RpcStatusWithRetry(14, "busy", 86401, 0)).has_value());  // over a day
  EXPECT_EQ(RpcStatusMessage(RpcStatusWithRetry(14, "queue full", 1, 0), false), "queue full");
}

}  // namespace
}  // namespace rubato::otlp
