#include "tests/block/hand_batch.h"

#include <string>
#include <vector>

namespace rubato::store::block::testing_support {
namespace {

using model::AnyValue;
using model::KeyValue;

model::TraceId Tid(uint8_t b) {
  model::TraceId id;
  id.bytes.fill(b);
  id.bytes[15] = 0x01;
  return id;
}
model::SpanId Sid(uint8_t b) {
  model::SpanId id;
  id.bytes.fill(b);
  return id;
}

// Every kind, with an array holding a kvlist holding an array, and empties.
model::Range RichAttributes(model::Batch& b) {
  std::vector<AnyValue> inner = {AnyValue::Int(-7), AnyValue::String(b.Own("deep")), AnyValue()};
  model::Range inner_r = b.AppendValues(inner);
  std::vector<KeyValue> kv = {{b.Own("list"), AnyValue::Array(inner_r)}, {b.Own("e"), AnyValue()}};
  model::Range kv_r = b.AppendAttributes(kv);
  std::vector<AnyValue> outer = {AnyValue::KvList(kv_r), AnyValue::Double(-0.5), AnyValue::Bool(false),
                                 AnyValue::Array(model::Range{})};
  model::Range outer_r = b.AppendValues(outer);
  std::string bytes("\x00\x01\xff\x7f", 4);
  std::vector<KeyValue> attrs = {
      {b.Own("s"), AnyValue::String(b.Own("hello"))},
      {b.Own("empty.string"), AnyValue::String({})},
      {b.Own("b"), AnyValue::Bool(true)},
      {b.Own("i"), AnyValue::Int(INT64_MIN)},
      {b.Own("i.max"), AnyValue::Int(INT64_MAX)},
      {b.Own("d"), AnyValue::Double(3.25e300)},
      {b.Own("bytes"), AnyValue::Bytes(b.Own(bytes))},
      {b.Own("empty.bytes"), AnyValue::Bytes({})},
      {b.Own("none"), AnyValue()},
      {b.Own("nested"), AnyValue::Array(outer_r)},
      {b.Own("kv.empty"), AnyValue::KvList(model::Range{})},
      {{}, AnyValue::String(b.Own("empty key"))},
  };
  return b.AppendAttributes(attrs);
}

}  // namespace

model::Batch HandBatch() {
  model::Batch b;
  std::vector<KeyValue> res_attrs = {{b.Own("service.name"), AnyValue::String(b.Own("hand"))}};
  b.AddResource(b.AppendAttributes(res_attrs), b.Own("https://opentelemetry.io/schemas/1.26.0"), 2);
  b.AddScope(b.Own("hand.scope"), b.Own("1.2.3"), RichAttributes(b), b.Own("scope-schema"), 1);

  model::Span root;
  root.trace_id = Tid(0x11);
  root.span_id = Sid(0x01);
  root.trace_state = b.Own("vendor=1,other=2");
  root.name = b.Own("root op");
  root.start_time_unix_nano = 1'704'067'200'000'000'000ULL;
  root.end_time_unix_nano = root.start_time_unix_nano + 5'000'000;
  root.attributes = RichAttributes(b);
  std::vector<KeyValue> ev_attrs = {{b.Own("exception.type"), AnyValue::String(b.Own("E"))}};
  std::vector<model::Event> events = {
      {root.start_time_unix_nano + 10, b.Own("ev1"), b.AppendAttributes(ev_attrs), 3},
      {root.start_time_unix_nano - 10, {}, {}, 0},  // before its span: a negative delta
  };
  root.events = b.AppendEvents(events);
  model::Link link;
  link.trace_id = Tid(0x99);
  link.span_id = Sid(0x98);
  link.trace_state = b.Own("link=state");
  link.attributes = RichAttributes(b);
  link.dropped_attributes_count = 4;
  link.flags = 0x301;
  root.links = b.AppendLinks(std::vector<model::Link>{link, model::Link{}});
  root.dropped_attributes_count = 5;
  root.dropped_events_count = 6;
  root.dropped_links_count = 7;
  root.flags = 0x101;
  root.kind = model::SpanKind::kServer;
  root.status_code = model::StatusCode::kError;
  root.status_message = b.Own("it broke");
  b.AddSpan(root);

  model::Span child = root;  // same trace, same start: ordered by span ID
  child.span_id = Sid(0x02);
  child.parent_span_id = root.span_id;
  child.name = b.Own("child");
  child.end_time_unix_nano = child.start_time_unix_nano - 1;  // end before start is kept as is
  child.events = {};
  child.links = {};
  child.kind = static_cast<model::SpanKind>(42);      // open enums keep unknown values
  child.status_code = static_cast<model::StatusCode>(9);
  child.trace_state = {};

  b.AddScope(b.Own("other.scope"), {});
  b.AddSpan(child);

  model::Span orphan;  // its parent is in another block
  orphan.trace_id = Tid(0x22);
  orphan.span_id = Sid(0x03);
  orphan.parent_span_id = Sid(0x77);
  orphan.name = b.Own("orphan");
  orphan.start_time_unix_nano = 1;
  orphan.end_time_unix_nano = 2;
  b.AddSpan(orphan);
  return b;
}

}  // namespace rubato::store::block::testing_support

