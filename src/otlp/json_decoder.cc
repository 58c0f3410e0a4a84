// Message structure of OTLP/JSON, read with simdjson On-Demand in one forward
// pass. Fields may come in any order and under either their lowerCamelCase or
// their proto (snake_case) name; unknown fields are validated and skipped.
// A list's elements must be contiguous in the Batch pools although nested
// lists (an attribute's kvlist) land in the same pool: each list is counted
// first (count_elements rewinds the array), its range reserved, then filled
// by index, as the protobuf decoder does.
#include "otlp/json_decoder.h"

#include "otlp/enum_names.h"
#include "otlp/json_reader.h"
#include "otlp/protobuf_decoder.h"  // kMaxValueDepth
#include "otlp/utf8.h"

namespace rubato::otlp {
namespace {

using model::AnyValue;
using model::Batch;
using model::KeyValue;
using model::Range;

// Inputs up to this size are parsed with a per-thread parser that keeps its
// buffers (about 5 bytes per input byte); larger ones use a parser freed at
// the end of the call, so one huge request does not pin memory in a thread.
constexpr size_t kMaxRetainedParserInput = 1 << 20;

// A key under either of the names proto3 JSON parsers accept.
bool Is(std::string_view key, std::string_view camel, std::string_view snake) {
  return key == camel || key == snake;
}

template <typename T>
Range Reserve(std::vector<T>* pool, uint32_t n) {
  Range r{static_cast<uint32_t>(pool->size()), n};
  pool->resize(pool->size() + n);
  return r;
}

class JsonDecoder : public JsonReader {
 public:
  using JsonReader::JsonReader;

  bool Request(od::document& doc);

 private:
  // Calls fn(key, value) for each field of an object; null is an empty object.
  template <typename Fn>
  bool Fields(od::value& v, Fn&& fn);
  // Calls each(value, i) for each element of an array; null is an empty array.
  template <typename Each>
  bool List(od::value& v, std::string_view name, Each&& each);
  // Counts the elements, calls reserve(n) (which returns the first slot),
  // then each(value, slot) per element.
  template <typename ReserveFn, typename Each>
  bool CountedList(od::value& v, std::string_view name, ReserveFn&& reserve, Each&& each);

  bool ResourceSpans(od::value& v);
  bool ResourceMsg(od::value& v, uint32_t resource_index);
  bool ScopeSpans(od::value& v, uint32_t resource_index);
  bool ScopeMsg(od::value& v, uint32_t scope_index);
  bool SpanMsg(od::value& v, model::Span* span);
  bool SpanFields(od::value& v, model::Span* span);
  bool EventMsg(od::value& v, uint32_t slot);
  bool LinkMsg(od::value& v, uint32_t slot);
  bool StatusMsg(od::value& v, model::Span* span);
  bool Attributes(od::value& v, std::string_view name, int depth, Range* out);
  bool KeyValueMsg(od::value& v, int depth, uint32_t slot);
  bool AnyValueMsg(od::value& v, int depth, AnyValue* out);
  bool ArrayValueMsg(od::value& v, int depth, Range* out);
  bool KvListMsg(od::value& v, int depth, Range* out);
};

template <typename Fn>
bool JsonDecoder::Fields(od::value& v, Fn&& fn) {
  od::object obj;
  bool present;
  if (!Object(v, &obj, &present)) return false;
  if (!present) return true;
  for (auto f : obj) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(f).get(field)) return FailJson(e);
    if (!Key(field, &key)) return false;
    if (!fn(key, field.value())) return false;
  }
  return true;
}

template <typename Each>
bool JsonDecoder::List(od::value& v, std::string_view name, Each&& each) {
  od::array arr;
  bool present;
  if (!Array(v, &arr, &present)) return Within(name);
  if (!present) return true;
  uint32_t i = 0;
  for (auto element : arr) {
    od::value ev;
    if (auto e = std::move(element).get(ev)) return FailJson(e) || Within(name);
    if (!each(ev, i)) return WithinIndex(name, i);
    ++i;
  }
  return true;
}

