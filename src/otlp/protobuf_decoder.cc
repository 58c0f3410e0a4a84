// Field numbers follow proto/opentelemetry/proto/**. Each message is read in
// one pass; a message that owns lists first counts its list fields (a cheap
// key-and-skip pass) so that every list lands contiguously in the Batch pools
// whatever order the fields come in.
#include "otlp/protobuf_decoder.h"

#include <array>

#include "otlp/utf8.h"
#include "otlp/wire_reader.h"

namespace rubato::otlp {
namespace {

using model::AnyValue;
using model::Batch;
using model::KeyValue;
using model::Range;

// Counts occurrences of up to three field numbers in a message. Malformed
// bytes stop the count early; the decoding pass then reports the error.
template <size_t N>
std::array<uint32_t, N> CountFields(std::string_view msg, const std::array<uint32_t, N>& fields) {
  std::array<uint32_t, N> counts{};
  WireReader r(msg.data(), msg.data() + msg.size(), msg.data());
  uint32_t field;
  WireType type;
  while (!r.done() && r.ReadKey(&field, &type) && r.Skip(type)) {
    for (size_t i = 0; i < N; ++i) counts[i] += (fields[i] == field);
  }
  return counts;
}

template <typename T>
Range Reserve(std::vector<T>* pool, uint32_t n) {
  Range r{static_cast<uint32_t>(pool->size()), n};
  pool->resize(pool->size() + n);
  return r;
}

class Decoder {
 public:
  Decoder(std::string_view bytes, Batch* batch, const DecodeOptions& options)
      : origin_(bytes.data()), batch_(batch), lenient_ids_(options.lenient_span_ids) {}

  Status Run(std::string_view bytes) {
    WireReader r = Sub(bytes);
    uint32_t field;
    WireType type;
    uint32_t index = 0;
    while (!r.done()) {
      if (!r.ReadKey(&field, &type)) return Error(r);
      if (field == 1) {
        std::string_view msg;
        if (!r.Expect(type, WireType::kLengthDelimited, field) || !r.ReadBytes(&msg)) return Error(r);
        if (!ResourceSpans(msg)) return Error(AtIndex("resource_spans", index));
        ++index;
      } else if (!r.Skip(type)) {
        return Error(r);
      }
    }
    return Status::Ok();
  }

 private:
  WireReader Sub(std::string_view msg) const { return WireReader(msg.data(), msg.data() + msg.size(), origin_); }

  // Records the innermost failure; outer frames add their path segment.
  [[gnu::noinline, gnu::cold]] bool Fail(const WireReader& r) {
    if (error_.empty()) {
      error_ = r.error();
      error_offset_ = r.error_offset();
    }
    return false;
  }
  [[gnu::noinline, gnu::cold]] bool FailAt(const WireReader& r, std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      error_offset_ = r.offset();
    }
    return false;
  }
  [[gnu::noinline, gnu::cold]] bool Within(std::string_view segment) {
    path_.insert(0, path_.empty() ? std::string(segment) : std::string(segment) + ".");
    return false;
  }
  std::string AtIndex(std::string_view name, uint32_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }
  Status Error(const WireReader& r) {
    Fail(r);
    return Error(std::string());
  }
  Status Error(std::string segment) {
    if (!segment.empty()) Within(segment);
    std::string msg = "otlp protobuf: ";
    if (!path_.empty()) msg += path_ + ": ";
    msg += error_ + " (at byte " + std::to_string(error_offset_) + ")";
    return Status::InvalidArgument(std::move(msg));
  }