namespace rubato::store::block::testing_support {
namespace {

model::TraceId EdgeTid(uint8_t b) {
  model::TraceId id;
  id.bytes.fill(b);
  return id;
}
model::SpanId EdgeSid(uint32_t n) {
  model::SpanId id;
  id.bytes.fill(0x5A);
  id.bytes[4] = static_cast<uint8_t>(n >> 24);
  id.bytes[5] = static_cast<uint8_t>(n >> 16);
  id.bytes[6] = static_cast<uint8_t>(n >> 8);
  id.bytes[7] = static_cast<uint8_t>(n);
  return id;
}

struct EdgeBuilder {
  model::Batch& b;
  std::string_view S(const std::string& s) { return b.Own(s); }
  KeyValue KV(const std::string& k, AnyValue v) { return {S(k), v}; }
  AnyValue Str(const std::string& s) { return AnyValue::String(S(s)); }
  model::Range Attrs(std::vector<KeyValue> kvs) { return b.AppendAttributes(kvs); }
  model::Span Span(uint8_t trace, uint32_t id, uint64_t start, uint64_t end) {
    model::Span s;
    s.trace_id = EdgeTid(trace);
    s.span_id = EdgeSid(id);
    s.name = S("op" + std::to_string(id % 7));
    s.start_time_unix_nano = start;
    s.end_time_unix_nano = end;
    return s;
  }
};

}  // namespace

model::Batch EdgeCaseBatch() {
  model::Batch b;
  EdgeBuilder e{b};
  const std::string lower = "123e4567-e89b-12d3-a456-426614174000";
  const std::string upper = "123E4567-E89B-12D3-A456-426614174000";
  b.AddResource(e.Attrs({e.KV("service.name", e.Str("edge")), e.KV("service.instance.id", e.Str(lower)),
                         e.KV("host.id", e.Str(upper)), e.KV("", AnyValue())}),
                e.S("schema"), 1);
  b.AddScope(e.S("edge.scope"), e.S("0.1"), e.Attrs({e.KV("scope.uuid", e.Str(upper))}));

  // Trace 0x31: parents and times.
  model::Span root = e.Span(0x31, 1, 1000, 500);  // ends before it starts
  root.name = {};
  b.AddSpan(root);
  std::vector<KeyValue> many;
  for (int i = 0; i < 200; ++i) {
    AnyValue v = i % 3 == 0   ? AnyValue::Int(i * 1000003LL)
                 : i % 3 == 1 ? e.Str("v" + std::to_string(i))
                              : AnyValue::Double(i / 7.0);
    many.push_back(e.KV("k" + std::to_string(i), v));
  }
  model::Span wide = e.Span(0x31, 2, 1000, UINT64_MAX);
  wide.parent_span_id = root.span_id;
  wide.attributes = e.Attrs(many);
  b.AddSpan(wide);
  model::Span dup = e.Span(0x31, 3, 2000, 1999);
  dup.parent_span_id = root.span_id;
  dup.attributes = e.Attrs({e.KV("dup", AnyValue::Int(1)), e.KV("dup", e.Str("x")), e.KV("dup", AnyValue::Int(2)),
                            e.KV("http.response.status_code", e.Str("200")),
                            e.KV("http.response.status_code", AnyValue::Int(404))});
  b.AddSpan(dup);
  model::Span early_child = e.Span(0x31, 4, 2500, 9000);  // its parent (5) starts later: a later row
  early_child.parent_span_id = EdgeSid(5);
  b.AddSpan(early_child);
  model::Span late_parent = e.Span(0x31, 5, 3000, 8000);
  late_parent.parent_span_id = wide.span_id;
  b.AddSpan(late_parent);
  model::Span self = e.Span(0x31, 6, 3000, 3000);
  self.parent_span_id = self.span_id;
  b.AddSpan(self);
  model::Span twin = e.Span(0x31, 6, 3100, 0);  // the same span ID again; ends at 0
  twin.parent_span_id = EdgeSid(6);
  twin.name = e.S("twin");
  b.AddSpan(twin);
  model::Span orphan = e.Span(0x31, 7, 0, 1);  // starts before the trace's other spans; parent elsewhere
  orphan.parent_span_id = EdgeSid(999);
  b.AddSpan(orphan);

  // Trace 0x32: values. Another resource, so the tables hold two.
  b.AddResource(e.Attrs({e.KV("service.name", e.Str("values"))}));
  b.AddScope(e.S("values.scope"), {});
  std::vector<AnyValue> arr = {e.Str(lower), e.Str(upper), e.Str(""), AnyValue::Bytes(e.S(lower))};
  model::Range arr_r = b.AppendValues(arr);
  model::Range kv_r = e.Attrs({e.KV("inner.uuid", e.Str(upper)), e.KV("inner.arr", AnyValue::Array(arr_r))});
  std::vector<AnyValue> method_arr = {e.Str("GET")};
  model::Range method_r = b.AppendValues(method_arr);
  const std::string looks[] = {
      lower, upper, "123e4567-E89B-12d3-a456-426614174000",  // mixed case: a plain string
      "12345678-1234-1234-1234-123456789012",                // digits only
      "123e4567e89b-12d3-a456-4266141740000",                // 36 characters, dashes elsewhere
      "123e4567-e89b-12d3-a456-42661417400g", "", "short"};
  for (uint32_t i = 0; i < 12; ++i) {
    model::Span s = e.Span(0x32, 100 + i, 5'000'000 + i * 10, 5'000'000 + i * 10 + 7);
    if (i > 0) s.parent_span_id = EdgeSid(100);
    std::vector<KeyValue> kvs = {
        e.KV("u.mix", e.Str(looks[i % 8])),
        e.KV("u.lower", e.Str(i % 2 ? lower : "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")),
        e.KV("u.upper", e.Str(upper)),
        e.KV("http.route", AnyValue::Int(i)),  // an int where the dedicated column holds strings
        e.KV("server.port", i % 3 ? AnyValue::Int(80 + i) : AnyValue::Double(8080.5)),
        e.KV("http.request.method", i % 4 ? e.Str("POST") : AnyValue::Array(method_r)),
        e.KV("flag", AnyValue::Bool(i % 2)),
        e.KV("d", AnyValue::Double(i == 0 ? -0.0 : i == 1 ? 1e308 * 10 : i == 2 ? -1e-310 : i * 0.25)),
        e.KV("extremes", AnyValue::Int(i % 2 ? INT64_MIN : INT64_MAX)),
        e.KV("raw", AnyValue::Bytes(e.S(i % 3 ? std::string("\0\xff", 2) : std::string()))),
        e.KV("", e.Str("")),
        e.KV("nested", i % 2 ? AnyValue::KvList(kv_r) : AnyValue::Array(arr_r)),
        e.KV("distinct", e.Str("d" + std::to_string(i))),
    };
    s.attributes = e.Attrs(std::vector<KeyValue>(kvs.begin(), kvs.begin() + (i == 5 ? 0 : kvs.size())));
    b.AddSpan(s);
  }

  // Trace 0x33: 300 spans (parent codes past one byte, dictionary codes past
  // 255), open enums, extreme counters, events and links.
  b.AddResource(e.Attrs({}));
  b.AddScope({}, {});
  for (uint32_t i = 0; i < 300; ++i) {
    uint64_t start = i < 150 ? UINT64_MAX - 1'000'000 + i * 97 : i * 1'000'003ULL;
    model::Span s = e.Span(0x33, 1000 + i, start, start + (i % 5 == 0 ? 0 - (i * 13ULL) : i * 1'234'567ULL));
    if (i > 0) s.parent_span_id = EdgeSid(1000 + (i - 1) / 2);
    s.kind = static_cast<model::SpanKind>(i % 3 == 0 ? -5 : i % 3 == 1 ? 1000 : 2);
    s.status_code = static_cast<model::StatusCode>(i % 4 == 0 ? 7 : 2);
    s.status_message = i % 4 == 0 ? e.S("failed " + std::to_string(i)) : std::string_view();
    s.flags = i % 2 ? UINT32_MAX : 0x101;
    s.trace_state = i % 3 == 0 ? e.S("k=v" + std::to_string(i % 5)) : std::string_view();
    s.dropped_attributes_count = i % 7 == 0 ? UINT32_MAX : i;
    s.dropped_events_count = i % 11;
    s.dropped_links_count = i % 13 == 0 ? UINT32_MAX : 0;
    s.attributes = e.Attrs({e.KV("distinct", e.Str("value " + std::to_string(i))), e.KV("n", AnyValue::Int(i))});
    if (i % 10 == 0) {
      std::vector<model::Event> evs = {
          {start + i, e.S("ev"),
           e.Attrs({e.KV("ev.uuid", e.Str(lower)), e.KV("ev.nested", AnyValue::KvList(kv_r))}), 2},
          {start - 5, {}, {}, 0}};
      s.events = b.AppendEvents(evs);
    }
    if (i % 15 == 0) {
      model::Link l;
      l.trace_id = EdgeTid(0x44);
      l.span_id = EdgeSid(i);
      l.trace_state = e.S("link");
      l.flags = 0x301;
      l.dropped_attributes_count = 3;
      l.attributes = e.Attrs({e.KV("link.uuid", e.Str(upper)), e.KV("link.arr", AnyValue::Array(arr_r))});
      s.links = b.AppendLinks(std::vector<model::Link>{l, model::Link{}});
    }
    b.AddSpan(s);
  }
  return b;
}

}  // namespace rubato::store::block::testing_support
