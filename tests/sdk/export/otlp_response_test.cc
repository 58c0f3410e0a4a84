// The hand-written readers of OTLP answers against bytes that libprotobuf's
// generated classes write.
#include "sdk/export/otlp_response.h"

#include <gtest/gtest.h>

#include "google/rpc/retry_info.pb.h"
#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace rubato::sdk {
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

TEST(OtlpResponse, RetryInfoDelayFromLibprotobufBytes) {
  EXPECT_EQ(RetryInfoDelay(StatusWith(1, 0, false)), 1s);
  EXPECT_EQ(RetryInfoDelay(StatusWith(0, 250'000'000, false)), 250ms);
  EXPECT_EQ(RetryInfoDelay(StatusWith(2, 5, true)), 2s + 5ns);
  EXPECT_EQ(RetryInfoDelay(StatusWith(0, 0, false)), 0ns);  // present, zero: still a RetryInfo
}

TEST(OtlpResponse, NoRetryInfo) {
  google::rpc::Status st;
  st.set_code(8);
  st.set_message("quota");
  EXPECT_FALSE(RetryInfoDelay(st.SerializeAsString()).has_value());
  EXPECT_FALSE(RetryInfoDelay("").has_value());
  EXPECT_FALSE(RetryInfoDelay("\xff\xff\xff").has_value());
  EXPECT_FALSE(RetryInfoDelay(StatusWith(-1, 0, false)).has_value());  // negative: not a delay
}

TEST(OtlpResponse, PartialSuccessProtobuf) {
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

TEST(OtlpResponse, PartialSuccessJson) {
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

TEST(OtlpResponse, RpcStatusMessage) {
  google::rpc::Status st;
  st.set_code(3);
  st.set_message("span 2 has no trace id");
  EXPECT_EQ(RpcStatusMessage(st.SerializeAsString(), false), "span 2 has no trace id");
  EXPECT_EQ(RpcStatusMessage(R"({"code":3,"message":"bad json"})", true), "bad json");
  EXPECT_EQ(RpcStatusMessage("not json", true), "");
}

}  // namespace
}  // namespace rubato::sdk
