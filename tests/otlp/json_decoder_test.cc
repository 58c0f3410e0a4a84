// DecodeJson on well-formed input: exact values of a hand-written request,
// and each accepted alternative form (snake_case, null, strings for numbers,
// enum names, escapes, base64 alphabets, unknown fields).
#include "otlp/json_decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "model/batch_compare.h"
#include "otlp/protobuf_decoder.h"
#include "tests/otlp/json_test_support.h"

namespace rubato::otlp {
namespace {

using model::AnyValue;
using model::Batch;
using model::SpanId;
using model::TraceId;
using model::ValueKind;

// Every value kind, nested arrays and kvlists, events, links, status, flags,
// traceState, schemaUrls, two resources, three scopes, int64 as string and
// as number, ids in upper and lower case, enums as numbers and as names.
constexpr std::string_view kRequest = R"json({
  "resourceSpans": [
    {
      "resource": {
        "attributes": [
          {"key": "service.name", "value": {"stringValue": "checkout"}},
          {"key": "int_str", "value": {"intValue": "-9223372036854775808"}},
          {"key": "int_num", "value": {"intValue": 9007199254740993}},
          {"key": "bool", "value": {"boolValue": false}},
          {"key": "dbl", "value": {"doubleValue": 2.5}},
          {"key": "nan", "value": {"doubleValue": "NaN"}},
          {"key": "ninf", "value": {"doubleValue": "-Infinity"}},
          {"key": "bytes", "value": {"bytesValue": "AP8Q+w=="}},
          {"key": "empty", "value": {}},
          {"key": "no_value"}
        ],
        "droppedAttributesCount": 2
      },
      "scopeSpans": [
        {
          "scope": {"name": "lib-a", "version": "1.0", "droppedAttributesCount": 1,
                    "attributes": [{"key": "scope.attr", "value": {"stringValue": "s"}}]},
          "spans": [
            {
              "traceId": "5B8AA5A2D2C872E8321CF37308D69DF2",
              "spanId": "051581bf3cb55c13",
              "parentSpanId": "",
              "traceState": "vendor=value",
              "name": "POST /orders",
              "kind": 2,
              "startTimeUnixNano": "1700000000123456789",
              "endTimeUnixNano": 1700000001500000000,
              "attributes": [
                {"key": "nested", "value": {"arrayValue": {"values": [
                  {"intValue": 1},
                  {"kvlistValue": {"values": [
                    {"key": "inner", "value": {"arrayValue": {"values": [{"stringValue": "deep"}, {"boolValue": true}]}}}
                  ]}},
                  {"arrayValue": {}}
                ]}}},
                {"key": "map", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"doubleValue": 0.1}}]}}}
              ],
              "droppedAttributesCount": 3,
              "events": [
                {"timeUnixNano": "1700000000200000000", "name": "order.validated", "droppedAttributesCount": 1,
                 "attributes": [{"key": "order.items", "value": {"intValue": 3}}]},
                {"timeUnixNano": 1700000000250000000, "name": "cache.miss"}
              ],
              "droppedEventsCount": 4,
              "links": [
                {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "B7AD6B7169203331",
                 "traceState": "rojo=00f067aa0ba902b7", "droppedAttributesCount": 5, "flags": 769,
                 "attributes": [{"key": "link.reason", "value": {"stringValue": "fan-in"}}]}
              ],
              "droppedLinksCount": 6,
              "status": {"code": "STATUS_CODE_OK"},
              "flags": 257
            },
            {
              "traceId": "5b8aa5a2d2c872e8321cf37308d69df2",
              "spanId": "5FB397BE34D26B51",
              "parentSpanId": "051581BF3CB55C13",
              "name": "charge",
              "kind": "SPAN_KIND_CLIENT",
              "startTimeUnixNano": 1700000000300000000,
              "endTimeUnixNano": "1700000000950000000",
              "status": {"code": 2, "message": "payment declined"}
            }
          ],
          "schemaUrl": "https://opentelemetry.io/schemas/1.26.0"
        },
        {"spans": [{"traceId": "5b8aa5a2d2c872e8321cf37308d69df2", "spanId": "9a4c3b2a1d0e8f76", "name": "bare"}]}
      ],
      "schemaUrl": "https://opentelemetry.io/schemas/1.25.0"
    },
    {
      "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "payments"}}]},
      "scopeSpans": [
        {"scope": {"name": "lib-b"},
         "spans": [{"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "00f067aa0ba902b7", "kind": 5, "flags": "1"}]}
      ]
    }
  ]
})json";

