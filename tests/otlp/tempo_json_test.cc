// EncodeTempoTrace: the exact bodies of Tempo's GET /api/traces/<id> (v1) and
// GET /api/v2/traces/<id> (v2) for a small batch, and that the bodies are
// canonical proto3 JSON that libprotobuf reads back to the same spans.
#include "otlp/tempo_json.h"

#include <gtest/gtest.h>

#include "model/batch_compare.h"
#include "opentelemetry/proto/trace/v1/trace.pb.h"
#include "otlp/protobuf_decoder.h"
#include "tests/otlp/json_test_support.h"

namespace rubato::otlp {
namespace {

using model::Batch;

// The ResourceSpans of BuildSmallBatch as jsonpb writes it: base64 ids,
// enum names, 64-bit integers as strings, uint32 as numbers.
constexpr std::string_view kSmallResourceSpans =
    R"([{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},)"
    R"("scopeSpans":[{"scope":{"name":"lib","version":"1.0"},"spans":[{)"
    R"("traceId":"W4qlotLIcugyHPNzCNad8g==","spanId":"X7OXvjTSa1E=","traceState":"k=v",)"
    R"("parentSpanId":"BRWBvzy1XBM=","flags":257,"name":"charge","kind":"SPAN_KIND_CLIENT",)"
    R"("startTimeUnixNano":"1700000000300000000","endTimeUnixNano":"1700000000950000000",)"
    R"("attributes":[{"key":"i","value":{"intValue":"-7"}},{"key":"d","value":{"doubleValue":0.5}},)"
    R"({"key":"b","value":{"boolValue":true}},{"key":"raw","value":{"bytesValue":"AP8="}},)"
    R"({"key":"arr","value":{"arrayValue":{"values":[{"intValue":"1"},{"stringValue":"a"},{}]}}},)"
    R"({"key":"map","value":{"kvlistValue":{"values":[{"key":"k"}]}}}],"droppedAttributesCount":1,)"
    R"("events":[{"timeUnixNano":"1700000000900000000","name":"exception"}],)"
    R"("links":[{"traceId":"CvdlGRbNQ92ESOshHIAxnA==","spanId":"t61rcWkgMzE=","flags":769}],)"
    R"("status":{"message":"boom","code":"STATUS_CODE_ERROR"}}]}],)"
    R"("schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}])";

TEST(TempoJson, V1BatchesShape) {
  Batch b;
  jsontest::BuildSmallBatch(&b);
  EXPECT_EQ(EncodeTempoTrace(b, TempoShape::kV1Batches), R"({"batches":)" + std::string(kSmallResourceSpans) + "}");
}

TEST(TempoJson, V2TraceShape) {
  Batch b;
  jsontest::BuildSmallBatch(&b);
  EXPECT_EQ(EncodeTempoTrace(b, TempoShape::kV2Trace),
            R"({"trace":{"resourceSpans":)" + std::string(kSmallResourceSpans) + "}}");
}

TEST(TempoJson, EmptyMessagesAreWrittenAsTempoDoes) {
  // Tempo's spans always carry resource, scope and status, so "status":{} even when unset.
  Batch b;
  b.AddResource({});
  b.AddScope("", "");
  model::Span s;
  s.span_id = *model::SpanId::FromHex("eee19b7ec3c1b100");
  s.kind = model::SpanKind::kServer;
  b.AddSpan(s);
  EXPECT_EQ(EncodeTempoTrace(b, TempoShape::kV2Trace),
            R"({"trace":{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[)"
            R"({"spanId":"7uGbfsPBsQA=","kind":"SPAN_KIND_SERVER","status":{}}]}]}]}})");
  Batch empty;
  EXPECT_EQ(EncodeTempoTrace(empty, TempoShape::kV1Batches), "{}");
  EXPECT_EQ(EncodeTempoTrace(empty, TempoShape::kV2Trace), R"({"trace":{}})");
}

TEST(TempoJson, UnnamedEnumValuesAreNumbers) {
  Batch b;
  b.AddResource({});
  b.AddScope("", "");
  model::Span s;
  s.kind = static_cast<model::SpanKind>(6);
  s.status_code = static_cast<model::StatusCode>(-1);
  b.AddSpan(s);
  EXPECT_EQ(EncodeTempoTrace(b, TempoShape::kV1Batches),
            R"({"batches":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[{"kind":6,"status":{"code":-1}}]}]}]})");
}

// The v2 trace object is a TracesData in canonical proto3 JSON: libprotobuf
// must read it (as a Go client with jsonpb would) to exactly our spans.
TEST(TempoJson, LibprotobufReadsTheTraceBack) {
  Batch b;
  ASSERT_TRUE(DecodeProtobuf(jsontest::EveryFieldRequest().SerializeAsString(), &b).ok());
  std::string body = EncodeTempoTrace(b, TempoShape::kV2Trace);
  const std::string prefix = R"({"trace":)";
  ASSERT_EQ(body.substr(0, prefix.size()), prefix);
  std::string traces_data = body.substr(prefix.size(), body.size() - prefix.size() - 1);
  opentelemetry::proto::trace::v1::TracesData msg;
  jsontest::ParseWithLibprotobuf(traces_data, &msg);
  Batch back;
  ASSERT_TRUE(DecodeProtobuf(msg.SerializeAsString(), &back).ok());
  EXPECT_EQ(model::DescribeDifference(b, back), "");

  // v1 is the same list under "batches".
  std::string v1 = EncodeTempoTrace(b, TempoShape::kV1Batches);
  EXPECT_EQ(v1.substr(v1.find('[')), traces_data.substr(traces_data.find('[')));
}

}  // namespace
}  // namespace rubato::otlp
