#include "model/batch.h"

#include <cassert>

namespace rubato::model {

namespace {
template <typename T>
Range AppendAll(std::vector<T>* pool, std::span<const T> items) {
  Range r{static_cast<uint32_t>(pool->size()), static_cast<uint32_t>(items.size())};
  pool->insert(pool->end(), items.begin(), items.end());
  return r;
}
}  // namespace

std::string_view Batch::AdoptBuffer(std::string bytes) {
  buffer_ = std::make_unique<std::string>(std::move(bytes));
  return *buffer_;
}

void Batch::Clear() {
  resources.clear();
  scopes.clear();
  spans.clear();
  events.clear();
  links.clear();
  attributes.clear();
  values.clear();
  buffer_.reset();
  arena_.Clear();
}

Range Batch::AppendAttributes(std::span<const KeyValue> kvs) { return AppendAll(&attributes, kvs); }
Range Batch::AppendValues(std::span<const AnyValue> vs) { return AppendAll(&values, vs); }
Range Batch::AppendEvents(std::span<const Event> es) { return AppendAll(&events, es); }
Range Batch::AppendLinks(std::span<const Link> ls) { return AppendAll(&links, ls); }

uint32_t Batch::AddResource(Range attrs, std::string_view schema_url, uint32_t dropped) {
  Resource r;
  r.attributes = attrs;
  r.schema_url = schema_url;
  r.dropped_attributes_count = dropped;
  r.scopes = Range{static_cast<uint32_t>(scopes.size()), 0};
  resources.push_back(r);
  return static_cast<uint32_t>(resources.size() - 1);
}

uint32_t Batch::AddScope(std::string_view name, std::string_view version, Range attrs,
                         std::string_view schema_url, uint32_t dropped) {
  assert(!resources.empty());
  Scope s;
  s.name = name;
  s.version = version;
  s.attributes = attrs;
  s.schema_url = schema_url;
  s.dropped_attributes_count = dropped;
  s.resource_index = static_cast<uint32_t>(resources.size() - 1);
  s.spans = Range{static_cast<uint32_t>(spans.size()), 0};
  scopes.push_back(s);
  resources.back().scopes.count++;
  return static_cast<uint32_t>(scopes.size() - 1);
}

uint32_t Batch::AddSpan(Span span) {
  assert(!scopes.empty());
  span.scope_index = static_cast<uint32_t>(scopes.size() - 1);
  spans.push_back(span);
  scopes.back().spans.count++;
  return static_cast<uint32_t>(spans.size() - 1);
}

}  // namespace rubato::model
