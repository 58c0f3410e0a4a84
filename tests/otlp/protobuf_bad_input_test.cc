// Malformed protobuf gets an error that names the field path, the problem and
// the byte offset; well-formed but unusual encodings are accepted.
#include <gtest/gtest.h>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/protobuf_decoder.h"

namespace rubato::otlp {
namespace {

// Wire-format building blocks, so each case shows its bytes.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string Len(uint32_t field, const std::string& payload) {
  return Varint(field << 3 | 2) + Varint(payload.size()) + payload;
}
// Wraps span fields as request → resource_spans[0] → scope_spans[0] → spans[0].
std::string InSpan(const std::string& span_fields) { return Len(1, Len(2, Len(2, span_fields))); }
const std::string kTraceId(16, '\x11');
const std::string kSpanId(8, '\x22');
std::string ValidSpanFields() { return Len(1, kTraceId) + Len(2, kSpanId); }

struct BadCase {
  const char* name;
  std::string bytes;
  const char* error;  // the whole expected message
};

TEST(ProtobufBadInput, Table) {
  const BadCase cases[] = {
      {"truncated varint length", "\x0a\x80", "otlp protobuf: truncated varint (at byte 1)"},
      {"wrong wire type at top", "\x08\x01",
       "otlp protobuf: field 1 has wire type varint, expected length-delimited (at byte 1)"},
      {"length past end", "\x0a\x05" "abc",
       "otlp protobuf: length 5 runs past the end of its message (3 bytes left) (at byte 2)"},
      {"group wire type", "\x0b", "otlp protobuf: groups (wire type 3) are not supported (at byte 1)"},
      {"invalid wire type", "\x0f", "otlp protobuf: invalid wire type 7 (at byte 1)"},
      {"field number zero", std::string("\x02\x00", 2), "otlp protobuf: invalid field number 0 (at byte 1)"},
      {"varint overflow", "\x10" + std::string(9, '\xff') + "\x02",
       "otlp protobuf: varint overflows 64 bits (at byte 1)"},
      {"varint of 11 bytes", "\x10" + std::string(10, '\x80') + "\x01",
       "otlp protobuf: varint overflows 64 bits (at byte 1)"},
      {"short trace_id", InSpan(Len(1, std::string(15, 'x'))),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].trace_id: trace_id must be 16 bytes, got 15 "
       "(at byte 8)"},
      {"long span_id", InSpan(Len(1, kTraceId) + Len(2, std::string(9, 'x'))),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].span_id: span_id must be 8 bytes, got 9 "
       "(at byte 26)"},
      {"short parent_span_id", InSpan(ValidSpanFields() + Len(4, "abc")),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].parent_span_id: parent_span_id must be 8 "
       "bytes, got 3 (at byte 36)"},
      {"invalid UTF-8 name", InSpan(ValidSpanFields() + Len(5, "ok\xff")),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].name: invalid UTF-8 in string field 5 "
       "(at byte 36)"},
      {"truncated fixed64", InSpan(ValidSpanFields() + "\x39" + "abc"),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].start_time_unix_nano: truncated fixed64 value "
       "(at byte 35)"},
      {"kind as bytes", InSpan(ValidSpanFields() + Len(6, "x")),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].kind: field 6 has wire type length-delimited, "
       "expected varint (at byte 35)"},
      {"bad attribute key", InSpan(ValidSpanFields() + Len(9, Len(1, "\xc3\x28"))),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].attributes[0].key: invalid UTF-8 in string "
       "field 1 (at byte 38)"},
      {"second span bad", Len(1, Len(2, Len(2, ValidSpanFields()) + Len(2, Len(2, "x")))),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[1].span_id: span_id must be 8 bytes, got 1 "
       "(at byte 38)"},
      {"bad resource attribute value", Len(1, Len(1, Len(1, Len(1, "k") + Len(2, Len(1, "\xff"))))),
       "otlp protobuf: resource_spans[0].resource.attributes[0].value.string_value: invalid UTF-8 in string "
       "field 1 (at byte 13)"},
      {"bad link trace_id", InSpan(ValidSpanFields() + Len(13, Len(1, "short"))),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].links[0].trace_id: trace_id must be 16 bytes, "
       "got 5 (at byte 38)"},
      {"bad event name", InSpan(ValidSpanFields() + Len(11, Len(2, "\x80"))),
       "otlp protobuf: resource_spans[0].scope_spans[0].spans[0].events[0].name: invalid UTF-8 in string field 2 "
       "(at byte 38)"},
  };
  for (const auto& c : cases) {
    model::Batch batch;
    Status s = DecodeProtobuf(c.bytes, &batch);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), rubato::StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(s.message(), c.error) << c.name;
    EXPECT_TRUE(batch.spans.empty()) << c.name;  // nothing half-decoded is left behind
  }
}

TEST(ProtobufBadInput, EveryTruncationOfAValidRequestIsAnErrorOrAPrefix) {
  std::string full = InSpan(ValidSpanFields() + Len(5, "name") + Len(9, Len(1, "k") + Len(2, Len(1, "v"))));
  for (size_t n = 0; n < full.size(); ++n) {
    model::Batch batch;
    Status s = DecodeProtobufView(std::string_view(full).substr(0, n), &batch);
    // Truncating inside the outer length always leaves a length that runs past the end.
    if (n > 0) {
      EXPECT_FALSE(s.ok()) << n;
    }
  }
}