  // Reads a length-delimited field, checking the wire type.
  [[gnu::always_inline]] bool Bytes(WireReader& r, WireType type, uint32_t field, std::string_view* out) {
    return (r.Expect(type, WireType::kLengthDelimited, field) && r.ReadBytes(out)) || Fail(r);
  }
  [[gnu::always_inline]] bool String(WireReader& r, WireType type, uint32_t field, std::string_view* out) {
    if (!Bytes(r, type, field, out)) return false;
    if (!IsValidUtf8(*out)) {
      error_offset_ = static_cast<size_t>(out->data() - origin_);
      error_ = "invalid UTF-8 in string field " + std::to_string(field);
      return false;
    }
    return true;
  }
  [[gnu::always_inline]] bool Varint32(WireReader& r, WireType type, uint32_t field, uint32_t* out) {
    uint64_t v;
    if (!r.Expect(type, WireType::kVarint, field) || !r.ReadVarint(&v)) return Fail(r);
    *out = static_cast<uint32_t>(v);  // protobuf truncates wider varints the same way
    return true;
  }
  [[gnu::always_inline]] bool Fixed32(WireReader& r, WireType type, uint32_t field, uint32_t* out) {
    return (r.Expect(type, WireType::kFixed32, field) && r.ReadFixed32(out)) || Fail(r);
  }
  [[gnu::always_inline]] bool Fixed64(WireReader& r, WireType type, uint32_t field, uint64_t* out) {
    return (r.Expect(type, WireType::kFixed64, field) && r.ReadFixed64(out)) || Fail(r);
  }
  template <typename IdT>
  [[gnu::always_inline]] bool Id(WireReader& r, WireType type, uint32_t field, const char* what, bool allow_empty, IdT* out) {
    std::string_view raw;
    if (!Bytes(r, type, field, &raw)) return false;
    if (raw.empty() && allow_empty) {
      *out = IdT();
      return true;
    }
    if (raw.size() != IdT::kSize) {
      if (lenient_ids_) {  // the span is refused on its own later (see DecodeOptions)
        *out = IdT();
        bad_id_ = true;
        return true;
      }
      error_offset_ = static_cast<size_t>(raw.data() - origin_);
      error_ = std::string(what) + " must be " + std::to_string(IdT::kSize) + " bytes, got " +
               std::to_string(raw.size());
      return false;
    }
    std::memcpy(out->bytes.data(), raw.data(), IdT::kSize);
    return true;
  }
  [[gnu::always_inline]] bool Skip(WireReader& r, WireType type) { return r.Skip(type) || Fail(r); }

  bool ResourceSpans(std::string_view msg);
  bool ResourceMsg(std::string_view msg, model::Resource* res);
  bool ScopeSpans(std::string_view msg, uint32_t resource_index);
  bool ScopeMsg(std::string_view msg, model::Scope* scope);
  bool SpanMsg(std::string_view msg, model::Span* span);
  bool SpanFields(std::string_view msg, model::Span* span, bool counted);
  bool FinishSpan(model::Span* span);
  // The pool slot of list element n: within the counted range, or appended
  // when the range still ends at the pool's end (else sets out_of_order_).
  template <typename T>
  [[gnu::always_inline]] bool NextSlot(std::vector<T>* pool, Range* r, bool counted, uint32_t n, uint32_t* slot) {
    if (counted) {
      if (n >= r->count) return false;  // cannot happen: the count pass saw it
      *slot = r->begin + n;
      return true;
    }
    if (pool->size() != r->end()) {
      out_of_order_ = true;
      return false;
    }
    *slot = static_cast<uint32_t>(pool->size());
    pool->emplace_back();
    r->count++;
    return true;
  }
  bool out_of_order_ = false;
  bool EventMsg(std::string_view msg, uint32_t slot);
  bool LinkMsg(std::string_view msg, uint32_t slot);
  bool StatusMsg(std::string_view msg, model::Span* span);
  // Decodes the KeyValue messages numbered `field` in `msg` into a fresh range.
  bool KeyValues(std::string_view msg, uint32_t field, const char* name, int depth, Range* out);
  bool KeyValueMsg(std::string_view msg, int depth, uint32_t slot);
  // Decodes into attributes[slot].value (in_kv) or values[slot] directly: no
  // temporary, whose wide copy would stall on store forwarding. The slot is
  // looked up again after nested lists, which may move the pools.
  bool AnyValueMsg(std::string_view msg, int depth, bool in_kv, uint32_t slot);
  AnyValue& ValueAt(bool in_kv, uint32_t slot) { return in_kv ? batch_->attributes[slot].value : batch_->values[slot]; }
  bool ArrayValues(std::string_view msg, int depth, Range* out);

