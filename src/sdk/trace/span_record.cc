#include "sdk/trace/span_record.h"

#include <algorithm>
#include <cstring>

#include "sdk/trace/span_pool.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {

namespace {

using Kind = AttributeValue::Kind;

constexpr size_t kMaxRetainedStringBytes = SpanRecord::kMaxRetainedStringBytes;
constexpr size_t kMaxRetainedEntries = SpanRecord::kMaxRetainedEntries;
// Replaced attribute values leave dead bytes behind; past this much (and more
// dead than live) the buffers are rewritten, so a loop of SetAttribute on one
// key cannot grow a record without bound.
constexpr uint32_t kCompactAfterGarbage = 4096;

template <typename T>
void ClearKeepingSome(std::vector<T>& v) {
  if (v.capacity() > kMaxRetainedEntries) {
    std::vector<T>().swap(v);
  } else {
    v.clear();
  }
}

bool IsArray(Kind k) { return k >= Kind::kStringArray; }

// Cuts a string to at most `limit` bytes without splitting a UTF-8 sequence.
inline std::string_view Truncate(std::string_view s, uint32_t limit) {
  if (s.size() <= limit) [[likely]] return s;
  size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

bool KeyEquals(const SpanRecord& r, const StoredAttribute& a, std::string_view key) {
  return a.key_size == key.size() && std::memcmp(r.strings.data() + a.key_begin, key.data(), key.size()) == 0;
}

}  // namespace

void SpanRecord::Reserve() {
  // About 500 bytes: a span with 8 attributes, an event and 256 bytes of
  // strings records without allocating, whichever record it gets.
  attributes.reserve(8);
  events.reserve(1);
  child_attributes.reserve(2);
  strings.reserve(256);
}

void SpanRecord::ResetUncommon() {
  if (strings.capacity() > kMaxRetainedStringBytes) {
    strings.release();
    strings.reserve(256);
  }
  if (attributes.capacity() > kMaxRetainedEntries) {
    attributes.release();
    attributes.reserve(8);
  }
  // The rest only when a span used it: writing to a line the previous span
  // left alone would pull it into this thread's cache for nothing.
  if (!trace_state.empty()) {
    if (trace_state.capacity() > kMaxRetainedStringBytes) {
      std::string().swap(trace_state);
    } else {
      trace_state.clear();
    }
  }
  if (!events.empty()) ClearKeepingSome(events);
  if (!links.empty()) ClearKeepingSome(links);
  if (!child_attributes.empty()) ClearKeepingSome(child_attributes);
  if (!array_values.empty()) ClearKeepingSome(array_values);
  garbage_bytes = 0;
  dropped_attributes = 0;
  dropped_events = 0;
  dropped_links = 0;
  status_message_begin = status_message_size = 0;
  uncommon = false;
}

uint32_t SpanRecord::AppendTruncated(std::string_view s) {
  uncommon = true;
  size_t room = strings.size() < kMaxStringBytes ? kMaxStringBytes - strings.size() : 0;
  s = Truncate(s, static_cast<uint32_t>(room));
  auto begin = static_cast<uint32_t>(strings.size());
  strings.append(s.data(), s.size());
  return begin;
}

void SpanRecord::StoreValue(const AttributeValue& value, uint32_t length_limit, StoredValue* out) {
  StoredValue& v = *out;
  v.kind = value.kind();
  auto store_array = [&](size_t n, auto&& element) {
    v.ref.begin = static_cast<uint32_t>(array_values.size());
    v.ref.size = static_cast<uint32_t>(n);
    for (size_t i = 0; i < n; ++i) element(array_values.emplace_back(), i);
  };
  switch (value.kind()) {
    case Kind::kString: {
      std::string_view s = Truncate(value.string(), length_limit);
      v.ref.begin = AppendString(s);
      v.ref.size = static_cast<uint32_t>(strings.size() - v.ref.begin);
      break;
    }
    case Kind::kBool: v.boolean = value.boolean(); break;
    case Kind::kInt: v.integer = value.integer(); break;
    case Kind::kDouble: v.dbl = value.dbl(); break;
    case Kind::kStringArray:
      store_array(value.strings().size(), [&](StoredValue& e, size_t i) {
        e.kind = Kind::kString;
        std::string_view s = Truncate(value.strings()[i], length_limit);
        e.ref.begin = AppendString(s);
        e.ref.size = static_cast<uint32_t>(strings.size() - e.ref.begin);
      });
      break;
    case Kind::kBoolArray:
      store_array(value.bools().size(), [&](StoredValue& e, size_t i) {
        e.kind = Kind::kBool;
        e.boolean = value.bools()[i];
      });
      break;
    case Kind::kIntArray:
      store_array(value.integers().size(), [&](StoredValue& e, size_t i) {
        e.kind = Kind::kInt;
        e.integer = value.integers()[i];
      });
      break;
    case Kind::kDoubleArray:
      store_array(value.doubles().size(), [&](StoredValue& e, size_t i) {
        e.kind = Kind::kDouble;
        e.dbl = value.doubles()[i];
      });
      break;
  }
}

void SpanRecord::SetAttributeSlow(const SpanLimits& limits, std::string_view key, const AttributeValue& value) {
  if (key.empty()) return;  // the attribute spec makes an empty key invalid
  uncommon = true;
  const uint64_t bit = uint64_t{1} << (key.size() & 63);
  for (StoredAttribute& a : attributes) {
    if ((key_lengths & bit) == 0) break;  // no key of this length yet
    if (!KeyEquals(*this, a, key)) continue;
    // Replacing: the old value's bytes become garbage.
    if (a.value.kind == Kind::kString) {
      garbage_bytes += a.value.ref.size;
    } else if (IsArray(a.value.kind)) {
      garbage_bytes += a.value.ref.size * static_cast<uint32_t>(sizeof(StoredValue));
      if (a.value.kind == Kind::kStringArray) {
        for (uint32_t i = 0; i < a.value.ref.size; ++i) garbage_bytes += array_values[a.value.ref.begin + i].ref.size;
      }
    }
    StoreValue(value, limits.attribute_value_length, &a.value);
    if (garbage_bytes > kCompactAfterGarbage && garbage_bytes > strings.size() / 2) Compact();
    return;
  }
  if (attributes.size() >= limits.attribute_count) {
    ++dropped_attributes;
    return;
  }
  key_lengths |= bit;
  StoredAttribute& a = attributes.emplace_back();
  a.key_begin = AppendString(key);
  a.key_size = static_cast<uint32_t>(strings.size() - a.key_begin);
  StoreValue(value, limits.attribute_value_length, &a.value);
}

void SpanRecord::AppendChildAttributes(uint32_t limit, uint32_t length_limit,
                                       std::span<const Attribute> attrs, uint32_t* begin, uint32_t* count,
                                       uint32_t* dropped) {
  *begin = static_cast<uint32_t>(child_attributes.size());
  *count = 0;
  *dropped = 0;
  for (const Attribute& attr : attrs) {
    if (attr.key.empty()) continue;
    bool replaced = false;
    for (uint32_t i = *begin; i < *begin + *count; ++i) {
      if (KeyEquals(*this, child_attributes[i], attr.key)) {
        StoreValue(attr.value, length_limit, &child_attributes[i].value);
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    if (*count >= limit) {
      ++*dropped;
      continue;
    }
    StoredAttribute& a = child_attributes.emplace_back();
    a.key_begin = AppendString(attr.key);
    a.key_size = static_cast<uint32_t>(strings.size() - a.key_begin);
    StoreValue(attr.value, length_limit, &a.value);
    ++*count;
  }
}

void SpanRecord::AddEvent(const SpanLimits& limits, std::string_view event_name, uint64_t time_unix_nano,
                          std::span<const Attribute> attrs) {
  uncommon = true;
  if (events.size() >= limits.event_count) {
    ++dropped_events;
    return;
  }
  StoredEvent& e = events.emplace_back();
  e.time_unix_nano = time_unix_nano;
  e.name_begin = AppendString(event_name);
  e.name_size = static_cast<uint32_t>(strings.size() - e.name_begin);
  AppendChildAttributes(limits.event_attribute_count, limits.attribute_value_length, attrs, &e.attributes_begin,
                        &e.attributes_count, &e.dropped_attributes);
}

void SpanRecord::AddLink(const SpanLimits& limits, const SpanContext& linked, std::span<const Attribute> attrs) {
  uncommon = true;
  if (links.size() >= limits.link_count) {
    ++dropped_links;
    return;
  }
  StoredLink& l = links.emplace_back();
  l.trace_id = linked.trace_id;
  l.span_id = linked.span_id;
  l.trace_flags = linked.trace_flags;
  l.remote = linked.remote;
  l.trace_state_begin = AppendString(linked.trace_state);
  l.trace_state_size = static_cast<uint32_t>(strings.size() - l.trace_state_begin);
  AppendChildAttributes(limits.link_attribute_count, limits.attribute_value_length, attrs, &l.attributes_begin,
                        &l.attributes_count, &l.dropped_attributes);
}

void SpanRecord::SetName(std::string_view new_name) {
  uncommon = true;
  if (new_name.size() <= name_size) {
    // Fits where the old name was: overwrite in place.
    std::memcpy(strings.data() + name_begin, new_name.data(), new_name.size());
    garbage_bytes += name_size - static_cast<uint32_t>(new_name.size());
    name_size = static_cast<uint32_t>(new_name.size());
    return;
  }
  garbage_bytes += name_size;
  name_begin = AppendString(new_name);
  name_size = static_cast<uint32_t>(strings.size() - name_begin);
  if (garbage_bytes > kCompactAfterGarbage && garbage_bytes > strings.size() / 2) Compact();
}

void SpanRecord::SetStatus(model::StatusCode code, std::string_view description) {
  // API spec: Ok is final; setting Unset is ignored; a description only
  // accompanies Error.
  if (status_code == model::StatusCode::kOk || code == model::StatusCode::kUnset) return;
  if (status_message_size != 0 || !description.empty()) uncommon = true;
  garbage_bytes += status_message_size;
  status_message_size = 0;
  status_code = code;
  if (code == model::StatusCode::kError && !description.empty()) {
    status_message_begin = AppendString(description);
    status_message_size = static_cast<uint32_t>(strings.size() - status_message_begin);
  }
  if (garbage_bytes > kCompactAfterGarbage && garbage_bytes > strings.size() / 2) Compact();
}

void SpanRecord::Compact() {
  ByteBuffer fresh;
  fresh.reserve(strings.size() - std::min<size_t>(garbage_bytes, strings.size()));
  std::vector<StoredValue> fresh_values;
  fresh_values.reserve(array_values.size());
  auto move_string = [&](uint32_t& begin, uint32_t size) {
    auto at = static_cast<uint32_t>(fresh.size());
    fresh.append(strings.data() + begin, size);
    begin = at;
  };
  auto move_value = [&](StoredValue& v) {
    if (v.kind == Kind::kString) {
      move_string(v.ref.begin, v.ref.size);
    } else if (IsArray(v.kind)) {
      auto at = static_cast<uint32_t>(fresh_values.size());
      for (uint32_t i = 0; i < v.ref.size; ++i) {
        StoredValue e = array_values[v.ref.begin + i];
        if (e.kind == Kind::kString) move_string(e.ref.begin, e.ref.size);
        fresh_values.push_back(e);
      }
      v.ref.begin = at;
    }
  };
  move_string(name_begin, name_size);
  move_string(status_message_begin, status_message_size);
  for (StoredAttribute& a : attributes) {
    move_string(a.key_begin, a.key_size);
    move_value(a.value);
  }
  for (StoredAttribute& a : child_attributes) {
    move_string(a.key_begin, a.key_size);
    move_value(a.value);
  }
  for (StoredEvent& e : events) move_string(e.name_begin, e.name_size);
  for (StoredLink& l : links) move_string(l.trace_state_begin, l.trace_state_size);
  strings.swap(fresh);
  array_values.swap(fresh_values);
  garbage_bytes = 0;
}

bool DropReference(SpanRecord& record) {
  // Holding a reference and seeing a count of one means no one else holds
  // any (and no one can take one any more): skip the read-modify-write.
  if (record.references.load(std::memory_order_acquire) == 1) return true;
  return record.references.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

void ReleaseRecord(const SpanRecord& record) {
  auto& r = const_cast<SpanRecord&>(record);
  if (DropReference(r)) r.pool->Release(&r);
}

}  // namespace rubato::sdk
