// ResultAttributes (declared in evaluate.h): the attributes a search result
// shows beside each matched span.
#include <algorithm>

#include "query/traceql/evaluate.h"

namespace rubato::query::traceql {

namespace {

const model::KeyValue* Find(const model::Batch& b, model::Range r, std::string_view name) {
  for (const model::KeyValue& kv : b.Attributes(r)) {
    if (kv.key == name && kv.value.kind != model::ValueKind::kEmpty) return &kv;
  }
  return nullptr;
}

// The first event (link) that has the attribute.
template <typename T>
const model::KeyValue* FindOnItems(const model::Batch& b, std::span<const T> items, std::string_view name) {
  for (const T& item : items) {
    if (const model::KeyValue* kv = Find(b, item.attributes, name)) return kv;
  }
  return nullptr;
}

const model::KeyValue* Lookup(const Attribute& a, const model::Batch& b, const model::Span& s) {
  switch (a.scope) {
    case AttributeScope::kSpan: return Find(b, s.attributes, a.name);
    case AttributeScope::kResource: return Find(b, b.ResourceOf(s).attributes, a.name);
    case AttributeScope::kUnscoped: {
      const model::KeyValue* kv = Find(b, s.attributes, a.name);
      return kv ? kv : Find(b, b.ResourceOf(s).attributes, a.name);
    }
    case AttributeScope::kInstrumentation: return Find(b, b.ScopeOf(s).attributes, a.name);
    case AttributeScope::kEvent: return FindOnItems(b, b.Events(s.events), a.name);
    case AttributeScope::kLink: return FindOnItems(b, b.Links(s.links), a.name);
  }
  return nullptr;
}

}  // namespace

std::vector<model::KeyValue> ResultAttributes(const Plan& plan, const TraceView& trace, uint32_t span) {
  std::vector<model::KeyValue> out;
  const model::Batch& b = trace.batch(span);
  const model::Span& s = trace.span(span);
  for (const auto* list : {&plan.referenced_attributes(), &plan.selected_attributes()}) {
    for (const Attribute& a : *list) {
      // parent. fields describe another span: its own result shows them.
      if (a.parent) continue;
      const model::KeyValue* kv = Lookup(a, b, s);
      if (!kv) continue;
      // One value per bare name: the first attribute listed wins.
      const bool seen = std::any_of(out.begin(), out.end(), [&](const model::KeyValue& o) { return o.key == kv->key; });
      if (!seen) out.push_back(*kv);
    }
  }
  return out;
}

}  // namespace rubato::query::traceql