  const char* origin_;
  Batch* batch_;
  bool lenient_ids_;
  bool bad_id_ = false;  // a wrong-length ID was seen in the current span or its links
  std::string error_;
  size_t error_offset_ = 0;
  std::string path_;
};

bool Decoder::ResourceSpans(std::string_view msg) {
  uint32_t resource_index = static_cast<uint32_t>(batch_->resources.size());
  batch_->resources.emplace_back();
  batch_->resources.back().scopes.begin = static_cast<uint32_t>(batch_->scopes.size());
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  uint32_t scope_index = 0;
  std::string_view bytes;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: {
        if (!Bytes(r, type, field, &bytes)) return false;
        model::Resource res = batch_->resources[resource_index];
        if (!ResourceMsg(bytes, &res)) return Within("resource");
        batch_->resources[resource_index] = res;
        break;
      }
      case 2:
        if (!Bytes(r, type, field, &bytes)) return false;
        if (!ScopeSpans(bytes, resource_index)) return Within(AtIndex("scope_spans", scope_index));
        ++scope_index;
        batch_->resources[resource_index].scopes.count++;
        break;
      case 3:
        if (!String(r, type, field, &batch_->resources[resource_index].schema_url)) return Within("schema_url");
        break;
      default:
        if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::ResourceMsg(std::string_view msg, model::Resource* res) {
  if (!KeyValues(msg, 1, "attributes", 0, &res->attributes)) return false;
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    if (field == 2) {
      if (!Varint32(r, type, field, &res->dropped_attributes_count)) return false;
    } else if (!Skip(r, type)) {  // attributes were read above; entity_refs are not modelled
      return false;
    }
  }
  return true;
}

bool Decoder::ScopeSpans(std::string_view msg, uint32_t resource_index) {
  uint32_t scope_index = static_cast<uint32_t>(batch_->scopes.size());
  model::Scope& s = batch_->scopes.emplace_back();
  s.resource_index = resource_index;
  s.spans.begin = static_cast<uint32_t>(batch_->spans.size());
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  uint32_t span_no = 0;
  std::string_view bytes;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: {
        if (!Bytes(r, type, field, &bytes)) return false;
        model::Scope scope = batch_->scopes[scope_index];
        if (!ScopeMsg(bytes, &scope)) return Within("scope");
        batch_->scopes[scope_index] = scope;
        break;
      }
      case 2: {
        if (!Bytes(r, type, field, &bytes)) return false;
        model::Span span;
        span.scope_index = scope_index;
        if (!SpanMsg(bytes, &span)) return Within(AtIndex("spans", span_no));
        batch_->spans.push_back(span);
        batch_->scopes[scope_index].spans.count++;
        ++span_no;
        break;
      }
      case 3:
        if (!String(r, type, field, &batch_->scopes[scope_index].schema_url)) return Within("schema_url");
        break;
      default:
        if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::ScopeMsg(std::string_view msg, model::Scope* scope) {
  if (!KeyValues(msg, 3, "attributes", 0, &scope->attributes)) return false;
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: if (!String(r, type, field, &scope->name)) return Within("name"); break;
      case 2: if (!String(r, type, field, &scope->version)) return Within("version"); break;
      case 4: if (!Varint32(r, type, field, &scope->dropped_attributes_count)) return false; break;
      default: if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::SpanMsg(std::string_view msg, model::Span* span) {
  // First try one pass, appending list elements as they come: right whenever
  // each list ends up contiguous, as with every encoder that writes fields in
  // number order. Otherwise undo and decode again with counted lists.
  size_t n_attrs = batch_->attributes.size(), n_events = batch_->events.size();
  size_t n_links = batch_->links.size(), n_values = batch_->values.size();
  model::Span before = *span;
  out_of_order_ = false;
  bad_id_ = false;
  if (SpanFields(msg, span, false)) return FinishSpan(span);
  if (!out_of_order_) return false;
  batch_->attributes.resize(n_attrs);
  batch_->events.resize(n_events);
  batch_->links.resize(n_links);
  batch_->values.resize(n_values);
  *span = before;
  auto counts = CountFields<3>(msg, {9, 11, 13});
  span->attributes = Reserve(&batch_->attributes, counts[0]);
  span->events = Reserve(&batch_->events, counts[1]);
  span->links = Reserve(&batch_->links, counts[2]);
  bad_id_ = false;
  return SpanFields(msg, span, true) && FinishSpan(span);
}

bool Decoder::FinishSpan(model::Span* span) {
  // A span with any wrong-length ID keeps no span_id, which marks it invalid
  // for the ingester while the rest of the request is kept.
  if (bad_id_) span->span_id = model::SpanId();
  return true;
}

bool Decoder::SpanFields(std::string_view msg, model::Span* span, bool counted) {
  if (!counted) {
    span->attributes = Range{static_cast<uint32_t>(batch_->attributes.size()), 0};
    span->events = Range{static_cast<uint32_t>(batch_->events.size()), 0};
    span->links = Range{static_cast<uint32_t>(batch_->links.size()), 0};
  }
  uint32_t n_attr = 0, n_event = 0, n_link = 0;
  uint32_t slot;
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  std::string_view bytes;
  uint64_t v;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: if (!Id(r, type, field, "trace_id", false, &span->trace_id)) return Within("trace_id"); break;
      case 2: if (!Id(r, type, field, "span_id", false, &span->span_id)) return Within("span_id"); break;
      case 3: if (!String(r, type, field, &span->trace_state)) return Within("trace_state"); break;
      case 4:
        if (!Id(r, type, field, "parent_span_id", true, &span->parent_span_id)) return Within("parent_span_id");
        break;
      case 5: if (!String(r, type, field, &span->name)) return Within("name"); break;
      case 6:
        if (!r.Expect(type, WireType::kVarint, field) || !r.ReadVarint(&v)) return Fail(r) || Within("kind");
        span->kind = static_cast<model::SpanKind>(static_cast<int32_t>(v));
        break;
      case 7: if (!Fixed64(r, type, field, &span->start_time_unix_nano)) return Within("start_time_unix_nano"); break;
      case 8: if (!Fixed64(r, type, field, &span->end_time_unix_nano)) return Within("end_time_unix_nano"); break;
      case 9:
        if (!Bytes(r, type, field, &bytes)) return false;
        if (!NextSlot(&batch_->attributes, &span->attributes, counted, n_attr, &slot)) return false;
        if (!KeyValueMsg(bytes, 0, slot)) {
          return Within(AtIndex("attributes", n_attr));
        }
        ++n_attr;
        break;
      case 10: if (!Varint32(r, type, field, &span->dropped_attributes_count)) return false; break;
      case 11:
        if (!Bytes(r, type, field, &bytes)) return false;
        if (!NextSlot(&batch_->events, &span->events, counted, n_event, &slot)) return false;
        if (!EventMsg(bytes, slot)) {
          return Within(AtIndex("events", n_event));
        }
        ++n_event;
        break;
      case 12: if (!Varint32(r, type, field, &span->dropped_events_count)) return false; break;
      case 13:
        if (!Bytes(r, type, field, &bytes)) return false;
        if (!NextSlot(&batch_->links, &span->links, counted, n_link, &slot)) return false;
        if (!LinkMsg(bytes, slot)) {
          return Within(AtIndex("links", n_link));
        }
        ++n_link;
        break;
      case 14: if (!Varint32(r, type, field, &span->dropped_links_count)) return false; break;
      case 15:
        if (!Bytes(r, type, field, &bytes)) return false;
        if (!StatusMsg(bytes, span)) return Within("status");
        break;
      case 16: if (!Fixed32(r, type, field, &span->flags)) return Within("flags"); break;
      default: if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::EventMsg(std::string_view msg, uint32_t slot) {
  model::Event e;
  if (!KeyValues(msg, 3, "attributes", 0, &e.attributes)) return false;
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: if (!Fixed64(r, type, field, &e.time_unix_nano)) return Within("time_unix_nano"); break;
      case 2: if (!String(r, type, field, &e.name)) return Within("name"); break;
      case 4: if (!Varint32(r, type, field, &e.dropped_attributes_count)) return false; break;
      default: if (!Skip(r, type)) return false;
    }
  }
  batch_->events[slot] = e;
  return true;
}

bool Decoder::LinkMsg(std::string_view msg, uint32_t slot) {
  model::Link l;
  if (!KeyValues(msg, 4, "attributes", 0, &l.attributes)) return false;
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: if (!Id(r, type, field, "trace_id", false, &l.trace_id)) return Within("trace_id"); break;
      case 2: if (!Id(r, type, field, "span_id", false, &l.span_id)) return Within("span_id"); break;
      case 3: if (!String(r, type, field, &l.trace_state)) return Within("trace_state"); break;
      case 5: if (!Varint32(r, type, field, &l.dropped_attributes_count)) return false; break;
      case 6: if (!Fixed32(r, type, field, &l.flags)) return Within("flags"); break;
      default: if (!Skip(r, type)) return false;
    }
  }
  batch_->links[slot] = l;
  return true;
}

