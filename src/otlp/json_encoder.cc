// Fields are written in the order of their declaration in the .proto files,
// which is the order Go's jsonpb (Tempo) writes them in; flags, although
// field 16, is declared right after parent_span_id.
#include "otlp/json_encoder.h"

#include "otlp/enum_names.h"
#include "otlp/json_writer.h"

namespace rubato::otlp {
namespace {

using model::AnyValue;
using model::Batch;
using model::Range;
using model::ValueKind;

class Encoder {
 public:
  Encoder(const Batch& b, const JsonFlavor& f, JsonWriter* w) : b_(b), f_(f), w_(*w) {}

  void ResourceSpansList(std::string_view key) {
    if (b_.resources.empty()) return;
    w_.Key(key);
    w_.BeginArray();
    for (const model::Resource& r : b_.resources) ResourceSpans(r);
    w_.EndArray();
  }

 private:
  // ---- Fields, each omitted when it has its default value.
  void Str(std::string_view key, std::string_view s) {
    if (s.empty()) return;
    w_.Key(key);
    w_.String(s);
  }
  void Uint32(std::string_view key, uint32_t v) {
    if (v == 0) return;
    w_.Key(key);
    w_.Uint(v);
  }
  void Fixed64(std::string_view key, uint64_t v) {  // 64-bit: a decimal string
    if (v == 0) return;
    w_.Key(key);
    w_.QuotedUint(v);
  }
  template <typename IdT>
  void Id(std::string_view key, const IdT& id) {
    if (id.IsZero()) return;
    w_.Key(key);
    if (f_.base64_ids) {
      w_.Base64(id.AsBytes());
    } else {
      w_.Hex(id.AsBytes());
    }
  }
  void Enum(std::string_view key, int32_t v, std::span<const std::string_view> names) {
    if (v == 0) return;
    w_.Key(key);
    std::string_view name = f_.enum_names ? EnumName(names, v) : std::string_view();
    if (name.empty()) {
      w_.Int(v);
    } else {
      w_.String(name);
    }
  }

  // ---- Messages.
  void ResourceSpans(const model::Resource& r) {
    w_.BeginObject();
    if (f_.always_messages || r.attributes.count != 0 || r.dropped_attributes_count != 0) {
      w_.Key("resource");
      w_.BeginObject();
      Attributes("attributes", r.attributes);
      Uint32("droppedAttributesCount", r.dropped_attributes_count);
      w_.EndObject();
    }
    if (r.scopes.count != 0) {
      w_.Key("scopeSpans");
      w_.BeginArray();
      for (uint32_t i = 0; i < r.scopes.count; ++i) ScopeSpans(b_.scopes[r.scopes.begin + i]);
      w_.EndArray();
    }
    Str("schemaUrl", r.schema_url);
    w_.EndObject();
  }

  void ScopeSpans(const model::Scope& s) {
    w_.BeginObject();
    if (f_.always_messages || !s.name.empty() || !s.version.empty() || s.attributes.count != 0 ||
        s.dropped_attributes_count != 0) {
      w_.Key("scope");
      w_.BeginObject();
      Str("name", s.name);
      Str("version", s.version);
      Attributes("attributes", s.attributes);
      Uint32("droppedAttributesCount", s.dropped_attributes_count);
      w_.EndObject();
    }
    if (s.spans.count != 0) {
      w_.Key("spans");
      w_.BeginArray();
      for (uint32_t i = 0; i < s.spans.count; ++i) Span(b_.spans[s.spans.begin + i]);
      w_.EndArray();
    }
    Str("schemaUrl", s.schema_url);
    w_.EndObject();
  }

