// bytes → Batch → bytes gives a message libprotobuf finds equal to the input.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "tests/otlp/fixture_file.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "tests/otlp/rich_request.h"

namespace rubato::otlp {
namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using google::protobuf::util::MessageDifferencer;

// Decodes with Rubato, re-encodes, and compares with libprotobuf's reading of the input.
void ExpectRoundTrip(const std::string& input) {
  ExportTraceServiceRequest want;
  ASSERT_TRUE(want.ParseFromString(input));
  model::Batch batch;
  Status s = DecodeProtobuf(input, &batch);
  ASSERT_TRUE(s.ok()) << s.message();
  ExportTraceServiceRequest got;
  ASSERT_TRUE(got.ParseFromString(EncodeProtobuf(batch)));
  std::string report;
  MessageDifferencer diff;
  diff.set_message_field_comparison(MessageDifferencer::EQUIVALENT);  // absent == empty submessage
  diff.ReportDifferencesToString(&report);
  EXPECT_TRUE(diff.Compare(want, got)) << report;
}

TEST(ProtobufRoundTrip, JsFixture) { ExpectRoundTrip(testing::ReadFixture("otel-js/trace.pb")); }

TEST(ProtobufRoundTrip, EveryFieldAndValueKind) { ExpectRoundTrip(testing::RichRequest().SerializeAsString()); }

TEST(ProtobufRoundTrip, OutputIsCanonical) {
  // Our encoder writes fields in number order and omits defaults, as libprotobuf does,
  // so for a message without explicit defaults the bytes are identical.
  std::string input = testing::RichRequest().SerializeAsString();
  model::Batch batch;
  ASSERT_TRUE(DecodeProtobuf(input, &batch).ok());
  EXPECT_EQ(EncodeProtobuf(batch), input);
}

TEST(ProtobufRoundTrip, ReusedBatchAndWriterGiveSameBytes) {
  std::string input = testing::RichRequest().SerializeAsString();
  model::Batch batch;
  ReverseWriter writer(16);  // forces growth
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(DecodeProtobufView(input, &batch).ok());
    EncodeProtobuf(batch, &writer);
    EXPECT_EQ(writer.view(), input);
  }
}

}  // namespace
}  // namespace rubato::otlp