Batch MustDecode(std::string_view json) {
  Batch b;
  Status s = DecodeJson(json, &b);
  EXPECT_TRUE(s.ok()) << s.message();
  return b;
}

const AnyValue& ValueOf(const Batch& b, model::Range attrs, size_t i) { return b.Attributes(attrs)[i].value; }

TEST(JsonDecode, HandwrittenRequestResourcesAndScopes) {
  Batch b = MustDecode(kRequest);
  ASSERT_EQ(b.resources.size(), 2u);
  ASSERT_EQ(b.scopes.size(), 3u);
  ASSERT_EQ(b.spans.size(), 4u);
  EXPECT_EQ(b.resources[0].scopes, (model::Range{0, 2}));
  EXPECT_EQ(b.resources[1].scopes, (model::Range{2, 1}));
  EXPECT_EQ(b.resources[0].schema_url, "https://opentelemetry.io/schemas/1.25.0");
  EXPECT_EQ(b.resources[0].dropped_attributes_count, 2u);
  EXPECT_EQ(b.resources[1].schema_url, "");
  const model::Scope& a = b.scopes[0];
  EXPECT_EQ(a.name, "lib-a");
  EXPECT_EQ(a.version, "1.0");
  EXPECT_EQ(a.schema_url, "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(a.dropped_attributes_count, 1u);
  ASSERT_EQ(a.attributes.count, 1u);
  EXPECT_EQ(b.Attributes(a.attributes)[0].key, "scope.attr");
  EXPECT_EQ(a.spans, (model::Range{0, 2}));
  EXPECT_EQ(b.scopes[1].name, "");  // no "scope" at all
  EXPECT_EQ(b.scopes[1].spans, (model::Range{2, 1}));
  EXPECT_EQ(b.scopes[2].name, "lib-b");
  EXPECT_EQ(b.scopes[2].resource_index, 1u);
  EXPECT_EQ(b.ResourceOf(b.spans[3]).attributes.count, 1u);
}

TEST(JsonDecode, HandwrittenRequestScalarValues) {
  Batch b = MustDecode(kRequest);
  model::Range r = b.resources[0].attributes;
  ASSERT_EQ(r.count, 10u);
  EXPECT_EQ(ValueOf(b, r, 0).str, "checkout");
  EXPECT_EQ(ValueOf(b, r, 1).integer, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ValueOf(b, r, 2).integer, 9007199254740993);  // not rounded through a double
  EXPECT_EQ(ValueOf(b, r, 3).kind, ValueKind::kBool);
  EXPECT_FALSE(ValueOf(b, r, 3).boolean);
  EXPECT_EQ(ValueOf(b, r, 4).dbl, 2.5);
  EXPECT_TRUE(std::isnan(ValueOf(b, r, 5).dbl));
  EXPECT_EQ(ValueOf(b, r, 6).dbl, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(ValueOf(b, r, 7).kind, ValueKind::kBytes);
  EXPECT_EQ(ValueOf(b, r, 7).str, std::string_view("\x00\xff\x10\xfb", 4));
  EXPECT_EQ(ValueOf(b, r, 8).kind, ValueKind::kEmpty);
  EXPECT_EQ(b.Attributes(r)[9].key, "no_value");
  EXPECT_EQ(ValueOf(b, r, 9).kind, ValueKind::kEmpty);
}

TEST(JsonDecode, HandwrittenRequestNestedValues) {
  Batch b = MustDecode(kRequest);
  auto attrs = b.Attributes(b.spans[0].attributes);
  ASSERT_EQ(attrs.size(), 2u);
  ASSERT_EQ(attrs[0].value.kind, ValueKind::kArray);
  auto outer = b.Values(attrs[0].value.children);
  ASSERT_EQ(outer.size(), 3u);
  EXPECT_EQ(outer[0].integer, 1);
  ASSERT_EQ(outer[1].kind, ValueKind::kKvList);
  auto kv = b.Attributes(outer[1].children);
  ASSERT_EQ(kv.size(), 1u);
  EXPECT_EQ(kv[0].key, "inner");
  auto inner = b.Values(kv[0].value.children);
  ASSERT_EQ(inner.size(), 2u);
  EXPECT_EQ(inner[0].str, "deep");
  EXPECT_TRUE(inner[1].boolean);
  EXPECT_EQ(outer[2].kind, ValueKind::kArray);
  EXPECT_EQ(outer[2].children.count, 0u);
  ASSERT_EQ(attrs[1].value.kind, ValueKind::kKvList);
  EXPECT_EQ(b.Attributes(attrs[1].value.children)[0].value.dbl, 0.1);
}

TEST(JsonDecode, HandwrittenRequestSpans) {
  Batch b = MustDecode(kRequest);
  const model::Span& s = b.spans[0];
  EXPECT_EQ(s.trace_id.ToHex(), "5b8aa5a2d2c872e8321cf37308d69df2");
  EXPECT_EQ(s.span_id.ToHex(), "051581bf3cb55c13");
  EXPECT_TRUE(s.is_root());
  EXPECT_EQ(s.trace_state, "vendor=value");
  EXPECT_EQ(s.name, "POST /orders");
  EXPECT_EQ(s.kind, model::SpanKind::kServer);
  EXPECT_EQ(s.start_time_unix_nano, 1700000000123456789u);
  EXPECT_EQ(s.end_time_unix_nano, 1700000001500000000u);
  EXPECT_EQ(s.dropped_attributes_count, 3u);
  EXPECT_EQ(s.dropped_events_count, 4u);
  EXPECT_EQ(s.dropped_links_count, 6u);
  EXPECT_EQ(s.status_code, model::StatusCode::kOk);
  EXPECT_EQ(s.status_message, "");
  EXPECT_EQ(s.flags, 257u);
  auto events = b.Events(s.events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].time_unix_nano, 1700000000200000000u);
  EXPECT_EQ(events[0].name, "order.validated");
  EXPECT_EQ(events[0].dropped_attributes_count, 1u);
  EXPECT_EQ(b.Attributes(events[0].attributes)[0].value.integer, 3);
  EXPECT_EQ(events[1].time_unix_nano, 1700000000250000000u);
  EXPECT_EQ(events[1].attributes.count, 0u);
  auto links = b.Links(s.links);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].trace_id.ToHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(links[0].span_id.ToHex(), "b7ad6b7169203331");
  EXPECT_EQ(links[0].trace_state, "rojo=00f067aa0ba902b7");
  EXPECT_EQ(links[0].dropped_attributes_count, 5u);
  EXPECT_EQ(links[0].flags, 769u);
  EXPECT_EQ(b.Attributes(links[0].attributes)[0].value.str, "fan-in");

  const model::Span& c = b.spans[1];
  EXPECT_EQ(c.parent_span_id.ToHex(), "051581bf3cb55c13");
  EXPECT_EQ(c.span_id.ToHex(), "5fb397be34d26b51");
  EXPECT_EQ(c.kind, model::SpanKind::kClient);
  EXPECT_EQ(c.start_time_unix_nano, 1700000000300000000u);
  EXPECT_EQ(c.end_time_unix_nano, 1700000000950000000u);
  EXPECT_EQ(c.status_code, model::StatusCode::kError);
  EXPECT_EQ(c.status_message, "payment declined");
  EXPECT_EQ(b.spans[2].name, "bare");
  EXPECT_EQ(b.spans[3].kind, model::SpanKind::kConsumer);
  EXPECT_EQ(b.spans[3].flags, 1u);  // uint32 given as a string
}