template <typename ReserveFn, typename Each>
bool JsonDecoder::CountedList(od::value& v, std::string_view name, ReserveFn&& reserve, Each&& each) {
  od::array arr;
  bool present;
  if (!Array(v, &arr, &present)) return Within(name);
  uint32_t n = 0;
  if (present && !Count(arr, &n)) return Within(name);
  uint32_t begin = reserve(n);
  if (!present) return true;
  uint32_t i = 0;
  for (auto element : arr) {
    od::value ev;
    if (auto e = std::move(element).get(ev)) return FailJson(e) || Within(name);
    if (i >= n || !each(ev, begin + i)) return WithinIndex(name, i);  // i < n: counted above
    ++i;
  }
  return true;
}

bool JsonDecoder::Request(od::document& doc) {
  set_document(&doc);
  od::object root;
  if (auto e = doc.get_object().get(root)) {
    if (e == simdjson::INCORRECT_TYPE) return Fail("expected a JSON object at the top level", nullptr);
    // simdjson checks up front that the root's brackets close; the document
    // ended (or was cut) before they did.
    if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) return Fail(simdjson::error_message(e), end());
    return FailJson(e);
  }
  for (auto f : root) {
    od::field field;
    std::string_view key;
    if (auto e = std::move(f).get(field)) return FailJson(e);
    if (!Key(field, &key)) return false;
    if (Is(key, "resourceSpans", "resource_spans")) {
      if (!List(field.value(), "resourceSpans", [&](od::value& rv, uint32_t) { return ResourceSpans(rv); })) {
        return false;
      }
    } else if (!Skip(field.value())) {
      return Within(key);
    }
  }
  // After the root object there must be nothing but whitespace.
  const char* rest;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) {
    return Fail(simdjson::error_message(simdjson::TRAILING_CONTENT), rest);
  }
  return true;
}

bool JsonDecoder::ResourceSpans(od::value& v) {
  Batch& b = *batch();
  auto ri = static_cast<uint32_t>(b.resources.size());
  b.resources.emplace_back().scopes.begin = static_cast<uint32_t>(b.scopes.size());
  return Fields(v, [&](std::string_view key, od::value& fv) {
    if (key == "resource") return ResourceMsg(fv, ri) || Within("resource");
    // instrumentationLibrarySpans: the pre-1.0 name (field 1000), still sent by old SDKs.
    if (Is(key, "scopeSpans", "scope_spans") ||
        Is(key, "instrumentationLibrarySpans", "instrumentation_library_spans")) {
      return List(fv, "scopeSpans", [&](od::value& sv, uint32_t) {
        if (!ScopeSpans(sv, ri)) return false;
        b.resources[ri].scopes.count++;
        return true;
      });
    }
    if (Is(key, "schemaUrl", "schema_url")) return String(fv, &b.resources[ri].schema_url) || Within("schemaUrl");
    return Skip(fv) || Within(key);
  });
}

bool JsonDecoder::ResourceMsg(od::value& v, uint32_t ri) {
  Range attrs = batch()->resources[ri].attributes;
  uint32_t dropped = batch()->resources[ri].dropped_attributes_count;
  bool ok = Fields(v, [&](std::string_view key, od::value& fv) {
    if (key == "attributes") return Attributes(fv, "attributes", 0, &attrs);
    if (Is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return Uint32(fv, &dropped) || Within("droppedAttributesCount");
    }
    return Skip(fv) || Within(key);
  });
  batch()->resources[ri].attributes = attrs;
  batch()->resources[ri].dropped_attributes_count = dropped;
  return ok;
}

