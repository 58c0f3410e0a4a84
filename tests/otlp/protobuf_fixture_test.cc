// The official OpenTelemetry JS SDK's protobuf request body decodes to the
// exact values it was built from (tests/fixtures/otel-js/expected.md).
#include <gtest/gtest.h>

#include "tests/otlp/fixture_file.h"
#include "otlp/protobuf_decoder.h"

namespace rubato::otlp {
namespace {

using model::ValueKind;

class JsProtobufFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &batch);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  const model::Span& SpanNamed(std::string_view name) {
    for (const auto& s : batch.spans) if (s.name == name) return s;
    throw std::runtime_error("no span " + std::string(name));
  }
  model::Batch batch;
};

TEST_F(JsProtobufFixture, ResourceAndScopes) {
  ASSERT_EQ(batch.resources.size(), 1u);
  auto attrs = batch.Attributes(batch.resources[0].attributes);
  ASSERT_EQ(attrs.size(), 9u);
  EXPECT_EQ(attrs[0].key, "service.name");
  EXPECT_EQ(attrs[0].value.str, "fixture-order-service");
  EXPECT_EQ(attrs[5].key, "host.cpu.count");
  EXPECT_EQ(attrs[5].value.kind, ValueKind::kInt);
  EXPECT_EQ(attrs[5].value.integer, 8);
  EXPECT_EQ(attrs[8].key, "telemetry.sdk.version");
  ASSERT_EQ(batch.scopes.size(), 2u);
  EXPECT_EQ(batch.scopes[0].name, "second-scope");
  EXPECT_EQ(batch.scopes[0].version, "0.1.0");
  EXPECT_EQ(batch.scopes[0].schema_url, "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(batch.scopes[0].spans, (model::Range{0, 1}));
  EXPECT_EQ(batch.scopes[1].name, "fixture-tracer");
  EXPECT_EQ(batch.scopes[1].version, "1.2.3");
  EXPECT_EQ(batch.scopes[1].spans, (model::Range{1, 3}));
  EXPECT_EQ(batch.spans.size(), 4u);
}

TEST_F(JsProtobufFixture, SpanHeaders) {
  struct Want {
    const char* name;
    const char* span_id;
    const char* parent;
    model::SpanKind kind;
    uint64_t start, end;
    model::StatusCode status;
    const char* message;
    uint32_t scope;
  };
  const Want wants[] = {
      {"sign-request", "9a4c3b2a1d0e8f76", "5fb397be34d26b51", model::SpanKind::kInternal,
       1700000000310000000, 1700000000320500000, model::StatusCode::kUnset, "", 0},
      {"POST payments.example/charge", "5fb397be34d26b51", "051581bf3cb55c13", model::SpanKind::kClient,
       1700000000300000000, 1700000000950000000, model::StatusCode::kError, "payment declined", 1},
      {"orders publish", "c0ffee0000000004", "051581bf3cb55c13", model::SpanKind::kProducer,
       1700000001000000000, 1700000001250000000, model::StatusCode::kUnset, "", 1},
      {"POST /orders", "051581bf3cb55c13", "0000000000000000", model::SpanKind::kServer,
       1700000000123456789, 1700000001500000000, model::StatusCode::kOk, "", 1},
  };
  for (size_t i = 0; i < 4; ++i) {
    const model::Span& s = batch.spans[i];
    const Want& w = wants[i];
    SCOPED_TRACE(w.name);
    EXPECT_EQ(s.name, w.name);
    EXPECT_EQ(s.trace_id.ToHex(), "5b8aa5a2d2c872e8321cf37308d69df2");
    EXPECT_EQ(s.span_id.ToHex(), w.span_id);
    EXPECT_EQ(s.parent_span_id.ToHex(), w.parent);
    EXPECT_EQ(s.kind, w.kind);
    EXPECT_EQ(s.start_time_unix_nano, w.start);
    EXPECT_EQ(s.end_time_unix_nano, w.end);
    EXPECT_EQ(s.status_code, w.status);
    EXPECT_EQ(s.status_message, w.message);
    EXPECT_EQ(s.trace_state, "vendor=value");
    EXPECT_EQ(s.flags, 257u);
    EXPECT_EQ(s.scope_index, w.scope);
  }
  EXPECT_TRUE(batch.spans[3].is_root());
}

TEST_F(JsProtobufFixture, EveryAttributeKind) {
  auto attrs = batch.Attributes(SpanNamed("POST /orders").attributes);
  ASSERT_EQ(attrs.size(), 19u);
  EXPECT_EQ(attrs[3].key, "fixture.empty_string");
  EXPECT_EQ(attrs[3].value.kind, ValueKind::kString);  // present though empty
  EXPECT_EQ(attrs[3].value.str, "");
  EXPECT_EQ(attrs[4].value.str, "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93");
  EXPECT_EQ(attrs[5].value.kind, ValueKind::kBool);
  EXPECT_TRUE(attrs[5].value.boolean);
  EXPECT_FALSE(attrs[6].value.boolean);
  EXPECT_EQ(attrs[7].value.integer, 42);
  EXPECT_EQ(attrs[8].value.integer, -7);
  EXPECT_EQ(attrs[9].value.integer, 9007199254740991);
  EXPECT_EQ(attrs[10].value.kind, ValueKind::kDouble);
  EXPECT_EQ(attrs[10].value.dbl, 3.25);
  EXPECT_EQ(attrs[11].value.dbl, -0.5);
  EXPECT_EQ(attrs[12].value.kind, ValueKind::kInt);  // JS sends 2.0 as an int
  EXPECT_EQ(attrs[12].value.integer, 2);
  auto strings = batch.Values(attrs[13].value.children);
  ASSERT_EQ(attrs[13].value.kind, ValueKind::kArray);
  ASSERT_EQ(strings.size(), 3u);
  EXPECT_EQ(strings[2].str, "c");
  auto mixed = batch.Values(attrs[15].value.children);
  ASSERT_EQ(mixed.size(), 3u);
  EXPECT_EQ(mixed[0].kind, ValueKind::kInt);
  EXPECT_EQ(mixed[1].kind, ValueKind::kDouble);
  EXPECT_EQ(mixed[1].dbl, 2.5);
  EXPECT_EQ(mixed[2].integer, -3);
  auto bools = batch.Values(attrs[16].value.children);
  ASSERT_EQ(bools.size(), 3u);
  EXPECT_FALSE(bools[1].boolean);
  EXPECT_EQ(attrs[17].value.kind, ValueKind::kArray);  // [] stays an (empty) array
  EXPECT_EQ(attrs[17].value.children.count, 0u);
  EXPECT_EQ(attrs[18].key, "http.response.status_code");
  EXPECT_EQ(attrs[18].value.integer, 201);
}

TEST_F(JsProtobufFixture, EventsAndLinks) {
  const model::Span& root = SpanNamed("POST /orders");
  auto events = batch.Events(root.events);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].name, "order.validated");
  EXPECT_EQ(events[0].time_unix_nano, 1700000000200000000u);
  auto ea = batch.Attributes(events[0].attributes);
  ASSERT_EQ(ea.size(), 4u);
  EXPECT_EQ(ea[2].key, "order.total");
  EXPECT_EQ(ea[2].value.dbl, 99.95);
  EXPECT_EQ(events[1].name, "cache.miss");
  EXPECT_EQ(events[1].attributes.count, 0u);

  auto exc = batch.Events(SpanNamed("POST payments.example/charge").events);
  ASSERT_EQ(exc.size(), 1u);
  auto xa = batch.Attributes(exc[0].attributes);
  ASSERT_EQ(xa.size(), 3u);
  EXPECT_EQ(xa[1].value.str, "boom");
  EXPECT_EQ(xa[2].value.str.substr(0, 11), "Error: boom");

  auto links = batch.Links(SpanNamed("orders publish").links);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].trace_id.ToHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(links[0].span_id.ToHex(), "b7ad6b7169203331");
  EXPECT_EQ(links[0].trace_state, "rojo=00f067aa0ba902b7");
  EXPECT_EQ(links[0].flags, 769u);
  auto la = batch.Attributes(links[0].attributes);
  ASSERT_EQ(la.size(), 2u);
  EXPECT_EQ(la[0].value.str, "fan-in");
  EXPECT_EQ(la[1].value.integer, 1);
}

TEST_F(JsProtobufFixture, StringsAreViewsIntoTheRequestBuffer) {
  std::string_view buf = batch.buffer();
  for (const auto& s : batch.spans) {
    EXPECT_GE(s.name.data(), buf.data());
    EXPECT_LE(s.name.data() + s.name.size(), buf.data() + buf.size());
  }
  EXPECT_EQ(batch.arena().bytes_used(), 0u);
}

}  // namespace
}  // namespace rubato::otlp