// libprotobuf's JSON parser is the reference reader of proto3 JSON: once the
// hex ids are turned into base64, it must read the request to the same batch.
TEST(JsonDecode, AgreesWithLibprotobufOnHandwrittenRequest) {
  jsontest::ExportRequest req;
  jsontest::ParseWithLibprotobuf(jsontest::HexIdsToBase64(std::string(kRequest)), &req);
  Batch from_pb;
  Status s = DecodeProtobuf(req.SerializeAsString(), &from_pb);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(model::DescribeDifference(from_pb, MustDecode(kRequest)), "");
}

TEST(JsonDecode, UnescapedStringsAreViewsIntoTheBatchBuffer) {
  Batch b = MustDecode(kRequest);
  std::string_view buf = b.buffer();
  std::string_view name = b.spans[0].name;
  EXPECT_GE(name.data(), buf.data());
  EXPECT_LE(name.data() + name.size(), buf.data() + buf.size());
}

TEST(JsonDecode, EscapedStringsAreUnescapedIntoTheArena) {
  Batch b = MustDecode(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"name":"a\"b\\c\/d\n\t\u00e9\ud83d\ude00", "traceState":"k=\u0076"}]}]}]})");
  ASSERT_EQ(b.spans.size(), 1u);
  EXPECT_EQ(b.spans[0].name, "a\"b\\c/d\n\t\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(b.spans[0].trace_state, "k=v");
  std::string_view buf = b.buffer();
  EXPECT_FALSE(b.spans[0].name.data() >= buf.data() && b.spans[0].name.data() < buf.data() + buf.size());
}

