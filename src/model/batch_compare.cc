#include "model/batch_compare.h"

#include <cmath>
#include <cstring>
#include <sstream>

namespace rubato::model {
namespace {

class Comparer {
 public:
  Comparer(const Batch& a, const Batch& b) : a_(a), b_(b) {}

  std::string Run() {
    Check("resources.size", a_.resources.size(), b_.resources.size());
    for (size_t r = 0; r < a_.resources.size() && diff_.empty(); ++r) {
      CompareResource("resources[" + std::to_string(r) + "]", a_.resources[r], b_.resources[r]);
    }
    return diff_;
  }

 private:
  template <typename T>
  bool Check(const std::string& path, const T& x, const T& y) {
    if (!diff_.empty()) return false;
    if (x == y) return true;
    std::ostringstream os;
    os << path << ": " << Show(x) << " != " << Show(y);
    diff_ = os.str();
    return false;
  }
  template <typename T>
  static auto Show(const T& v) {
    if constexpr (std::is_enum_v<T>) return static_cast<long long>(v);
    else if constexpr (std::is_same_v<T, TraceId> || std::is_same_v<T, SpanId>) return v.ToHex();
    else if constexpr (std::is_same_v<T, std::string_view>) return "\"" + std::string(v) + "\"";
    else return v;
  }

  void CompareResource(const std::string& p, const Resource& x, const Resource& y) {
    CompareAttrs(p + ".attributes", x.attributes, y.attributes);
    Check(p + ".dropped_attributes_count", x.dropped_attributes_count, y.dropped_attributes_count);
    Check(p + ".schema_url", x.schema_url, y.schema_url);
    Check(p + ".scopes.size", x.scopes.count, y.scopes.count);
    for (uint32_t i = 0; i < x.scopes.count && diff_.empty(); ++i) {
      CompareScope(p + ".scopes[" + std::to_string(i) + "]", a_.scopes[x.scopes.begin + i],
                   b_.scopes[y.scopes.begin + i]);
    }
  }

  void CompareScope(const std::string& p, const Scope& x, const Scope& y) {
    Check(p + ".name", x.name, y.name);
    Check(p + ".version", x.version, y.version);
    CompareAttrs(p + ".attributes", x.attributes, y.attributes);
    Check(p + ".dropped_attributes_count", x.dropped_attributes_count, y.dropped_attributes_count);
    Check(p + ".schema_url", x.schema_url, y.schema_url);
    Check(p + ".spans.size", x.spans.count, y.spans.count);
    for (uint32_t i = 0; i < x.spans.count && diff_.empty(); ++i) {
      CompareSpan(p + ".spans[" + std::to_string(i) + "]", a_.spans[x.spans.begin + i],
                  b_.spans[y.spans.begin + i]);
    }
  }

  void CompareSpan(const std::string& p, const Span& x, const Span& y) {
    Check(p + ".trace_id", x.trace_id, y.trace_id);
    Check(p + ".span_id", x.span_id, y.span_id);
    Check(p + ".parent_span_id", x.parent_span_id, y.parent_span_id);
    Check(p + ".trace_state", x.trace_state, y.trace_state);
    Check(p + ".name", x.name, y.name);
    Check(p + ".kind", x.kind, y.kind);
    Check(p + ".flags", x.flags, y.flags);
    Check(p + ".start_time_unix_nano", x.start_time_unix_nano, y.start_time_unix_nano);
    Check(p + ".end_time_unix_nano", x.end_time_unix_nano, y.end_time_unix_nano);
    CompareAttrs(p + ".attributes", x.attributes, y.attributes);
    Check(p + ".dropped_attributes_count", x.dropped_attributes_count, y.dropped_attributes_count);
    Check(p + ".dropped_events_count", x.dropped_events_count, y.dropped_events_count);
    Check(p + ".dropped_links_count", x.dropped_links_count, y.dropped_links_count);
    Check(p + ".status.code", x.status_code, y.status_code);
    Check(p + ".status.message", x.status_message, y.status_message);
    Check(p + ".events.size", x.events.count, y.events.count);
    for (uint32_t i = 0; i < x.events.count && diff_.empty(); ++i) {
      const Event& e = a_.events[x.events.begin + i];
      const Event& f = b_.events[y.events.begin + i];
      std::string q = p + ".events[" + std::to_string(i) + "]";
      Check(q + ".time_unix_nano", e.time_unix_nano, f.time_unix_nano);
      Check(q + ".name", e.name, f.name);
      CompareAttrs(q + ".attributes", e.attributes, f.attributes);
      Check(q + ".dropped_attributes_count", e.dropped_attributes_count, f.dropped_attributes_count);
    }
    Check(p + ".links.size", x.links.count, y.links.count);
    for (uint32_t i = 0; i < x.links.count && diff_.empty(); ++i) {
      const Link& l = a_.links[x.links.begin + i];
      const Link& m = b_.links[y.links.begin + i];
      std::string q = p + ".links[" + std::to_string(i) + "]";
      Check(q + ".trace_id", l.trace_id, m.trace_id);
      Check(q + ".span_id", l.span_id, m.span_id);
      Check(q + ".trace_state", l.trace_state, m.trace_state);
      CompareAttrs(q + ".attributes", l.attributes, m.attributes);
      Check(q + ".dropped_attributes_count", l.dropped_attributes_count, m.dropped_attributes_count);
      Check(q + ".flags", l.flags, m.flags);
    }
  }

  void CompareAttrs(const std::string& p, Range x, Range y) {
    if (!Check(p + ".size", x.count, y.count)) return;
    for (uint32_t i = 0; i < x.count && diff_.empty(); ++i) {
      const KeyValue& k = a_.attributes[x.begin + i];
      const KeyValue& l = b_.attributes[y.begin + i];
      std::string q = p + "[" + std::to_string(i) + "]";
      Check(q + ".key", k.key, l.key);
      CompareValue(q + ".value", k.value, l.value);
    }
  }

  void CompareValue(const std::string& p, const AnyValue& x, const AnyValue& y) {
    if (!Check(p + ".kind", x.kind, y.kind)) return;
    switch (x.kind) {
      case ValueKind::kEmpty: break;
      case ValueKind::kString:
      case ValueKind::kBytes: Check(p, x.str, y.str); break;
      case ValueKind::kBool: Check(p, x.boolean, y.boolean); break;
      case ValueKind::kInt: Check(p, x.integer, y.integer); break;
      case ValueKind::kDouble:
        if (!(std::isnan(x.dbl) && std::isnan(y.dbl))) Check(p, x.dbl, y.dbl);
        break;
      case ValueKind::kArray:
        if (!Check(p + ".size", x.children.count, y.children.count)) return;
        for (uint32_t i = 0; i < x.children.count && diff_.empty(); ++i) {
          CompareValue(p + "[" + std::to_string(i) + "]", a_.values[x.children.begin + i],
                       b_.values[y.children.begin + i]);
        }
        break;
      case ValueKind::kKvList: CompareAttrs(p, x.children, y.children); break;
    }
  }

  const Batch& a_;
  const Batch& b_;
  std::string diff_;
};

}  // namespace

std::string DescribeDifference(const Batch& a, const Batch& b) { return Comparer(a, b).Run(); }

}  // namespace rubato::model
