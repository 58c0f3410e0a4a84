// The OpenTelemetry JS exporter fixtures (tests/fixtures/otel-js): the body
// the OTLP/HTTP JSON exporter sent must decode to the same batch as the body
// the protobuf exporter sent for the same spans, with the values listed in
// expected.md.
#include <gtest/gtest.h>

#include "model/batch_compare.h"
#include "otlp/json_decoder.h"
#include "otlp/json_encoder.h"
#include "otlp/protobuf_decoder.h"
#include "tests/otlp/fixture_file.h"
#include "tests/otlp/json_test_support.h"

namespace rubato::otlp {
namespace {

using model::Batch;
using model::ValueKind;

Batch DecodeJsonFixture() {
  Batch b;
  Status s = DecodeJson(testing::ReadFixture("otel-js/trace.json"), &b);
  EXPECT_TRUE(s.ok()) << s.message();
  return b;
}

const model::KeyValue* Find(const Batch& b, model::Range attrs, std::string_view key) {
  for (const model::KeyValue& kv : b.Attributes(attrs)) {
    if (kv.key == key) return &kv;
  }
  return nullptr;
}

// The two bodies come from separate SDK runs, but capture.mjs fixes every
// value (ids, times, attributes); the one non-deterministic value,
// exception.stacktrace, depends only on capture.mjs's line numbers and is
// equal in both files (make-fixtures checks JSON against protobuf), so the
// whole batches are compared.
TEST(JsonJsFixture, JsonAndProtobufBodiesDecodeEqual) {
  Batch from_json = DecodeJsonFixture();
  Batch from_pb;
  Status s = DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &from_pb);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(model::DescribeDifference(from_pb, from_json), "");
  EXPECT_EQ(from_json.spans.size(), 4u);
}

TEST(JsonJsFixture, ResourceAndScopes) {
  Batch b = DecodeJsonFixture();
  ASSERT_EQ(b.resources.size(), 1u);
  model::Range res = b.resources[0].attributes;
  ASSERT_EQ(res.count, 9u);
  EXPECT_EQ(b.Attributes(res)[0].key, "service.name");
  EXPECT_EQ(b.Attributes(res)[0].value.str, "fixture-order-service");
  EXPECT_EQ(Find(b, res, "host.cpu.count")->value.integer, 8);
  EXPECT_EQ(Find(b, res, "telemetry.sdk.language")->value.str, "nodejs");
  ASSERT_EQ(b.scopes.size(), 2u);
  EXPECT_EQ(b.scopes[0].name, "second-scope");  // scopes in order of their first exported span
  EXPECT_EQ(b.scopes[0].version, "0.1.0");
  EXPECT_EQ(b.scopes[0].schema_url, "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(b.scopes[1].name, "fixture-tracer");
  EXPECT_EQ(b.scopes[1].version, "1.2.3");
  EXPECT_EQ(b.scopes[1].spans.count, 3u);
}

TEST(JsonJsFixture, SpanValuesFromExpectedMd) {
  Batch b = DecodeJsonFixture();
  // Export order: sign-request, charge, publish, root.
  const model::Span& sign = b.spans[0];
  EXPECT_EQ(sign.name, "sign-request");
  EXPECT_EQ(sign.span_id.ToHex(), "9a4c3b2a1d0e8f76");
  EXPECT_EQ(sign.parent_span_id.ToHex(), "5fb397be34d26b51");
  EXPECT_EQ(sign.kind, model::SpanKind::kInternal);
  EXPECT_EQ(sign.flags, 257u);

  const model::Span& charge = b.spans[1];
  EXPECT_EQ(charge.name, "POST payments.example/charge");
  EXPECT_EQ(charge.kind, model::SpanKind::kClient);
  EXPECT_EQ(charge.start_time_unix_nano, 1700000000300000000u);
  EXPECT_EQ(charge.end_time_unix_nano, 1700000000950000000u);
  EXPECT_EQ(charge.status_code, model::StatusCode::kError);
  EXPECT_EQ(charge.status_message, "payment declined");
  auto events = b.Events(charge.events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].name, "exception");
  EXPECT_EQ(events[0].time_unix_nano, 1700000000900000000u);
  std::string_view stack = Find(b, events[0].attributes, "exception.stacktrace")->value.str;
  EXPECT_EQ(stack.substr(0, 11), "Error: boom");  // the rest follows capture.mjs's line numbers

  const model::Span& publish = b.spans[2];
  EXPECT_EQ(publish.name, "orders publish");
  EXPECT_EQ(publish.kind, model::SpanKind::kProducer);
  auto links = b.Links(publish.links);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].trace_id.ToHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(links[0].span_id.ToHex(), "b7ad6b7169203331");
  EXPECT_EQ(links[0].trace_state, "rojo=00f067aa0ba902b7");
  EXPECT_EQ(links[0].flags, 769u);
  EXPECT_EQ(Find(b, links[0].attributes, "link.index")->value.integer, 1);