TEST(JsonDecode, EscapedKeysAreRecognised) {
  Batch b = MustDecode(R"({"resource\u0053pans":[{"scopeSpans":[{"spans":[{"n\u0061me":"x"}]}]}]})");
  ASSERT_EQ(b.spans.size(), 1u);
  EXPECT_EQ(b.spans[0].name, "x");
}

TEST(JsonDecode, SnakeCaseNamesDecodeLikeCamelCase) {
  // libprotobuf's JSON printer with preserve_proto_field_names gives every key in snake_case.
  auto req = jsontest::EveryFieldRequest();
  Batch camel = MustDecode(jsontest::ToOtlpJson(req, false));
  Batch snake = MustDecode(jsontest::ToOtlpJson(req, true));
  EXPECT_EQ(model::DescribeDifference(camel, snake), "");
  EXPECT_EQ(snake.spans.size(), 9u);
}

TEST(JsonDecode, NullMeansAbsent) {
  Batch b = MustDecode(R"({"resourceSpans":[{"resource":null,"schemaUrl":null,"scopeSpans":[
      {"scope":null,"spans":[{"traceId":null,"spanId":null,"parentSpanId":null,"name":null,
        "kind":null,"startTimeUnixNano":null,"attributes":null,"events":null,"links":null,
        "status":{"code":null,"message":null},"flags":null,
        "droppedAttributesCount":null}]}, {"spans":null}]}, {"scopeSpans":null}]})");
  ASSERT_EQ(b.resources.size(), 2u);
  ASSERT_EQ(b.scopes.size(), 2u);
  ASSERT_EQ(b.spans.size(), 1u);
  EXPECT_TRUE(b.spans[0].trace_id.IsZero());
  EXPECT_EQ(b.spans[0].attributes.count, 0u);
  EXPECT_EQ(b.spans[0].kind, model::SpanKind::kUnspecified);

  Batch v = MustDecode(R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"a","value":{"stringValue":null}},
      {"key":"b","value":{"stringValue":null,"intValue":5}},
      {"key":null,"value":null}]}}]})");
  auto attrs = v.Attributes(v.resources[0].attributes);
  ASSERT_EQ(attrs.size(), 3u);
  EXPECT_EQ(attrs[0].value.kind, ValueKind::kEmpty);
  EXPECT_EQ(attrs[1].value.kind, ValueKind::kInt);
  EXPECT_EQ(attrs[2].key, "");
}

TEST(JsonDecode, UnknownFieldsAreIgnoredAtEveryLevel) {
  const char* kUnknown = R"({"x":{"a":[1,-2.5e3,"s\n",true,false,null,{"b":[]}],"c":{}}})";
  std::string json = std::string(R"({"u0":)") + kUnknown + R"(,"resourceSpans":[{"u1":1,"resource":{"u2":2,
      "attributes":[{"u3":3,"key":"k","value":{"u4":[4],"stringValue":"v"}}]},"scopeSpans":[{"u5":"5",
      "scope":{"u6":null,"name":"n"},"spans":[{"u7":)" + kUnknown + R"(,"name":"s","events":[{"u8":8}],
      "links":[{"u9":9}],"status":{"u10":10}}]}]}],"u11":{}})";
  Batch b = MustDecode(json);
  ASSERT_EQ(b.spans.size(), 1u);
  EXPECT_EQ(b.spans[0].name, "s");
  EXPECT_EQ(b.scopes[0].name, "n");
  EXPECT_EQ(b.Attributes(b.resources[0].attributes)[0].value.str, "v");
  EXPECT_EQ(b.spans[0].events.count, 1u);
  EXPECT_EQ(b.spans[0].links.count, 1u);
}

