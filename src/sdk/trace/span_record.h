// SpanRecord: everything recorded about one span, in storage that is reused
// from span to span. Records live in a provider's SpanPool; a Span handle
// points at one while the span is open, then the processors hold it until
// they have converted it to a model::Batch. Private to the SDK.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "model/ids.h"
#include "sdk/trace/byte_buffer.h"
#include "model/span.h"
#include "sdk/trace/attribute.h"
#include "sdk/trace/record_array.h"
#include "sdk/trace/span_context.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {

class SpanPool;
class TracerProviderState;
struct InstrumentationScope;

// Copies n bytes with at most two loads and two stores when n <= 32 (the
// keys and values of typical attributes), where a call to memcpy would cost
// more than the copy.
inline void CopyShort(char* dst, const char* src, size_t n) {
  if (n <= 16) {
    if (n >= 8) {
      uint64_t a, b;
      std::memcpy(&a, src, 8);
      std::memcpy(&b, src + n - 8, 8);
      std::memcpy(dst, &a, 8);
      std::memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, src, 4);
      std::memcpy(&b, src + n - 4, 4);
      std::memcpy(dst, &a, 4);
      std::memcpy(dst + n - 4, &b, 4);
    } else if (n > 0) {
      dst[0] = src[0];
      dst[n / 2] = src[n / 2];
      dst[n - 1] = src[n - 1];
    }
  } else if (n <= 32) {
    char a[16], b[16];
    std::memcpy(a, src, 16);
    std::memcpy(b, src + n - 16, 16);
    std::memcpy(dst, a, 16);
    std::memcpy(dst + n - 16, b, 16);
  } else {
    std::memcpy(dst, src, n);
  }
}

// A value as stored in a record: strings and arrays are offsets into the
// record's buffers rather than pointers, so a growing buffer never leaves a
// dangling view behind.
struct StoredValue {
  AttributeValue::Kind kind = AttributeValue::Kind::kBool;
  union {
    bool boolean;
    int64_t integer;
    double dbl;
    struct {
      uint32_t begin;  // strings: byte offset in SpanRecord::strings; arrays: index in array_values
      uint32_t size;   // strings: bytes; arrays: element count
    } ref;
  };
  StoredValue() : integer(0) {}
};

struct StoredAttribute {
  uint32_t key_begin = 0;
  uint32_t key_size = 0;
  StoredValue value;
};

struct StoredEvent {
  uint64_t time_unix_nano = 0;
  uint32_t name_begin = 0, name_size = 0;
  uint32_t attributes_begin = 0, attributes_count = 0;  // in SpanRecord::child_attributes
  uint32_t dropped_attributes = 0;
};

struct StoredLink {
  model::TraceId trace_id;
  model::SpanId span_id;
  uint8_t trace_flags = 0;
  bool remote = false;
  uint32_t trace_state_begin = 0, trace_state_size = 0;
  uint32_t attributes_begin = 0, attributes_count = 0;  // in SpanRecord::child_attributes
  uint32_t dropped_attributes = 0;
};

// The fields every span has and an export needs, its attributes and strings
// aside: what the batch processor copies out of a record when the span ends
// (span_chunk.h), so that the record can be reused at once. Trivially
// copyable, and first in a record so that one copy takes it whole.
struct SpanHead {
  model::TraceId trace_id;
  model::SpanId span_id;
  model::SpanId parent_span_id;  // zero for a root span
  uint8_t trace_flags = 0;
  bool parent_remote = false;
  model::SpanKind kind = model::SpanKind::kInternal;
  model::StatusCode status_code = model::StatusCode::kUnset;
  uint32_t name_begin = 0, name_size = 0;  // in the record's strings
  const InstrumentationScope* scope = nullptr;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
};
static_assert(std::is_trivially_copyable_v<SpanHead>);

struct SpanRecord : SpanHead {
  // No record's string buffer grows past this (offsets are 32-bit).
  static constexpr size_t kMaxStringBytes = size_t{64} << 20;
  // A record that once held a huge span gives the memory back rather than
  // keeping it for every span after.
  static constexpr size_t kMaxRetainedStringBytes = 64 * 1024;
  static constexpr size_t kMaxRetainedEntries = 1024;

  // Fields every span writes come first (the head, then these), so that a
  // typical span touches few cache lines.
  TracerProviderState* provider = nullptr;
  uint64_t start_ticks = 0;  // the cycle counter at start, 0 when not used (see span_clock.h)
  // Processors still holding the record; the last to let go returns it to the pool.
  std::atomic<uint32_t> references{0};
  // Set by anything the fast paths do not handle (events, links, arrays,
  // replaced or dropped attributes, a status message, a tracestate): Reset
  // then clears the rarer fields too, and the batch processor keeps the
  // record rather than copying its head, attributes and strings.
  bool uncommon = false;
  // Bit (key length % 64) is set for each attribute key: a key whose bit is
  // clear cannot be a duplicate, which spares the scan for one.
  uint64_t key_lengths = 0;
  RecordArray<StoredAttribute> attributes;
  ByteBuffer strings;  // every string of the record, back to back
  uint32_t dropped_attributes = 0;
  uint32_t garbage_bytes = 0;  // bytes of `strings` no longer referenced

  // ---- Rarer: cleared only when used. ----
  uint32_t status_message_begin = 0, status_message_size = 0;
  std::vector<StoredEvent> events;
  std::vector<StoredLink> links;
  std::vector<StoredAttribute> child_attributes;  // of events and links
  std::vector<StoredValue> array_values;          // elements of array attributes
  uint32_t dropped_events = 0;
  uint32_t dropped_links = 0;
  std::string trace_state;
  SpanPool* pool = nullptr;  // set once, when the pool creates the record