bool JsonDecoder::ScopeSpans(od::value& v, uint32_t ri) {
  Batch& b = *batch();
  auto si = static_cast<uint32_t>(b.scopes.size());
  model::Scope& s = b.scopes.emplace_back();
  s.resource_index = ri;
  s.spans.begin = static_cast<uint32_t>(b.spans.size());
  return Fields(v, [&](std::string_view key, od::value& fv) {
    if (key == "scope" || Is(key, "instrumentationLibrary", "instrumentation_library")) {
      return ScopeMsg(fv, si) || Within("scope");
    }
    if (key == "spans") {
      return List(fv, "spans", [&](od::value& sv, uint32_t) {
        model::Span span;
        span.scope_index = si;
        if (!SpanMsg(sv, &span)) return false;
        b.spans.push_back(span);
        b.scopes[si].spans.count++;
        return true;
      });
    }
    if (Is(key, "schemaUrl", "schema_url")) return String(fv, &b.scopes[si].schema_url) || Within("schemaUrl");
    return Skip(fv) || Within(key);
  });
}

bool JsonDecoder::ScopeMsg(od::value& v, uint32_t si) {
  model::Scope s = batch()->scopes[si];
  bool ok = Fields(v, [&](std::string_view key, od::value& fv) {
    if (key == "name") return String(fv, &s.name) || Within("name");
    if (key == "version") return String(fv, &s.version) || Within("version");
    if (key == "attributes") return Attributes(fv, "attributes", 0, &s.attributes);
    if (Is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return Uint32(fv, &s.dropped_attributes_count) || Within("droppedAttributesCount");
    }
    return Skip(fv) || Within(key);
  });
  model::Scope& dst = batch()->scopes[si];  // spans and schema_url are not ScopeMsg's
  dst.name = s.name;
  dst.version = s.version;
  dst.attributes = s.attributes;
  dst.dropped_attributes_count = s.dropped_attributes_count;
  return ok;
}

bool JsonDecoder::SpanMsg(od::value& v, model::Span* s) {
  clear_bad_id();
  if (!SpanFields(v, s)) return false;
  // A span with any unusable ID keeps no span_id: the ingester refuses it alone.
  if (bad_id()) s->span_id = model::SpanId();
  return true;
}

bool JsonDecoder::SpanFields(od::value& v, model::Span* s) {
  Batch& b = *batch();
  return Fields(v, [&](std::string_view key, od::value& fv) -> bool {
    if (Is(key, "traceId", "trace_id")) return Id(fv, false, &s->trace_id) || Within("traceId");
    if (Is(key, "spanId", "span_id")) return Id(fv, false, &s->span_id) || Within("spanId");
    if (Is(key, "parentSpanId", "parent_span_id")) return Id(fv, true, &s->parent_span_id) || Within("parentSpanId");
    if (Is(key, "traceState", "trace_state")) return String(fv, &s->trace_state) || Within("traceState");
    if (key == "name") return String(fv, &s->name) || Within("name");
    if (key == "kind") {
      auto k = static_cast<int32_t>(s->kind);
      if (!Enum(fv, kSpanKindNames, "SpanKind", &k)) return Within("kind");
      s->kind = static_cast<model::SpanKind>(k);
      return true;
    }
    if (Is(key, "startTimeUnixNano", "start_time_unix_nano")) {
      return Uint64(fv, &s->start_time_unix_nano) || Within("startTimeUnixNano");
    }
    if (Is(key, "endTimeUnixNano", "end_time_unix_nano")) {
      return Uint64(fv, &s->end_time_unix_nano) || Within("endTimeUnixNano");
    }
    if (key == "attributes") return Attributes(fv, "attributes", 0, &s->attributes);
    if (key == "events") {
      return CountedList(
          fv, "events", [&](uint32_t n) { return (s->events = Reserve(&b.events, n)).begin; },
          [&](od::value& ev, uint32_t slot) { return EventMsg(ev, slot); });
    }
    if (key == "links") {
      return CountedList(
          fv, "links", [&](uint32_t n) { return (s->links = Reserve(&b.links, n)).begin; },
          [&](od::value& lv, uint32_t slot) { return LinkMsg(lv, slot); });
    }
    if (key == "status") return StatusMsg(fv, s) || Within("status");
    if (key == "flags") return Uint32(fv, &s->flags) || Within("flags");
    if (Is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return Uint32(fv, &s->dropped_attributes_count) || Within("droppedAttributesCount");
    }
    if (Is(key, "droppedEventsCount", "dropped_events_count")) {
      return Uint32(fv, &s->dropped_events_count) || Within("droppedEventsCount");
    }
    if (Is(key, "droppedLinksCount", "dropped_links_count")) {
      return Uint32(fv, &s->dropped_links_count) || Within("droppedLinksCount");
    }
    return Skip(fv) || Within(key);
  });
}

