#include "model/span_copy.h"

#include <vector>

namespace rubato::model {
namespace {

class Copier {
 public:
  Copier(const Batch& src, Batch* dst) : src_(src), dst_(*dst) {}

  void Run(std::span<const uint32_t> spans) {
    uint32_t last_scope = UINT32_MAX;
    uint32_t last_resource = UINT32_MAX;
    for (uint32_t i : spans) {
      const Span& s = src_.spans[i];
      const Scope& scope = src_.scopes[s.scope_index];
      if (scope.resource_index != last_resource) {
        const Resource& r = src_.resources[scope.resource_index];
        dst_.AddResource(Attrs(r.attributes), dst_.Own(r.schema_url), r.dropped_attributes_count);
        last_resource = scope.resource_index;
        last_scope = UINT32_MAX;
      }
      if (s.scope_index != last_scope) {
        dst_.AddScope(dst_.Own(scope.name), dst_.Own(scope.version), Attrs(scope.attributes),
                      dst_.Own(scope.schema_url), scope.dropped_attributes_count);
        last_scope = s.scope_index;
      }
      dst_.AddSpan(CopySpan(s));
    }
  }

 private:
  Span CopySpan(const Span& s) {
    Span out = s;
    out.trace_state = dst_.Own(s.trace_state);
    out.name = dst_.Own(s.name);
    out.status_message = dst_.Own(s.status_message);
    out.attributes = Attrs(s.attributes);
    std::vector<Event> events;
    for (const Event& e : src_.Events(s.events)) {
      Event c = e;
      c.name = dst_.Own(e.name);
      c.attributes = Attrs(e.attributes);
      events.push_back(c);
    }
    out.events = dst_.AppendEvents(events);
    std::vector<Link> links;
    for (const Link& l : src_.Links(s.links)) {
      Link c = l;
      c.trace_state = dst_.Own(l.trace_state);
      c.attributes = Attrs(l.attributes);
      links.push_back(c);
    }
    out.links = dst_.AppendLinks(links);
    return out;
  }

  // Children first, then the list itself, so each list stays contiguous.
  Range Attrs(Range r) {
    std::vector<KeyValue> kvs;
    kvs.reserve(r.count);
    for (const KeyValue& kv : src_.Attributes(r)) kvs.push_back({dst_.Own(kv.key), Value(kv.value)});
    return dst_.AppendAttributes(kvs);
  }

  AnyValue Value(const AnyValue& v) {
    switch (v.kind) {
      case ValueKind::kString: return AnyValue::String(dst_.Own(v.str));
      case ValueKind::kBytes: return AnyValue::Bytes(dst_.Own(v.str));
      case ValueKind::kArray: {
        std::vector<AnyValue> items;
        for (const AnyValue& e : src_.Values(v.children)) items.push_back(Value(e));
        return AnyValue::Array(dst_.AppendValues(items));
      }
      case ValueKind::kKvList: return AnyValue::KvList(Attrs(v.children));
      default: return v;
    }
  }

  const Batch& src_;
  Batch& dst_;
};

}  // namespace

void CopySpans(const Batch& src, std::span<const uint32_t> spans, Batch* dst) { Copier(src, dst).Run(spans); }

}  // namespace rubato::model