  const model::Span& root = b.spans[3];
  EXPECT_EQ(root.name, "POST /orders");
  EXPECT_TRUE(root.is_root());
  EXPECT_EQ(root.trace_id.ToHex(), "5b8aa5a2d2c872e8321cf37308d69df2");
  EXPECT_EQ(root.span_id.ToHex(), "051581bf3cb55c13");
  EXPECT_EQ(root.trace_state, "vendor=value");
  EXPECT_EQ(root.kind, model::SpanKind::kServer);
  EXPECT_EQ(root.start_time_unix_nano, 1700000000123456789u);
  EXPECT_EQ(root.end_time_unix_nano, 1700000001500000000u);
  EXPECT_EQ(root.status_code, model::StatusCode::kOk);
  EXPECT_EQ(root.status_message, "");  // the SDK drops the message of an OK status
  EXPECT_EQ(b.Events(root.events).size(), 2u);
  EXPECT_EQ(b.Events(root.events)[1].name, "cache.miss");
}

TEST(JsonJsFixture, RootSpanAttributeKinds) {
  Batch b = DecodeJsonFixture();
  model::Range a = b.spans[3].attributes;
  ASSERT_EQ(a.count, 19u);
  EXPECT_EQ(Find(b, a, "fixture.empty_string")->value.kind, ValueKind::kString);
  EXPECT_EQ(Find(b, a, "fixture.empty_string")->value.str, "");
  EXPECT_EQ(Find(b, a, "fixture.unicode")->value.str, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93");
  EXPECT_FALSE(Find(b, a, "fixture.bool_false")->value.boolean);
  EXPECT_EQ(Find(b, a, "fixture.negative_int")->value.integer, -7);
  EXPECT_EQ(Find(b, a, "fixture.max_safe_int")->value.integer, 9007199254740991);
  EXPECT_EQ(Find(b, a, "fixture.negative_double")->value.dbl, -0.5);
  EXPECT_EQ(Find(b, a, "fixture.whole_double")->value.kind, ValueKind::kInt);  // JS sends 2.0 as intValue 2
  auto mixed = b.Values(Find(b, a, "fixture.mixed_number_array")->value.children);
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_EQ(mixed[0].integer, 1);
  EXPECT_EQ(mixed[1].dbl, 2.5);
  EXPECT_EQ(mixed[2].integer, -3);
  const model::AnyValue& empty = Find(b, a, "fixture.empty_array")->value;
  EXPECT_EQ(empty.kind, ValueKind::kArray);
  EXPECT_EQ(empty.children.count, 0u);
  EXPECT_EQ(Find(b, a, "http.response.status_code")->value.integer, 201);
}

TEST(JsonJsFixture, ReencodedFixtureDecodesEqual) {
  Batch b = DecodeJsonFixture();
  Batch again;
  ASSERT_TRUE(DecodeJson(EncodeJson(b), &again).ok());
  EXPECT_EQ(model::DescribeDifference(b, again), "");
}

}  // namespace
}  // namespace rubato::otlp