bool JsonDecoder::EventMsg(od::value& v, uint32_t slot) {
  model::Event e;
  bool ok = Fields(v, [&](std::string_view key, od::value& fv) {
    if (Is(key, "timeUnixNano", "time_unix_nano")) return Uint64(fv, &e.time_unix_nano) || Within("timeUnixNano");
    if (key == "name") return String(fv, &e.name) || Within("name");
    if (key == "attributes") return Attributes(fv, "attributes", 0, &e.attributes);
    if (Is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return Uint32(fv, &e.dropped_attributes_count) || Within("droppedAttributesCount");
    }
    return Skip(fv) || Within(key);
  });
  batch()->events[slot] = e;
  return ok;
}

bool JsonDecoder::LinkMsg(od::value& v, uint32_t slot) {
  model::Link l;
  bool ok = Fields(v, [&](std::string_view key, od::value& fv) {
    if (Is(key, "traceId", "trace_id")) return Id(fv, false, &l.trace_id) || Within("traceId");
    if (Is(key, "spanId", "span_id")) return Id(fv, false, &l.span_id) || Within("spanId");
    if (Is(key, "traceState", "trace_state")) return String(fv, &l.trace_state) || Within("traceState");
    if (key == "attributes") return Attributes(fv, "attributes", 0, &l.attributes);
    if (Is(key, "droppedAttributesCount", "dropped_attributes_count")) {
      return Uint32(fv, &l.dropped_attributes_count) || Within("droppedAttributesCount");
    }
    if (key == "flags") return Uint32(fv, &l.flags) || Within("flags");
    return Skip(fv) || Within(key);
  });
  batch()->links[slot] = l;
  return ok;
}

bool JsonDecoder::StatusMsg(od::value& v, model::Span* s) {
  return Fields(v, [&](std::string_view key, od::value& fv) {
    if (key == "message") return String(fv, &s->status_message) || Within("message");
    if (key == "code") {
      auto c = static_cast<int32_t>(s->status_code);
      if (!Enum(fv, kStatusCodeNames, "StatusCode", &c)) return Within("code");
      s->status_code = static_cast<model::StatusCode>(c);
      return true;
    }
    return Skip(fv) || Within(key);
  });
}

bool JsonDecoder::Attributes(od::value& v, std::string_view name, int depth, Range* out) {
  return CountedList(
      v, name, [&](uint32_t n) { return (*out = Reserve(&batch()->attributes, n)).begin; },
      [&](od::value& kv, uint32_t slot) { return KeyValueMsg(kv, depth, slot); });
}

bool JsonDecoder::KeyValueMsg(od::value& v, int depth, uint32_t slot) {
  KeyValue kv;
  bool ok = Fields(v, [&](std::string_view key, od::value& fv) {
    if (key == "key") return String(fv, &kv.key) || Within("key");
    if (key == "value") return AnyValueMsg(fv, depth, &kv.value) || Within("value");
    return Skip(fv) || Within(key);
  });
  batch()->attributes[slot] = kv;
  return ok;
}

