// EncodeJson: exact output, omission of defaults, escaping, shortest doubles,
// and round trips through DecodeJson and through libprotobuf's JSON parser.
#include "otlp/json_encoder.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "model/batch_compare.h"
#include "otlp/json_decoder.h"
#include "otlp/json_writer.h"
#include "otlp/protobuf_decoder.h"
#include "tests/otlp/json_test_support.h"

namespace rubato::otlp {
namespace {

using model::AnyValue;
using model::Batch;
using model::KeyValue;

TEST(JsonEncode, SmallBatchExactOutput) {
  Batch b;
  jsontest::BuildSmallBatch(&b);
  EXPECT_EQ(EncodeJson(b),
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},)"
            R"("scopeSpans":[{"scope":{"name":"lib","version":"1.0"},"spans":[{)"
            R"("traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"5fb397be34d26b51","traceState":"k=v",)"
            R"("parentSpanId":"051581bf3cb55c13","flags":257,"name":"charge","kind":3,)"
            R"("startTimeUnixNano":"1700000000300000000","endTimeUnixNano":"1700000000950000000",)"
            R"("attributes":[{"key":"i","value":{"intValue":"-7"}},{"key":"d","value":{"doubleValue":0.5}},)"
            R"({"key":"b","value":{"boolValue":true}},{"key":"raw","value":{"bytesValue":"AP8="}},)"
            R"({"key":"arr","value":{"arrayValue":{"values":[{"intValue":"1"},{"stringValue":"a"},{}]}}},)"
            R"({"key":"map","value":{"kvlistValue":{"values":[{"key":"k"}]}}}],"droppedAttributesCount":1,)"
            R"("events":[{"timeUnixNano":"1700000000900000000","name":"exception"}],)"
            R"("links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","flags":769}],)"
            R"("status":{"message":"boom","code":2}}]}],"schemaUrl":"https://opentelemetry.io/schemas/1.26.0"}]})");
}

TEST(JsonEncode, DefaultsAreOmitted) {
  Batch empty;
  EXPECT_EQ(EncodeJson(empty), "{}");
  Batch b;
  b.AddResource({});
  b.AddScope("", "");
  b.AddSpan(model::Span());
  b.AddResource({});
  EXPECT_EQ(EncodeJson(b), R"({"resourceSpans":[{"scopeSpans":[{"spans":[{}]}]},{}]})");
  // An empty array value and empty strings/zero of a set oneof member are kept.
  Batch v;
  KeyValue kvs[] = {{"", AnyValue::Array({})}, {"s", AnyValue::String("")}, {"z", AnyValue::Int(0)},
                    {"f", AnyValue::Bool(false)}, {"e", AnyValue()}};
  v.AddResource(v.AppendAttributes(kvs));
  EXPECT_EQ(EncodeJson(v),
            R"({"resourceSpans":[{"resource":{"attributes":[{"value":{"arrayValue":{}}},)"
            R"({"key":"s","value":{"stringValue":""}},{"key":"z","value":{"intValue":"0"}},)"
            R"({"key":"f","value":{"boolValue":false}},{"key":"e"}]}}]})");
}

TEST(JsonEncode, StringsAreEscaped) {
  Batch b;
  b.AddResource({});
  b.AddScope("", "");
  model::Span s;
  s.name = "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f \xc3\xa9\xf0\x9f\x98\x80";
  s.trace_state = "bad\xff\xc3(utf8";  // invalid UTF-8 is replaced, so the output stays valid JSON
  b.AddSpan(s);
  std::string json = EncodeJson(b);
  EXPECT_NE(json.find(R"("name":"q\"b\\s/\n\r\t\b\f\u0001\u001f)"
                      "\x7f \xc3\xa9\xf0\x9f\x98\x80\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"traceState\":\"bad\xef\xbf\xbd\xef\xbf\xbd(utf8\""), std::string::npos) << json;
  Batch back;
  ASSERT_TRUE(DecodeJson(json, &back).ok());
  EXPECT_EQ(back.spans[0].name, s.name);
}

struct DoubleCase {
  double d;
  const char* text;
};

