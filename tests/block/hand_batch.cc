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