  std::string_view Str(uint32_t begin, uint32_t size) const { return {strings.data() + begin, size}; }
  std::string_view name() const { return Str(name_begin, name_size); }
  std::string_view status_message() const { return Str(status_message_begin, status_message_size); }
  bool sampled() const { return (trace_flags & SpanContext::kSampled) != 0; }
  // Whether the head, attributes and strings are all the span has (no
  // events, links, arrays, status message, tracestate or drop counts): what
  // a copy of those three keeps. A common record always qualifies; an
  // uncommon one may (a replaced attribute, keys of equal length...).
  bool OnlyHeadAttributesAndStrings() const {
    return !uncommon || (events.empty() && links.empty() && array_values.empty() && trace_state.empty() &&
                         status_message_size == 0 && dropped_attributes == 0 && dropped_events == 0 &&
                         dropped_links == 0);
  }

  // Room for a typical span (a handful of attributes, an event), taken once
  // when the pool creates the record: records are interchangeable, so one
  // that served only small spans must not allocate when it gets a bigger one.
  void Reserve();
  // Empties the record for a new span, keeping buffer capacity (but not an
  // outsized buffer one huge span once needed). Inline: once per span.
  void Reset() {
    if (uncommon || strings.capacity() > kMaxRetainedStringBytes || attributes.capacity() > kMaxRetainedEntries)
        [[unlikely]] {
      ResetUncommon();
    }
    strings.clear();
    attributes.clear();
    key_lengths = 0;
    name_begin = name_size = 0;
    status_code = model::StatusCode::kUnset;
    end_time_unix_nano = 0;
  }

  // Recording, within the provider's limits (counting what is dropped).
  // Inline for a new key with a scalar or short string value that fits the
  // buffer (what almost every call is); the rest takes SetAttributeSlow.
  [[gnu::always_inline]] void SetAttribute(const SpanLimits& limits, std::string_view key,
                                          const AttributeValue& value) {
    const uint64_t bit = uint64_t{1} << (key.size() & 63);
    const AttributeValue::Kind kind = value.kind();
    const size_t value_bytes = kind == AttributeValue::Kind::kString ? value.string().size() : 0;
    const size_t need = key.size() + value_bytes;
    if (key.empty() || (key_lengths & bit) != 0 || kind >= AttributeValue::Kind::kStringArray ||
        attributes.size() >= limits.attribute_count || value_bytes > limits.attribute_value_length ||
        need > strings.capacity() - strings.size() || strings.capacity() > kMaxStringBytes) [[unlikely]] {
      SetAttributeSlow(limits, key, value);
      return;
    }
    key_lengths |= bit;
    const auto at = static_cast<uint32_t>(strings.size());
    char* p = strings.data() + at;
    CopyShort(p, key.data(), key.size());
    StoredAttribute& a = attributes.emplace_back();
    a.key_begin = at;
    a.key_size = static_cast<uint32_t>(key.size());
    a.value.kind = kind;
    switch (kind) {
      case AttributeValue::Kind::kString:
        CopyShort(p + key.size(), value.string().data(), value_bytes);
        a.value.ref.begin = at + static_cast<uint32_t>(key.size());
        a.value.ref.size = static_cast<uint32_t>(value_bytes);
        break;
      case AttributeValue::Kind::kBool: a.value.boolean = value.boolean(); break;
      case AttributeValue::Kind::kInt: a.value.integer = value.integer(); break;
      default: a.value.dbl = value.dbl(); break;
    }
    strings.commit(need);
  }
  // The name of a span just started (the record is fresh from Reset).
  void InitName(std::string_view new_name) {
    if (new_name.size() > strings.capacity() || new_name.size() > kMaxStringBytes) [[unlikely]] {
      SetName(new_name);
      return;
    }
    CopyShort(strings.data(), new_name.data(), new_name.size());
    strings.commit(new_name.size());
    name_begin = 0;
    name_size = static_cast<uint32_t>(new_name.size());
  }
  void AddEvent(const SpanLimits& limits, std::string_view name, uint64_t time_unix_nano,
                std::span<const Attribute> attributes);
  void AddLink(const SpanLimits& limits, const SpanContext& linked, std::span<const Attribute> attributes);
  void SetName(std::string_view name);
  void SetStatus(model::StatusCode code, std::string_view description);

 private:
  void ResetUncommon();
  void SetAttributeSlow(const SpanLimits& limits, std::string_view key, const AttributeValue& value);
  // Copies s to the end of `strings` and returns its offset (inline: every
  // span appends its name and each attribute's key and string value).
  uint32_t AppendString(std::string_view s) {
    auto begin = static_cast<uint32_t>(strings.size());
    if (s.size() > kMaxStringBytes - strings.size()) return AppendTruncated(s);
    strings.append(s.data(), s.size());
    return begin;
  }
  uint32_t AppendTruncated(std::string_view s);
  // Writes in place (a StoredValue built on the stack and copied in costs a
  // store-forwarding stall on every attribute).
  void StoreValue(const AttributeValue& value, uint32_t length_limit, StoredValue* out);
  void AppendChildAttributes(uint32_t limit, uint32_t length_limit, std::span<const Attribute> attributes,
                             uint32_t* begin, uint32_t* count, uint32_t* dropped);
  void Compact();
};

// Called once by each processor when it no longer needs the record (from any
// thread); the last one returns it to its pool.
void ReleaseRecord(const SpanRecord& record);
// As ReleaseRecord, but for a processor thread returning many records at once:
// true when the caller held the last reference and must hand the record to
// SpanPool::ReleaseMany itself.
bool DropReference(SpanRecord& record);

}  // namespace rubato::sdk