bool Decoder::StatusMsg(std::string_view msg, model::Span* span) {
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  uint64_t v;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 2: if (!String(r, type, field, &span->status_message)) return Within("message"); break;
      case 3:
        if (!r.Expect(type, WireType::kVarint, field) || !r.ReadVarint(&v)) return Fail(r) || Within("code");
        span->status_code = static_cast<model::StatusCode>(static_cast<int32_t>(v));
        break;
      default: if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::KeyValues(std::string_view msg, uint32_t field_no, const char* name, int depth, Range* out) {
  uint32_t n = CountFields<1>(msg, {field_no})[0];
  *out = Reserve(&batch_->attributes, n);
  if (n == 0) return true;
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  std::string_view bytes;
  uint32_t i = 0;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    if (field != field_no) {
      if (!Skip(r, type)) return false;
      continue;
    }
    if (!Bytes(r, type, field, &bytes)) return Within(AtIndex(name, i));
    if (i >= n || !KeyValueMsg(bytes, depth, out->begin + i)) return Within(AtIndex(name, i));
    ++i;
  }
  return true;
}

bool Decoder::KeyValueMsg(std::string_view msg, int depth, uint32_t slot) {
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  std::string_view bytes;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1: if (!String(r, type, field, &batch_->attributes[slot].key)) return Within("key"); break;
      case 2:
        if (!Bytes(r, type, field, &bytes)) return false;
        if (!AnyValueMsg(bytes, depth, true, slot)) return Within("value");
        break;
      default: if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::AnyValueMsg(std::string_view msg, int depth, bool in_kv, uint32_t slot) {
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  std::string_view bytes;
  uint64_t v;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    switch (field) {
      case 1:
        if (!String(r, type, field, &bytes)) return Within("string_value");
        ValueAt(in_kv, slot).kind = model::ValueKind::kString;
        ValueAt(in_kv, slot).str = bytes;
        break;
      case 2:
        if (!r.Expect(type, WireType::kVarint, field) || !r.ReadVarint(&v)) return Fail(r) || Within("bool_value");
        ValueAt(in_kv, slot).kind = model::ValueKind::kBool;
        ValueAt(in_kv, slot).boolean = v != 0;
        break;
      case 3:
        if (!r.Expect(type, WireType::kVarint, field) || !r.ReadVarint(&v)) return Fail(r) || Within("int_value");
        ValueAt(in_kv, slot).kind = model::ValueKind::kInt;
        ValueAt(in_kv, slot).integer = static_cast<int64_t>(v);
        break;
      case 4: {
        uint64_t bits = 0;
        if (!Fixed64(r, type, field, &bits)) return Within("double_value");
        double d;
        std::memcpy(&d, &bits, 8);
        ValueAt(in_kv, slot).kind = model::ValueKind::kDouble;
        ValueAt(in_kv, slot).dbl = d;
        break;
      }
      case 5:
      case 6: {
        if (!Bytes(r, type, field, &bytes)) return false;
        if (depth + 1 > kMaxValueDepth) {
          return FailAt(r, "values nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
        }
        Range children;
        if (field == 5) {
          if (!ArrayValues(bytes, depth + 1, &children)) return Within("array_value");
          ValueAt(in_kv, slot).kind = model::ValueKind::kArray;
          ValueAt(in_kv, slot).children = children;
        } else {
          if (!KeyValues(bytes, 1, "values", depth + 1, &children)) return Within("kvlist_value");
          ValueAt(in_kv, slot).kind = model::ValueKind::kKvList;
          ValueAt(in_kv, slot).children = children;
        }
        break;
      }
      case 7:
        if (!Bytes(r, type, field, &bytes)) return Within("bytes_value");
        ValueAt(in_kv, slot).kind = model::ValueKind::kBytes;
        ValueAt(in_kv, slot).str = bytes;
        break;
      default: if (!Skip(r, type)) return false;
    }
  }
  return true;
}

bool Decoder::ArrayValues(std::string_view msg, int depth, Range* out) {
  uint32_t n = CountFields<1>(msg, {1})[0];
  *out = Reserve(&batch_->values, n);
  WireReader r = Sub(msg);
  uint32_t field;
  WireType type;
  std::string_view bytes;
  uint32_t i = 0;
  while (!r.done()) {
    if (!r.ReadKey(&field, &type)) return Fail(r);
    if (field != 1) {
      if (!Skip(r, type)) return false;
      continue;
    }
    if (!Bytes(r, type, field, &bytes)) return Within(AtIndex("values", i));
    if (i >= n || !AnyValueMsg(bytes, depth, false, out->begin + i)) return Within(AtIndex("values", i));
    ++i;
  }
  return true;
}

}  // namespace