  void Span(const model::Span& s) {
    w_.BeginObject();
    Id("traceId", s.trace_id);
    Id("spanId", s.span_id);
    Str("traceState", s.trace_state);
    Id("parentSpanId", s.parent_span_id);
    Uint32("flags", s.flags);
    Str("name", s.name);
    Enum("kind", static_cast<int32_t>(s.kind), kSpanKindNames);
    Fixed64("startTimeUnixNano", s.start_time_unix_nano);
    Fixed64("endTimeUnixNano", s.end_time_unix_nano);
    Attributes("attributes", s.attributes);
    Uint32("droppedAttributesCount", s.dropped_attributes_count);
    if (s.events.count != 0) {
      w_.Key("events");
      w_.BeginArray();
      for (uint32_t i = 0; i < s.events.count; ++i) Event(b_.events[s.events.begin + i]);
      w_.EndArray();
    }
    Uint32("droppedEventsCount", s.dropped_events_count);
    if (s.links.count != 0) {
      w_.Key("links");
      w_.BeginArray();
      for (uint32_t i = 0; i < s.links.count; ++i) Link(b_.links[s.links.begin + i]);
      w_.EndArray();
    }
    Uint32("droppedLinksCount", s.dropped_links_count);
    if (f_.always_messages || s.status_code != model::StatusCode::kUnset || !s.status_message.empty()) {
      w_.Key("status");
      w_.BeginObject();
      Str("message", s.status_message);
      Enum("code", static_cast<int32_t>(s.status_code), kStatusCodeNames);
      w_.EndObject();
    }
    w_.EndObject();
  }

  void Event(const model::Event& e) {
    w_.BeginObject();
    Fixed64("timeUnixNano", e.time_unix_nano);
    Str("name", e.name);
    Attributes("attributes", e.attributes);
    Uint32("droppedAttributesCount", e.dropped_attributes_count);
    w_.EndObject();
  }

  void Link(const model::Link& l) {
    w_.BeginObject();
    Id("traceId", l.trace_id);
    Id("spanId", l.span_id);
    Str("traceState", l.trace_state);
    Attributes("attributes", l.attributes);
    Uint32("droppedAttributesCount", l.dropped_attributes_count);
    Uint32("flags", l.flags);
    w_.EndObject();
  }

  void Attributes(std::string_view key, Range r) {
    if (r.count == 0) return;
    w_.Key(key);
    w_.BeginArray();
    for (uint32_t i = 0; i < r.count; ++i) {
      const model::KeyValue& kv = b_.attributes[r.begin + i];
      w_.BeginObject();
      Str("key", kv.key);
      if (kv.value.kind != ValueKind::kEmpty) {
        w_.Key("value");
        Value(kv.value);
      }
      w_.EndObject();
    }
    w_.EndArray();
  }

  // An AnyValue: an object holding its one set member (none for kEmpty).
  // Members of a oneof are written even when they hold a default value.
  void Value(const AnyValue& v) {
    w_.BeginObject();
    switch (v.kind) {
      case ValueKind::kEmpty: break;
      case ValueKind::kString: w_.Key("stringValue"); w_.String(v.str); break;
      case ValueKind::kBool: w_.Key("boolValue"); w_.Bool(v.boolean); break;
      case ValueKind::kInt: w_.Key("intValue"); w_.QuotedInt(v.integer); break;
      case ValueKind::kDouble: w_.Key("doubleValue"); w_.Double(v.dbl); break;
      case ValueKind::kBytes: w_.Key("bytesValue"); w_.Base64(v.str); break;
      case ValueKind::kArray:
        w_.Key("arrayValue");
        w_.BeginObject();
        if (v.children.count != 0) {
          w_.Key("values");
          w_.BeginArray();
          for (uint32_t i = 0; i < v.children.count; ++i) Value(b_.values[v.children.begin + i]);
          w_.EndArray();
        }
        w_.EndObject();
        break;
      case ValueKind::kKvList:
        w_.Key("kvlistValue");
        w_.BeginObject();
        Attributes("values", v.children);
        w_.EndObject();
        break;
    }
    w_.EndObject();
  }

  const Batch& b_;
  const JsonFlavor& f_;
  JsonWriter& w_;
};

}  // namespace

void WriteResourceSpans(const model::Batch& batch, const JsonFlavor& flavor, std::string_view key,
                        JsonWriter* w) {
  Encoder(batch, flavor, w).ResourceSpansList(key);
}

std::string EncodeJson(const model::Batch& batch) {
  std::string out;
  out.reserve(batch.spans.size() * 512 + 256);
  JsonWriter w(&out);
  w.BeginObject();
  WriteResourceSpans(batch, JsonFlavor{}, "resourceSpans", &w);
  w.EndObject();
  return out;
}

}  // namespace rubato::otlp
