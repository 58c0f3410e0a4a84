// DecodeJson on malformed input: every case must fail cleanly with an
// InvalidArgument naming the JSON path and the problem, and leave the batch
// empty. Run under ASan/UBSan as well (see the Makefile's asan-test).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "otlp/json_decoder.h"

namespace rubato::otlp {
namespace {

struct BadCase {
  std::string name;
  std::string json;
  std::string error;  // a substring of the message
};

// Builders of the usual surroundings, so that each case shows only what is wrong.
std::string InSpan(const std::string& fields) {
  return R"({"resourceSpans":[{"scopeSpans":[{"spans":[{)" + fields + "}]}]}]}";
}
std::string InValue(const std::string& any_value) {
  return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":)" + any_value + "}]}}]}";
}
const std::string kSpan = "resourceSpans[0].scopeSpans[0].spans[0].";
const std::string kValue = "resourceSpans[0].resource.attributes[0].value.";

// n nested arrayValues around a string.
std::string NestedArrays(int n) {
  std::string v = R"({"stringValue":"leaf"})";
  for (int i = 0; i < n; ++i) v = R"({"arrayValue":{"values":[)" + v + "]}}";
  return v;
}
std::string NestedArraysPath(int n) {
  std::string p = "resourceSpans[0].resource.attributes[0].value";
  for (int i = 0; i < n; ++i) p += ".arrayValue.values[0]";
  return p;
}

std::vector<BadCase> Cases() {
  return {
      // Syntax: simdjson's own message, with the offset where it has one.
      {"Empty", "", "otlp json: Empty: no JSON found"},
      {"Whitespace", " \n ", "no JSON found"},
      {"TruncatedAfterBrace", "{", "JSON document ended early in the middle of an object or array. (at byte 1)"},
      {"TruncatedInList", R"({"resourceSpans":[{"resource":{"attributes":[)", "ended early"},
      {"UnclosedString", InSpan(R"("name":"abc)"), "A string is opened, but never closed."},
      {"MissingColon", R"({"resourceSpans" []})", "improper structure"},
      {"TrailingComma", R"({"resourceSpans":[{},]})", "otlp json: resourceSpans[1]: The JSON document has an improper structure"},
      {"ExtraBrace", R"({"resourceSpans":[{}]}})", "Unexpected trailing content in the JSON input. (at byte 22)"},
      {"TwoDocuments", R"({"a":1}{"b":2})", "trailing content in the JSON input. (at byte 7)"},
      {"TrailingGarbage", R"({"resourceSpans":[]} x)", "ended early"},
      {"BadLiteralInUnknownField", R"({"x":tru})", "otlp json: x: invalid literal (at byte 5)"},
      {"BadNullLiteral", R"({"x":[nul]})", "otlp json: x: invalid literal (at byte 6)"},
      {"MismatchedBrackets", R"({"x":[1,2}})", "otlp json: x: The JSON document has an improper structure"},
      {"LeadingZero", R"({"x":01})", "otlp json: x: invalid number (at byte 5)"},
      {"BadEscape", R"({"x":"\q"})", "otlp json: x: Problem while parsing a string"},
      {"LoneSurrogate", R"({"x":"\ud800"})", "otlp json: x: Problem while parsing a string"},
      {"InvalidUtf8", "{\"x\":\"ab\xff\"}", "otlp json: The input is not valid UTF-8 (at byte 8)"},
      {"OverlongUtf8", "{\"x\":\"\xc0\xaf\"}", "not valid UTF-8 (at byte 6)"},
      {"RawTabInString", "{\"x\":\"a\tb\"}", "some characters must be escaped"},
      {"RootArray", "[]", "otlp json: expected a JSON object at the top level"},
      {"RootString", R"("resourceSpans")", "expected a JSON object at the top level"},
      {"UnknownFieldTooDeep", R"({"x":)" + std::string(101, '[') + std::string(101, ']') + "}",
       "otlp json: x: unknown field nested deeper than 100 levels (at byte 105)"},
      {"UnknownFieldHugeDepth", R"({"x":)" + std::string(100000, '[') + std::string(100000, ']') + "}",
       "nested deeper than 100 levels"},

      // Wrong JSON types: the path and the expected type.
      {"ResourceSpansObject", R"({"resourceSpans":{}})", "otlp json: resourceSpans: expected array, got object (at byte 17)"},
      {"ResourceSpansElement", R"({"resourceSpans":[1]})", "otlp json: resourceSpans[0]: expected object, got number"},
      {"ResourceString", R"({"resourceSpans":[{"resource":"x"}]})", "resourceSpans[0].resource: expected object, got string"},
      {"SpansNumber", R"({"resourceSpans":[{"scopeSpans":[{"spans":7}]}]})", "resourceSpans[0].scopeSpans[0].spans: expected array, got number"},
      {"NameNumber", InSpan(R"("name":5)"), kSpan + "name: expected string, got number"},
      {"AttributesObject", InSpan(R"("attributes":{})"), kSpan + "attributes: expected array, got object"},
      {"KeyNumber", InSpan(R"("events":[{"attributes":[{"key":1}]}])"), kSpan + "events[0].attributes[0].key: expected string, got number"},
      {"StatusString", InSpan(R"("status":"ok")"), kSpan + "status: expected object, got string"},
      {"KindBool", InSpan(R"("kind":true)"), kSpan + "kind: expected enum number or name, got boolean"},
      {"BoolValueString", InValue(R"({"boolValue":"true"})"), kValue + "boolValue: expected boolean, got string"},
      {"BoolValueBadLiteral", InValue(R"({"boolValue":tru})"), kValue + "boolValue: invalid literal"},
      {"IntValueBool", InValue(R"({"intValue":true})"), kValue + "intValue: expected integer (number or decimal string), got boolean"},
      {"DoubleValueArray", InValue(R"({"doubleValue":[]})"), kValue + "doubleValue: expected number or string, got array"},
      {"ValueArray", InValue("[]"), "resourceSpans[0].resource.attributes[0].value: expected object, got array"},
      {"ArrayValueValuesObject", InValue(R"({"arrayValue":{"values":{}}})"), kValue + "arrayValue.values: expected array, got object"},

      // Enums.
      {"UnknownKindName", InSpan(R"("kind":"SPAN_KIND_FOO")"), kSpan + "kind: unknown SpanKind name \"SPAN_KIND_FOO\""},
      {"LowercaseKindName", InSpan(R"("kind":"span_kind_server")"), "unknown SpanKind name \"span_kind_server\""},
      {"KindOutOfRange", InSpan(R"("kind":2147483648)"), kSpan + "kind: enum value out of range for int32: 2147483648"},
      {"UnknownStatusName", InSpan(R"("status":{"code":"STATUS_CODE_BAD"})"), kSpan + "status.code: unknown StatusCode name \"STATUS_CODE_BAD\""},

      // Integers.
      {"IntValueNotNumeric", InValue(R"({"intValue":"abc"})"), kValue + "intValue: invalid integer \"abc\""},
      {"IntValueSpace", InValue(R"({"intValue":" 1"})"), "invalid integer \" 1\""},
      {"IntValuePlus", InValue(R"({"intValue":"+1"})"), "invalid integer \"+1\""},
      {"IntValueFraction", InValue(R"({"intValue":1.5})"), kValue + "intValue: not an integer: \"1.5\""},
      {"Int64TooBig", InValue(R"({"intValue":"9223372036854775808"})"), kValue + "intValue: integer out of range for int64: \"9223372036854775808\""},
      {"Int64TooSmall", InValue(R"({"intValue":-9223372036854775809})"), "integer out of range for int64: \"-9223372036854775809\""},
      {"Int64TooBigExponent", InValue(R"({"intValue":1e19})"), "integer out of range for int64: \"1e19\""},
      {"Uint64Negative", InSpan(R"("startTimeUnixNano":"-1")"), kSpan + "startTimeUnixNano: integer out of range for uint64: \"-1\""},
      {"Uint64TooBig", InSpan(R"("endTimeUnixNano":18446744073709551616)"), kSpan + "endTimeUnixNano: integer out of range for uint64"},
      {"Uint32TooBig", InSpan(R"("droppedAttributesCount":4294967296)"), kSpan + "droppedAttributesCount: integer out of range for uint32: \"4294967296\""},
      {"FlagsNegative", InSpan(R"("flags":-1)"), kSpan + "flags: integer out of range for uint32: \"-1\""},
      {"EventTimeNotNumeric", R"({"resourceSpans":[{"scopeSpans":[{"spans":[{}]},{"spans":[{},{"events":[{},{"timeUnixNano":"x"}]}]}]}]})",
       "otlp json: resourceSpans[0].scopeSpans[1].spans[1].events[1].timeUnixNano: invalid integer \"x\" (at byte 91)"},

      // Doubles.
      {"DoubleLowercaseNan", InValue(R"({"doubleValue":"nan"})"), kValue + "doubleValue: invalid number \"nan\""},
      {"DoubleOverflow", InValue(R"({"doubleValue":1e400})"), kValue + "doubleValue: number out of range for double: \"1e400\""},
      {"DoubleStringOverflow", InValue(R"({"doubleValue":"-1e400"})"), "number out of range for double: \"-1e400\""},

      // Ids.
      {"TraceIdShort", InSpan(R"("traceId":"5b8aa5a2d2c872e8321cf37308d69df")"), "otlp json: " + kSpan + "traceId: id must be 32 hex digits, got 31 (at byte 54)"},
      {"TraceIdLong", InSpan(R"("traceId":"5b8aa5a2d2c872e8321cf37308d69df2a")"), kSpan + "traceId: id must be 32 hex digits, got 33"},
      {"TraceIdEmpty", InSpan(R"("traceId":"")"), kSpan + "traceId: id must be 32 hex digits, got 0"},
      {"TraceIdBase64", InSpan(R"("traceId":"W4qlotLIcugyHPNzCNad8g==")"), kSpan + "traceId: id must be 32 hex digits, got 24"},
      {"TraceIdNonHex", InSpan(R"("traceId":"5b8aa5a2d2c872e8321cf37308d69dfg")"), kSpan + "traceId: id has a non-hex character at position 31"},
      {"SpanIdShort", InSpan(R"("spanId":"051581bf3cb55c1")"), kSpan + "spanId: id must be 16 hex digits, got 15"},
      {"SpanIdEmpty", InSpan(R"("spanId":"")"), kSpan + "spanId: id must be 16 hex digits, got 0"},
      {"ParentSpanIdShort", InSpan(R"("parentSpanId":"abc")"), kSpan + "parentSpanId: id must be 16 hex digits, got 3"},
      {"ParentSpanIdNonHex", InSpan(R"("parentSpanId":"051581bf3cb55c1x")"), kSpan + "parentSpanId: id has a non-hex character at position 15"},
      {"LinkSpanIdShort", InSpan(R"("links":[{"spanId":"0102"}])"), kSpan + "links[0].spanId: id must be 16 hex digits, got 4"},
      {"LinkTraceIdNonHex", InSpan(R"("links":[{},{"traceId":"-b8aa5a2d2c872e8321cf37308d69df2"}])"), kSpan + "links[1].traceId: id has a non-hex character at position 0"},
      {"TraceIdNumber", InSpan(R"("traceId":123)"), kSpan + "traceId: expected hex string, got number"},

      // Base64.
      {"Base64BadChar", InValue(R"({"bytesValue":"abc$"})"), kValue + "bytesValue: invalid base64 at character 3"},
      {"Base64Whitespace", InValue(R"({"bytesValue":"ab c"})"), "invalid base64 at character 2"},
      {"Base64OneCharLeft", InValue(R"({"bytesValue":"abcde"})"), "invalid base64 at character 4"},
      {"Base64PaddingInside", InValue(R"({"bytesValue":"ab=c"})"), "invalid base64 at character 2"},
      {"Base64ShortPadding", InValue(R"({"bytesValue":"QQ="})"), "invalid base64 at character 2"},
      {"Base64TooMuchPadding", InValue(R"({"bytesValue":"Q==="})"), "invalid base64 at character 1"},
      {"Base64Number", InValue(R"({"bytesValue":12})"), kValue + "bytesValue: expected base64 string, got number"},

      // AnyValue nesting: 32 levels are allowed (NestingLimit below), 33 are not.
      {"Nesting33", InValue(NestedArrays(33)),
       NestedArraysPath(32) + ".arrayValue: values nested deeper than 32 levels"},
      {"Nesting33KvList", InValue(R"({"kvlistValue":{"values":[{"key":"a","value":)" + NestedArrays(32) + "}]}}"),
       "resourceSpans[0].resource.attributes[0].value.kvlistValue.values[0].value" +
           NestedArraysPath(31).substr(std::string("resourceSpans[0].resource.attributes[0].value").size()) +
           ".arrayValue: values nested deeper than 32 levels"},
  };
}

class JsonBadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(JsonBadInput, FailsWithPathAndReason) {
  const BadCase& c = GetParam();
  model::Batch b;
  Status s = DecodeJson(c.json, &b);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("otlp json: ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(c.error), std::string::npos) << "got:  " << s.message() << "\nwant: " << c.error;
  EXPECT_TRUE(b.resources.empty() && b.spans.empty() && b.attributes.empty() && b.values.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, JsonBadInput, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<BadCase>& info) { return info.param.name; });

TEST(JsonNesting, ThirtyTwoLevelsAreAllowed) {
  model::Batch b;
  Status s = DecodeJson(InValue(NestedArrays(32)), &b);
  ASSERT_TRUE(s.ok()) << s.message();
  const model::AnyValue* v = &b.Attributes(b.resources[0].attributes)[0].value;
  int levels = 0;
  while (v->kind == model::ValueKind::kArray) {
    v = &b.Values(v->children)[0];
    ++levels;
  }
  EXPECT_EQ(levels, 32);
  EXPECT_EQ(v->str, "leaf");
}

// Every prefix of a valid request is invalid JSON: none may crash or succeed.
TEST(JsonTruncation, EveryPrefixFailsCleanly) {
  std::string full = InSpan(R"("traceId":"5b8aa5a2d2c872e8321cf37308d69df2","name":"n\u00e9","kind":2,)"
                            R"("attributes":[{"key":"a","value":{"arrayValue":{"values":[{"intValue":"1"}]}}}])");
  model::Batch b;
  ASSERT_TRUE(DecodeJson(full, &b).ok());
  for (size_t n = 0; n < full.size(); ++n) {
    Status s = DecodeJson(std::string_view(full).substr(0, n), &b);
    EXPECT_FALSE(s.ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_TRUE(b.spans.empty());
  }
}

}  // namespace
}  // namespace rubato::otlp

namespace rubato::otlp {
namespace {

TEST(JsonLenientIds, BadIdsMarkOnlyThatSpan) {
  const char* json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
    {"traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"051581bf3cb55c13","name":"good"},
    {"traceId":"5b8aa5a2d2c872e8321cf37308d69d","spanId":"051581bf3cb55c14","name":"short trace id"},
    {"traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"051581bf3cb55c15","name":"bad link",
     "links":[{"traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"zz"}]}]}]}]})";
  model::Batch batch;
  EXPECT_FALSE(DecodeJson(json, &batch).ok());  // strict by default
  Status s = DecodeJson(json, &batch, DecodeOptions{.lenient_span_ids = true});
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(batch.spans.size(), 3u);
  EXPECT_EQ(batch.spans[0].span_id.ToHex(), "051581bf3cb55c13");
  EXPECT_TRUE(batch.spans[1].trace_id.IsZero());
  EXPECT_TRUE(batch.spans[1].span_id.IsZero());
  EXPECT_TRUE(batch.spans[2].span_id.IsZero());
  EXPECT_EQ(batch.spans[2].name, "bad link");
}

}  // namespace
}  // namespace rubato::otlp