bool JsonDecoder::AnyValueMsg(od::value& v, int depth, AnyValue* out) {
  return Fields(v, [&](std::string_view key, od::value& fv) -> bool {
    bool is_null;
    if (!IsNull(fv, &is_null)) return Within(key);
    if (is_null) return true;  // a null member is an unset one
    if (Is(key, "stringValue", "string_value")) {
      std::string_view s;
      if (!String(fv, &s)) return Within("stringValue");
      *out = AnyValue::String(s);
      return true;
    }
    if (Is(key, "boolValue", "bool_value")) {
      bool x = false;
      if (!Bool(fv, &x)) return Within("boolValue");
      *out = AnyValue::Bool(x);
      return true;
    }
    if (Is(key, "intValue", "int_value")) {
      int64_t x = 0;
      if (!Int64(fv, &x)) return Within("intValue");
      *out = AnyValue::Int(x);
      return true;
    }
    if (Is(key, "doubleValue", "double_value")) {
      double x = 0;
      if (!Double(fv, &x)) return Within("doubleValue");
      *out = AnyValue::Double(x);
      return true;
    }
    if (Is(key, "bytesValue", "bytes_value")) {
      std::string_view x;
      if (!Bytes(fv, &x)) return Within("bytesValue");
      *out = AnyValue::Bytes(x);
      return true;
    }
    bool array = Is(key, "arrayValue", "array_value");
    if (array || Is(key, "kvlistValue", "kvlist_value")) {
      std::string_view name = array ? "arrayValue" : "kvlistValue";
      if (depth + 1 > kMaxValueDepth) {
        return Fail("values nested deeper than " + std::to_string(kMaxValueDepth) + " levels", TokenStart(fv)) ||
               Within(name);
      }
      Range children;
      if (!(array ? ArrayValueMsg(fv, depth + 1, &children) : KvListMsg(fv, depth + 1, &children))) {
        return Within(name);
      }
      *out = array ? AnyValue::Array(children) : AnyValue::KvList(children);
      return true;
    }
    return Skip(fv) || Within(key);
  });
}

bool JsonDecoder::ArrayValueMsg(od::value& v, int depth, Range* out) {
  *out = Range{static_cast<uint32_t>(batch()->values.size()), 0};
  return Fields(v, [&](std::string_view key, od::value& fv) {
    if (key != "values") return Skip(fv) || Within(key);
    return CountedList(
        fv, "values", [&](uint32_t n) { return (*out = Reserve(&batch()->values, n)).begin; },
        [&](od::value& ev, uint32_t slot) {
          AnyValue item;  // not a reference into the pool: nested arrays grow it
          if (!AnyValueMsg(ev, depth, &item)) return false;
          batch()->values[slot] = item;
          return true;
        });
  });
}

bool JsonDecoder::KvListMsg(od::value& v, int depth, Range* out) {
  *out = Range{static_cast<uint32_t>(batch()->attributes.size()), 0};
  return Fields(v, [&](std::string_view key, od::value& fv) {
    if (key != "values") return Skip(fv) || Within(key);
    return Attributes(fv, "values", depth, out);
  });
}

Status Decode(od::parser& parser, std::string_view json, Batch* out, const DecodeOptions& options) {
  JsonDecoder d(json, out);
  d.set_lenient_ids(options.lenient_span_ids);
  // The batch's copy of the request was allocated with simdjson's padding.
  simdjson::padded_string_view padded(json, json.size() + simdjson::SIMDJSON_PADDING);
  od::document doc;
  if (auto e = parser.iterate(padded).get(doc)) {
    // First-stage errors carry no position; find the bad byte ourselves.
    const char* at = e == simdjson::UTF8_ERROR ? json.data() + FindInvalidUtf8(json) : nullptr;
    d.Fail(simdjson::error_message(e), at);
    return d.Error();
  }
  if (!d.Request(doc)) return d.Error();
  return Status::Ok();
}

}  // namespace

Status DecodeJson(std::string_view json, model::Batch* out, const DecodeOptions& options) {
  out->Clear();
  // One copy, owned by the batch: strings without escapes stay views into it.
  // Its spare capacity is simdjson's padding (contents irrelevant), and it
  // moves into the batch without reallocation (always a heap buffer).
  std::string copy;
  copy.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  copy.assign(json);
  std::string_view view = out->AdoptBuffer(std::move(copy));

  Status s;
  if (view.size() <= kMaxRetainedParserInput) {
    thread_local od::parser parser;
    s = Decode(parser, view, out, options);
  } else {
    od::parser parser;
    s = Decode(parser, view, out, options);
  }
  if (!s.ok()) out->Clear();
  return s;
}

}  // namespace rubato::otlp