// Builds a span attribute whose value nests `depth` arrays.
std::string NestedArrays(int depth) {
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  auto* span = req.add_resource_spans()->add_scope_spans()->add_spans();
  span->set_trace_id(kTraceId);
  span->set_span_id(kSpanId);
  auto* kv = span->add_attributes();
  kv->set_key("deep");
  auto* v = kv->mutable_value();
  for (int i = 0; i < depth; ++i) v = v->mutable_array_value()->add_values();
  v->set_int_value(1);
  return req.SerializeAsString();
}

TEST(ProtobufBadInput, NestingLimit) {
  model::Batch batch;
  EXPECT_TRUE(DecodeProtobuf(NestedArrays(kMaxValueDepth), &batch).ok());
  Status s = DecodeProtobuf(NestedArrays(kMaxValueDepth + 1), &batch);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("spans[0].attributes[0].value.array_value.values[0]"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("values nested deeper than 32 levels"), std::string::npos) << s.message();
}

TEST(ProtobufAccepts, UnknownFieldsDefaultsAndAnyOrder) {
  // Span fields in reverse order, explicit zero/empty defaults, unknown fields of every
  // wire type at every level, and an empty parent_span_id (a root span).
  std::string unknown = "\xf8\x07\x05" "\xf9\x07" + std::string(8, 'u') + "\xfd\x07" + std::string(4, 'u') +
                        Len(127, "skip me");
  std::string span = unknown + std::string("\x30\x00", 2) /* kind 0 */ + Len(5, "") + Len(4, "") + Len(2, kSpanId) +
                     Len(1, kTraceId) + std::string("\x50\x00", 2) /* dropped 0 */ + Len(9, Len(1, "k") + unknown);
  std::string bytes = unknown + Len(1, unknown + Len(2, unknown + Len(2, span) + unknown));
  model::Batch batch;
  Status s = DecodeProtobuf(bytes, &batch);
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(batch.spans.size(), 1u);
  const model::Span& sp = batch.spans[0];
  EXPECT_TRUE(sp.is_root());
  EXPECT_EQ(sp.trace_id.AsBytes(), kTraceId);
  EXPECT_EQ(sp.span_id.AsBytes(), kSpanId);
  EXPECT_EQ(sp.kind, model::SpanKind::kUnspecified);
  ASSERT_EQ(sp.attributes.count, 1u);
  EXPECT_EQ(batch.attributes[sp.attributes.begin].key, "k");
  EXPECT_EQ(batch.attributes[sp.attributes.begin].value.kind, model::ValueKind::kEmpty);
}

TEST(ProtobufAccepts, AttributesAfterEventsStayContiguous) {
  // Events (with their own attributes) before, between and after span attributes.
  auto attr = [](const std::string& k) { return Len(9, Len(1, k) + Len(2, Len(1, "v"))); };
  auto event = [](const std::string& k) { return Len(11, Len(2, "e") + Len(3, Len(1, k))); };
  std::string span = ValidSpanFields() + event("e1") + attr("a1") + event("e2") + attr("a2") + event("e3");
  model::Batch batch;
  ASSERT_TRUE(DecodeProtobuf(InSpan(span), &batch).ok());
  auto attrs = batch.Attributes(batch.spans[0].attributes);
  ASSERT_EQ(attrs.size(), 2u);
  EXPECT_EQ(attrs[0].key, "a1");
  EXPECT_EQ(attrs[1].key, "a2");
  auto events = batch.Events(batch.spans[0].events);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(batch.Attributes(events[2].attributes)[0].key, "e3");
}

TEST(ProtobufAccepts, EmptyRequest) {
  model::Batch batch;
  EXPECT_TRUE(DecodeProtobuf("", &batch).ok());
  EXPECT_TRUE(batch.resources.empty());
}

}  // namespace
}  // namespace rubato::otlp

namespace rubato::otlp {
namespace {

TEST(ProtobufLenientIds, WrongLengthIdsMarkOnlyThatSpan) {
  // Three spans: a good one, one with a 15-byte trace_id, one whose link has a 3-byte span_id.
  std::string good = ValidSpanFields();
  std::string short_trace = Len(1, std::string(15, 'x')) + Len(2, kSpanId);
  std::string bad_link = ValidSpanFields() + Len(13, Len(1, kTraceId) + Len(2, "abc"));
  std::string bytes = Len(1, Len(2, Len(2, good) + Len(2, short_trace) + Len(2, bad_link)));
  model::Batch batch;
  ASSERT_FALSE(DecodeProtobuf(bytes, &batch).ok());  // strict by default
  Status s = DecodeProtobuf(bytes, &batch, DecodeOptions{.lenient_span_ids = true});
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(batch.spans.size(), 3u);
  EXPECT_EQ(batch.spans[0].span_id.AsBytes(), kSpanId);
  EXPECT_TRUE(batch.spans[1].trace_id.IsZero());
  EXPECT_TRUE(batch.spans[1].span_id.IsZero());
  EXPECT_TRUE(batch.spans[2].span_id.IsZero());
  EXPECT_EQ(batch.spans[2].trace_id.AsBytes(), kTraceId);
  // Malformed bytes are still an error in lenient mode.
  EXPECT_FALSE(DecodeProtobuf("\x0a\x05" "abc", &batch, DecodeOptions{.lenient_span_ids = true}).ok());
}

}  // namespace
}  // namespace rubato::otlp
