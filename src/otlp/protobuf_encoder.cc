// Written back to front (see ReverseWriter): every list is walked from its last
// element and every message from its highest field, so the output reads in
// field order front to back.
#include "otlp/protobuf_encoder.h"

#include <cstring>

#include "otlp/reverse_writer.h"

namespace rubato::otlp {
namespace {

using model::AnyValue;
using model::Batch;
using model::Range;
using model::ValueKind;

class Encoder {
 public:
  Encoder(const Batch& b, ReverseWriter* w) : b_(b), w_(*w) {}

  void Run() {
    for (size_t i = b_.resources.size(); i-- > 0;) {
      size_t mark = w_.size();
      ResourceSpans(b_.resources[i]);
      w_.EndMessage(1, mark);
    }
  }

 private:
  void String(uint32_t field, std::string_view s) {
    if (!s.empty()) w_.Bytes(field, s);
  }
  void Uint(uint32_t field, uint64_t v) {
    if (v != 0) w_.Varint(field, v);
  }
  template <typename IdT>
  void Id(uint32_t field, const IdT& id) {
    if (!id.IsZero()) w_.Bytes(field, id.AsBytes());
  }

  void ResourceSpans(const model::Resource& res) {
    String(3, res.schema_url);
    for (uint32_t i = res.scopes.count; i-- > 0;) {
      size_t mark = w_.size();
      ScopeSpans(b_.scopes[res.scopes.begin + i]);
      w_.EndMessage(2, mark);
    }
    if (res.attributes.count != 0 || res.dropped_attributes_count != 0) {
      size_t mark = w_.size();
      Uint(2, res.dropped_attributes_count);
      KeyValues(1, res.attributes);
      w_.EndMessage(1, mark);
    }
  }

  void ScopeSpans(const model::Scope& s) {
    String(3, s.schema_url);
    for (uint32_t i = s.spans.count; i-- > 0;) {
      size_t mark = w_.size();
      Span(b_.spans[s.spans.begin + i]);
      w_.EndMessage(2, mark);
    }
    if (!s.name.empty() || !s.version.empty() || s.attributes.count != 0 || s.dropped_attributes_count != 0) {
      size_t mark = w_.size();
      Uint(4, s.dropped_attributes_count);
      KeyValues(3, s.attributes);
      String(2, s.version);
      String(1, s.name);
      w_.EndMessage(1, mark);
    }
  }

  void Span(const model::Span& s) {
    if (s.flags != 0) w_.Fixed32(16, s.flags);
    if (s.status_code != model::StatusCode::kUnset || !s.status_message.empty()) {
      size_t mark = w_.size();
      if (s.status_code != model::StatusCode::kUnset) {
        w_.Varint(3, static_cast<uint64_t>(static_cast<int64_t>(s.status_code)));
      }
      String(2, s.status_message);
      w_.EndMessage(15, mark);
    }
    Uint(14, s.dropped_links_count);
    for (uint32_t i = s.links.count; i-- > 0;) Link(b_.links[s.links.begin + i]);
    Uint(12, s.dropped_events_count);
    for (uint32_t i = s.events.count; i-- > 0;) Event(b_.events[s.events.begin + i]);
    Uint(10, s.dropped_attributes_count);
    KeyValues(9, s.attributes);
    if (s.end_time_unix_nano != 0) w_.Fixed64(8, s.end_time_unix_nano);
    if (s.start_time_unix_nano != 0) w_.Fixed64(7, s.start_time_unix_nano);
    if (s.kind != model::SpanKind::kUnspecified) w_.Varint(6, static_cast<uint64_t>(static_cast<int64_t>(s.kind)));
    String(5, s.name);
    Id(4, s.parent_span_id);
    String(3, s.trace_state);
    Id(2, s.span_id);
    Id(1, s.trace_id);
  }

  void Event(const model::Event& e) {
    size_t mark = w_.size();
    Uint(4, e.dropped_attributes_count);
    KeyValues(3, e.attributes);
    String(2, e.name);
    if (e.time_unix_nano != 0) w_.Fixed64(1, e.time_unix_nano);
    w_.EndMessage(11, mark);
  }

  void Link(const model::Link& l) {
    size_t mark = w_.size();
    if (l.flags != 0) w_.Fixed32(6, l.flags);
    Uint(5, l.dropped_attributes_count);
    KeyValues(4, l.attributes);
    String(3, l.trace_state);
    Id(2, l.span_id);
    Id(1, l.trace_id);
    w_.EndMessage(13, mark);
  }

  void KeyValues(uint32_t field, Range r) {
    for (uint32_t i = r.count; i-- > 0;) {
      const model::KeyValue& kv = b_.attributes[r.begin + i];
      size_t mark = w_.size();
      if (kv.value.kind != ValueKind::kEmpty) {
        size_t vmark = w_.size();
        Value(kv.value);
        w_.EndMessage(2, vmark);
      }
      String(1, kv.key);
      w_.EndMessage(field, mark);
    }
  }

  // Writes the AnyValue's payload (its one set oneof member), not its own key.
  void Value(const AnyValue& v) {
    switch (v.kind) {
      case ValueKind::kEmpty: break;
      case ValueKind::kString: w_.Bytes(1, v.str); break;
      case ValueKind::kBool: w_.Varint(2, v.boolean ? 1 : 0); break;
      case ValueKind::kInt: w_.Varint(3, static_cast<uint64_t>(v.integer)); break;
      case ValueKind::kDouble: {
        uint64_t bits;
        std::memcpy(&bits, &v.dbl, 8);
        w_.Fixed64(4, bits);
        break;
      }
      case ValueKind::kArray: {
        size_t mark = w_.size();
        for (uint32_t i = v.children.count; i-- > 0;) {
          size_t emark = w_.size();
          Value(b_.values[v.children.begin + i]);
          w_.EndMessage(1, emark);
        }
        w_.EndMessage(5, mark);
        break;
      }
      case ValueKind::kKvList: {
        size_t mark = w_.size();
        KeyValues(1, v.children);
        w_.EndMessage(6, mark);
        break;
      }
      case ValueKind::kBytes: w_.Bytes(7, v.str); break;
    }
  }

  const Batch& b_;
  ReverseWriter& w_;
};

}  // namespace

void EncodeProtobuf(const model::Batch& batch, ReverseWriter* writer) {
  writer->Clear();
  Encoder(batch, writer).Run();
}

std::string EncodeProtobuf(const model::Batch& batch) {
  ReverseWriter w(batch.spans.size() * 400 + 1024);
  EncodeProtobuf(batch, &w);
  return w.Take();
}

}  // namespace rubato::otlp
