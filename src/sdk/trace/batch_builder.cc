#include "sdk/trace/batch_builder.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "sdk/trace/provider_state.h"

namespace rubato::sdk {

namespace {

using Kind = AttributeValue::Kind;

// OTLP span flags: bit 8 says whether bit 9 (the parent is remote) is known.
constexpr uint32_t kContextHasIsRemote = 0x100;
constexpr uint32_t kContextIsRemote = 0x200;

// Fills `out` in place: an AnyValue built on the stack and copied costs a
// store-forwarding stall per value (its one-byte kind and its union are
// stored separately, then loaded as one).
void Scalar(const StoredValue& v, const char* strings, model::AnyValue* out) {
  switch (v.kind) {
    case Kind::kString:
      out->kind = model::ValueKind::kString;
      out->str = {strings + v.ref.begin, v.ref.size};
      break;
    case Kind::kBool:
      out->kind = model::ValueKind::kBool;
      out->boolean = v.boolean;
      break;
    case Kind::kInt:
      out->kind = model::ValueKind::kInt;
      out->integer = v.integer;
      break;
    case Kind::kDouble:
      out->kind = model::ValueKind::kDouble;
      out->dbl = v.dbl;
      break;
    default: break;
  }
}

}  // namespace

model::Range BatchBuilder::AddAttributes(const SpanRecord* r, const StoredAttribute* attrs, uint32_t count,
                                         const char* strings, model::Batch* batch) {
  model::Range range{static_cast<uint32_t>(batch->attributes.size()), count};
  for (uint32_t i = 0; i < count; ++i) {
    const StoredAttribute& a = attrs[i];
    model::KeyValue& kv = batch->attributes.emplace_back();
    kv.key = {strings + a.key_begin, a.key_size};
    if (a.value.kind >= Kind::kStringArray) [[unlikely]] {
      // Arrays make a span uncommon: only a record holds one.
      model::Range elements{static_cast<uint32_t>(batch->values.size()), a.value.ref.size};
      for (uint32_t e = 0; e < a.value.ref.size; ++e) {
        Scalar(r->array_values[a.value.ref.begin + e], strings, &batch->values.emplace_back());
      }
      kv.value.kind = model::ValueKind::kArray;
      kv.value.children = elements;
    } else {
      Scalar(a.value, strings, &kv.value);
    }
  }
  return range;
}

void BatchBuilder::AddSpan(const SpanView& v, model::Batch* batch) {
  // One copy of the span's string buffer; every view below points into it.
  static const char kNoStrings[1] = {0};
  const char* strings = kNoStrings;
  if (v.string_bytes != 0) {
    char* copy = batch->arena().Allocate(v.string_bytes);
    std::memcpy(copy, v.strings, v.string_bytes);
    strings = copy;
  }
  const SpanHead& h = *v.head;
  // Built in place, like the attributes (Batch::AddSpan would copy it twice).
  batch->scopes.back().spans.count++;
  model::Span& s = batch->spans.emplace_back();
  s.scope_index = static_cast<uint32_t>(batch->scopes.size() - 1);
  s.trace_id = h.trace_id;
  s.span_id = h.span_id;
  s.parent_span_id = h.parent_span_id;
  s.name = {strings + h.name_begin, h.name_size};
  s.start_time_unix_nano = h.start_time_unix_nano;
  s.end_time_unix_nano = h.end_time_unix_nano;
  s.attributes = AddAttributes(v.record, v.attributes, v.attribute_count, strings, batch);
  s.events = {static_cast<uint32_t>(batch->events.size()), 0};
  s.links = {static_cast<uint32_t>(batch->links.size()), 0};
  s.flags = h.trace_flags | kContextHasIsRemote | (h.parent_remote ? kContextIsRemote : 0);
  s.kind = h.kind;
  s.status_code = h.status_code;
  if (v.record != nullptr) AddRecordOnly(*v.record, strings, &s, batch);
}

void BatchBuilder::AddRecordOnly(const SpanRecord& r, const char* strings, model::Span* span, model::Batch* batch) {
  model::Span& s = *span;
  if (!r.trace_state.empty()) [[unlikely]] s.trace_state = batch->Own(r.trace_state);
  s.dropped_attributes_count = r.dropped_attributes;
  s.status_message = {strings + r.status_message_begin, r.status_message_size};

  s.events.count = static_cast<uint32_t>(r.events.size());
  for (const StoredEvent& e : r.events) {
    model::Range attrs =
        AddAttributes(&r, r.child_attributes.data() + e.attributes_begin, e.attributes_count, strings, batch);
    model::Event& ev = batch->events.emplace_back();
    ev.time_unix_nano = e.time_unix_nano;
    ev.name = {strings + e.name_begin, e.name_size};
    ev.attributes = attrs;
    ev.dropped_attributes_count = e.dropped_attributes;
  }
  s.dropped_events_count = r.dropped_events;

  s.links.count = static_cast<uint32_t>(r.links.size());
  for (const StoredLink& l : r.links) {
    model::Range attrs =
        AddAttributes(&r, r.child_attributes.data() + l.attributes_begin, l.attributes_count, strings, batch);
    model::Link& link = batch->links.emplace_back();
    link.trace_id = l.trace_id;
    link.span_id = l.span_id;
    link.trace_state = {strings + l.trace_state_begin, l.trace_state_size};
    link.attributes = attrs;
    link.dropped_attributes_count = l.dropped_attributes;
    link.flags = l.trace_flags | kContextHasIsRemote | (l.remote ? kContextIsRemote : 0);
  }
  s.dropped_links_count = r.dropped_links;
}

void BatchBuilder::Build(std::span<const SpanView> spans, model::Batch* batch) {
  batch->Clear();
  groups_.clear();
  for (const SpanView& v : spans) {
    if (std::find(groups_.begin(), groups_.end(), v.head->scope) == groups_.end()) groups_.push_back(v.head->scope);
  }
  // Scopes of one provider next to each other, so each provider's resource
  // is written once (an insertion sort: there are few, and it is stable
  // without the buffer std::stable_sort would allocate).
  auto provider_of = [](const void* s) { return static_cast<const InstrumentationScope*>(s)->provider; };
  for (size_t i = 1; i < groups_.size(); ++i) {
    for (size_t j = i; j > 0 && std::less<>()(provider_of(groups_[j]), provider_of(groups_[j - 1])); --j) {
      std::swap(groups_[j], groups_[j - 1]);
    }
  }
  const TracerProviderState* current_provider = nullptr;
  for (const void* g : groups_) {
    const auto* scope = static_cast<const InstrumentationScope*>(g);
    if (scope->provider != current_provider) {
      current_provider = scope->provider;
      model::Range attrs{static_cast<uint32_t>(batch->attributes.size()),
                         static_cast<uint32_t>(current_provider->resource.attributes.size())};
      for (const auto& [k, v] : current_provider->resource.attributes) {
        batch->attributes.push_back({batch->Own(k), model::AnyValue::String(batch->Own(v))});
      }
      batch->AddResource(attrs);
    }
    batch->AddScope(batch->Own(scope->name), batch->Own(scope->version));
    for (const SpanView& v : spans) {
      if (v.head->scope == scope) AddSpan(v, batch);
    }
  }
}

}  // namespace rubato::sdk