Status DecodeProtobufView(std::string_view bytes, model::Batch* out, const DecodeOptions& options) {
  out->Clear();
  Decoder d(bytes, out, options);
  Status s = d.Run(bytes);
  if (!s.ok()) out->Clear();
  return s;
}

namespace {

template <typename T>
void CopyPool(const std::vector<T>& from, std::vector<T>* to) {
  to->assign(from.begin(), from.end());  // exactly from.size() when `to` is new
}

template <typename T>
size_t PoolBytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}

// Per-thread pools that outgrew this are freed after use rather than kept.
constexpr size_t kMaxScratchBytes = 32u << 20;

}  // namespace

// The pools are decoded into a per-thread scratch Batch, which keeps their
// capacity from request to request, then copied into `out` at their exact
// sizes. Decoding into `out` directly grew each pool by doubling: a dozen
// reallocations and copies per request, and up to twice the memory a batch
// needs, which the head (BatchMemoryBytes counts capacity) then carried.
Status DecodeProtobuf(std::string bytes, model::Batch* out, const DecodeOptions& options) {
  out->Clear();
  std::string_view view = out->AdoptBuffer(std::move(bytes));
  thread_local model::Batch scratch;
  scratch.Clear();
  Decoder d(view, &scratch, options);
  Status s = d.Run(view);
  if (s.ok()) {
    CopyPool(scratch.resources, &out->resources);
    CopyPool(scratch.scopes, &out->scopes);
    CopyPool(scratch.spans, &out->spans);
    CopyPool(scratch.events, &out->events);
    CopyPool(scratch.links, &out->links);
    CopyPool(scratch.attributes, &out->attributes);
    CopyPool(scratch.values, &out->values);
  } else {
    out->Clear();
  }
  scratch.Clear();  // no views into `out`'s buffer stay behind
  if (PoolBytes(scratch.spans) + PoolBytes(scratch.attributes) + PoolBytes(scratch.values) +
          PoolBytes(scratch.events) + PoolBytes(scratch.links) + PoolBytes(scratch.scopes) +
          PoolBytes(scratch.resources) >
      kMaxScratchBytes) {
    scratch = model::Batch();
  }
  return s;
}

}  // namespace rubato::otlp
