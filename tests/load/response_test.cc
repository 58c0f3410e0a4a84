#include "load/response.h"

#include <gtest/gtest.h>

#include "tests/load/wire_builder.h"

namespace rubato::load {
namespace {

using namespace wire;
using namespace std::chrono_literals;

TEST(ProtobufResponse, PartialSuccess) {
  auto ps = ParseProtobufResponse(PartialSuccessResponse(7, "span 3: bad trace id"));
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(ps->rejected_spans, 7);
  EXPECT_EQ(ps->error_message, "span 3: bad trace id");
  // A count above 2^7 needs a multi-byte varint.
  EXPECT_EQ(ParseProtobufResponse(PartialSuccessResponse(100000, ""))->rejected_spans, 100000);
}

TEST(ProtobufResponse, EmptyAndUnknownFields) {
  EXPECT_EQ(ParseProtobufResponse("")->rejected_spans, 0);
  // Unknown fields around and inside partial_success are skipped.
  std::string body = VarintField(9, 1) + BytesField(1, VarintField(5, 3) + VarintField(1, 4)) + BytesField(12, "x");
  EXPECT_EQ(ParseProtobufResponse(body)->rejected_spans, 4);
  EXPECT_FALSE(ParseProtobufResponse("\x0a\x05\x08").ok());  // truncated
  EXPECT_FALSE(ParseProtobufResponse("not protobuf at all").ok());
}

TEST(JsonResponse, PartialSuccess) {
  auto ps = ParseJsonResponse(R"({"partialSuccess":{"rejectedSpans":"12","errorMessage":"too old"}})");
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  EXPECT_EQ(ps->rejected_spans, 12);
  EXPECT_EQ(ps->error_message, "too old");
  EXPECT_EQ(ParseJsonResponse(R"({"partialSuccess":{"rejectedSpans":3}})")->rejected_spans, 3);
  EXPECT_EQ(ParseJsonResponse(R"({"other":1,"partialSuccess":{}})")->rejected_spans, 0);
  EXPECT_EQ(ParseJsonResponse("{}")->rejected_spans, 0);
  EXPECT_EQ(ParseJsonResponse("")->rejected_spans, 0);
  EXPECT_EQ(ParseJsonResponse(" \n")->rejected_spans, 0);
  EXPECT_FALSE(ParseJsonResponse("[1]").ok());
  EXPECT_FALSE(ParseJsonResponse(R"({"partialSuccess":{"rejectedSpans":"x"}})").ok());
}

TEST(RetryInfo, ReadsTheDelay) {
  auto d = ParseRetryInfoDelay(RpcStatusWithRetry(14, "busy", 1, 500'000'000));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, 1500ms);
  EXPECT_EQ(*ParseRetryInfoDelay(RpcStatusWithRetry(14, "busy", 0, 0)), 0ns);
  EXPECT_FALSE(ParseRetryInfoDelay("").has_value());
  EXPECT_FALSE(ParseRetryInfoDelay(VarintField(1, 14) + BytesField(2, "no details")).has_value());
  // A detail of another type is not mistaken for RetryInfo.
  std::string other = BytesField(3, BytesField(1, "type.googleapis.com/google.rpc.DebugInfo") + BytesField(2, "zz"));
  EXPECT_FALSE(ParseRetryInfoDelay(other).has_value());
  EXPECT_EQ(RpcStatusMessage(RpcStatusWithRetry(14, "queue full", 1, 0)), "queue full");
}

TEST(RetryAfter, DeltaSecondsOnly) {
  EXPECT_EQ(*ParseRetryAfter("3"), 3s);
  EXPECT_EQ(*ParseRetryAfter(" 0 "), 0s);
  EXPECT_FALSE(ParseRetryAfter("").has_value());
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
  EXPECT_FALSE(ParseRetryAfter("-1").has_value());
}

}  // namespace
}  // namespace rubato::load