TEST(JsonEncode, DoublesAreShortestInJavaScriptLayout) {
  const DoubleCase cases[] = {
      {0.0, "0"},
      {-0.0, "-0"},
      {1.0, "1"},
      {-7.0, "-7"},
      {0.1, "0.1"},
      {0.1 + 0.2, "0.30000000000000004"},
      {2.5, "2.5"},
      {100.0, "100"},
      {123.456, "123.456"},
      {99.95, "99.95"},
      {1e20, "100000000000000000000"},
      {1.2345678901234568e20, "123456789012345680000"},
      {1e21, "1e+21"},
      {1.5e300, "1.5e+300"},
      {1e-6, "0.000001"},
      {1.5e-6, "0.0000015"},
      {1e-7, "1e-7"},
      {-1.5e-300, "-1.5e-300"},
      {9007199254740993.0, "9007199254740992"},
      {std::numeric_limits<double>::denorm_min(), "5e-324"},
      {std::numeric_limits<double>::max(), "1.7976931348623157e+308"},
      {std::numeric_limits<double>::min(), "2.2250738585072014e-308"},
      // Not numbers: as proto3 JSON spells them (these once overran a buffer).
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {-std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "Infinity"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
  };
  for (const DoubleCase& c : cases) {
    std::string out;
    AppendShortestDouble(c.d, &out);
    EXPECT_EQ(out, c.text);
  }
}

// The mantissa digits of a decimal number without sign, point, exponent and
// leading or trailing zeros.
std::string SignificantDigits(std::string_view text) {
  std::string d;
  for (char ch : text.substr(0, text.find('e'))) {
    if (ch >= '0' && ch <= '9') d.push_back(ch);
  }
  d.erase(0, d.find_first_not_of('0'));
  d.erase(d.find_last_not_of('0') + 1);
  return d;
}

TEST(JsonEncode, DoublesRoundTripExactly) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, 8);
    if (!std::isfinite(d)) continue;
    std::string text;
    AppendShortestDouble(d, &text);
    double back;
    auto r = std::from_chars(text.data(), text.data() + text.size(), back);
    ASSERT_EQ(r.ec, std::errc()) << text;
    ASSERT_EQ(r.ptr, text.data() + text.size()) << text;
    uint64_t back_bits;
    std::memcpy(&back_bits, &back, 8);
    ASSERT_EQ(back_bits, bits) << text;
    // The same significant digits as to_chars's shortest form: the plain
    // layout only pads with zeros, it never adds precision.
    char shortest[32];
    auto s = std::to_chars(shortest, shortest + sizeof(shortest), d, std::chars_format::scientific);
    ASSERT_EQ(SignificantDigits(text), SignificantDigits(std::string_view(shortest, s.ptr - shortest))) << text;
  }
}

TEST(JsonEncode, NonFiniteDoublesAreStrings) {
  Batch b;
  KeyValue kvs[] = {{"nan", AnyValue::Double(std::nan(""))},
                    {"inf", AnyValue::Double(std::numeric_limits<double>::infinity())},
                    {"-inf", AnyValue::Double(-std::numeric_limits<double>::infinity())}};
  b.AddResource(b.AppendAttributes(kvs));
  EXPECT_EQ(EncodeJson(b),
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"nan","value":{"doubleValue":"NaN"}},)"
            R"({"key":"inf","value":{"doubleValue":"Infinity"}},{"key":"-inf","value":{"doubleValue":"-Infinity"}}]}}]})");
}

TEST(JsonEncode, UnknownEnumNumbersAreKept) {
  Batch b;
  b.AddResource({});
  b.AddScope("", "");
  model::Span s;
  s.kind = static_cast<model::SpanKind>(-3);
  s.status_code = static_cast<model::StatusCode>(7);
  b.AddSpan(s);
  EXPECT_EQ(EncodeJson(b), R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":-3,"status":{"code":7}}]}]}]})");
  Batch back;
  ASSERT_TRUE(DecodeJson(EncodeJson(b), &back).ok());
  EXPECT_EQ(model::DescribeDifference(b, back), "");
}

// Batches that exercise every field, decoded from protobuf bytes.
Batch EveryFieldBatch() {
  Batch b;
  EXPECT_TRUE(DecodeProtobuf(jsontest::EveryFieldRequest().SerializeAsString(), &b).ok());
  return b;
}

TEST(JsonEncode, RoundTripsEveryField) {
  Batch b = EveryFieldBatch();
  std::string json = EncodeJson(b);
  Batch back;
  Status s = DecodeJson(json, &back);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(model::DescribeDifference(b, back), "");
  EXPECT_EQ(EncodeJson(back), json);  // and the encoding is stable
}

TEST(JsonEncode, RoundTripsSmallBatch) {
  Batch b;
  jsontest::BuildSmallBatch(&b);
  Batch back;
  ASSERT_TRUE(DecodeJson(EncodeJson(b), &back).ok());
  EXPECT_EQ(model::DescribeDifference(b, back), "");
}

// libprotobuf's JSON parser must read our output (ids turned to base64) to
// the same data: our OTLP/JSON is valid proto3 JSON apart from the hex ids.
TEST(JsonEncode, OutputIsReadByLibprotobuf) {
  Batch b = EveryFieldBatch();
  jsontest::ExportRequest req;
  jsontest::ParseWithLibprotobuf(jsontest::HexIdsToBase64(EncodeJson(b)), &req);
  Batch back;
  ASSERT_TRUE(DecodeProtobuf(req.SerializeAsString(), &back).ok());
  EXPECT_EQ(model::DescribeDifference(b, back), "");
}

TEST(JsonEncode, AgreesWithLibprotobufJsonOfTheSameRequest) {
  // The same request printed by libprotobuf (ids rewritten) and by us decodes equal.
  auto req = jsontest::EveryFieldRequest();
  Batch from_libprotobuf_json;
  Status s = DecodeJson(jsontest::ToOtlpJson(req), &from_libprotobuf_json);
  ASSERT_TRUE(s.ok()) << s.message();
  Batch from_our_json;
  ASSERT_TRUE(DecodeJson(EncodeJson(EveryFieldBatch()), &from_our_json).ok());
  EXPECT_EQ(model::DescribeDifference(from_libprotobuf_json, from_our_json), "");
}

}  // namespace
}  // namespace rubato::otlp