TEST(JsonDecode, NumberForms) {
  Batch b = MustDecode(R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"a","value":{"intValue":"9223372036854775807"}},
      {"key":"b","value":{"intValue":-9223372036854775808}},
      {"key":"c","value":{"intValue":2.0}},
      {"key":"d","value":{"intValue":"1e3"}},
      {"key":"e","value":{"intValue":-0}},
      {"key":"f","value":{"doubleValue":3}},
      {"key":"g","value":{"doubleValue":"1.5"}},
      {"key":"h","value":{"doubleValue":"Infinity"}},
      {"key":"i","value":{"doubleValue":-0.0}},
      {"key":"j","value":{"doubleValue":4.9e-324}},
      {"key":"k","value":{"doubleValue":1.7976931348623157e308}}],
      "droppedAttributesCount":"4294967295"},
      "scopeSpans":[{"spans":[{"startTimeUnixNano":18446744073709551615,
        "endTimeUnixNano":"18446744073709551615","flags":4294967295,"kind":-1}]}]}]})");
  auto a = b.Attributes(b.resources[0].attributes);
  EXPECT_EQ(a[0].value.integer, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(a[1].value.integer, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(a[2].value.integer, 2);
  EXPECT_EQ(a[3].value.integer, 1000);
  EXPECT_EQ(a[4].value.integer, 0);
  EXPECT_EQ(a[5].value.dbl, 3.0);
  EXPECT_EQ(a[6].value.dbl, 1.5);
  EXPECT_EQ(a[7].value.dbl, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::signbit(a[8].value.dbl));
  EXPECT_EQ(a[9].value.dbl, std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(a[10].value.dbl, std::numeric_limits<double>::max());
  EXPECT_EQ(b.resources[0].dropped_attributes_count, 4294967295u);
  EXPECT_EQ(b.spans[0].start_time_unix_nano, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(b.spans[0].end_time_unix_nano, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(b.spans[0].flags, 4294967295u);
  EXPECT_EQ(static_cast<int32_t>(b.spans[0].kind), -1);  // open enum: kept as sent
}

TEST(JsonDecode, Base64Alphabets) {
  Batch b = MustDecode(R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"std","value":{"bytesValue":"+/8="}},
      {"key":"url","value":{"bytesValue":"-_8"}},
      {"key":"escaped","value":{"bytesValue":"+\/8="}},
      {"key":"empty","value":{"bytesValue":""}}]}}]})");
  auto a = b.Attributes(b.resources[0].attributes);
  EXPECT_EQ(a[0].value.str, "\xfb\xff");
  EXPECT_EQ(a[1].value.str, "\xfb\xff");
  EXPECT_EQ(a[2].value.str, "\xfb\xff");
  EXPECT_EQ(a[3].value.kind, ValueKind::kBytes);
  EXPECT_EQ(a[3].value.str.size(), 0u);
}

TEST(JsonDecode, LegacyInstrumentationLibraryNames) {
  Batch b = MustDecode(R"({"resource_spans":[{"instrumentationLibrarySpans":[
      {"instrumentationLibrary":{"name":"old","version":"0.1"},"spans":[{"name":"s"}]}]}]})");
  ASSERT_EQ(b.scopes.size(), 1u);
  EXPECT_EQ(b.scopes[0].name, "old");
  EXPECT_EQ(b.scopes[0].version, "0.1");
  EXPECT_EQ(b.spans.size(), 1u);
}

TEST(JsonDecode, EmptyRequests) {
  EXPECT_TRUE(MustDecode("{}").resources.empty());
  EXPECT_TRUE(MustDecode(" \n{ \"resourceSpans\" : [ ] }\n ").resources.empty());
  Batch b = MustDecode(R"({"resourceSpans":[{}]})");
  ASSERT_EQ(b.resources.size(), 1u);
  EXPECT_EQ(b.resources[0].scopes.count, 0u);
}

TEST(JsonDecode, ReusedBatchIsClearedFirst) {
  Batch b;
  ASSERT_TRUE(DecodeJson(kRequest, &b).ok());
  ASSERT_TRUE(DecodeJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"only"}]}]}]})", &b).ok());
  ASSERT_EQ(b.spans.size(), 1u);
  EXPECT_EQ(b.spans[0].name, "only");
  EXPECT_EQ(b.attributes.size(), 0u);
  EXPECT_FALSE(DecodeJson("{", &b).ok());
  EXPECT_TRUE(b.spans.empty());
}

TEST(JsonDecode, LargeRequestUsesAFreshParser) {
  // Above the per-thread parser's size limit, with a long string.
  std::string big(2 << 20, 'x');
  Batch b = MustDecode(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":")" + big + R"("}]}]}]})");
  ASSERT_EQ(b.spans.size(), 1u);
  EXPECT_EQ(b.spans[0].name.size(), big.size());
  EXPECT_EQ(MustDecode(kRequest).spans.size(), 4u);  // and the small-input path still works after
}

}  // namespace
}  // namespace rubato::otlp
