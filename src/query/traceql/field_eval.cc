#include "query/traceql/field_eval.h"

namespace rubato::query::traceql {

namespace {

constexpr uint8_t kUsesEvent = 1, kUsesLink = 2;

// Which of event. / link. the expression reads on the span itself (a
// parent.-scoped field is read on the parent, never bound per event).
uint8_t Uses(const FieldExpr& e) {
  switch (e.kind) {
    case FieldExpr::Kind::kAttribute:
      if (e.attribute.parent) return 0;
      if (e.attribute.scope == AttributeScope::kEvent) return kUsesEvent;
      if (e.attribute.scope == AttributeScope::kLink) return kUsesLink;
      return 0;
    case FieldExpr::Kind::kIntrinsic:
      switch (e.intrinsic) {
        case Intrinsic::kEventName:
        case Intrinsic::kEventTimeSinceStart: return kUsesEvent;
        case Intrinsic::kLinkTraceId:
        case Intrinsic::kLinkSpanId: return kUsesLink;
        default: return 0;
      }
    case FieldExpr::Kind::kBinary:
      return static_cast<uint8_t>(Uses(*e.lhs) | Uses(*e.rhs));
    case FieldExpr::Kind::kUnary:
      return Uses(*e.lhs);
    case FieldExpr::Kind::kStatic:
      return 0;
  }
  return 0;
}

bool IsComparison(BinaryOp op) { return op <= BinaryOp::kNotRegex; }
bool IsNil(const FieldExpr& e) { return e.kind == FieldExpr::Kind::kStatic && e.value.type == ValueType::kNil; }

// The first attribute named `name` in r (OTLP forbids repeats; the first wins).
Value Find(const model::Batch& b, model::Range r, std::string_view name) {
  for (const model::KeyValue& kv : b.Attributes(r)) {
    if (kv.key == name) return FromAny(kv.value, b);
  }
  return Value::Missing();
}

// Looks `name` up on the bound item of `items` (event or link), or on the
// first item that has it when none is bound.
template <typename T>
Value FindOnItems(const model::Batch& b, std::span<const T> items, int32_t bound, std::string_view name) {
  if (bound >= 0) return Find(b, items[bound].attributes, name);
  if (bound != -1) return Value::Missing();
  for (const T& item : items) {
    Value v = Find(b, item.attributes, name);
    if (v.present()) return v;
  }
  return Value::Missing();
}

// The bound item, or the first when unbound; null when there is none.
template <typename T>
const T* ItemAt(std::span<const T> items, int32_t bound) {
  if (bound >= 0) return &items[bound];
  if (bound == -1 && !items.empty()) return &items[0];
  return nullptr;
}

}  // namespace

FieldEvaluator::FieldEvaluator(const Plan& plan, const TraceView& trace) : plan_(plan), trace_(trace) {
  trace_duration_ = static_cast<int64_t>(trace.end_unix_nano() - trace.start_unix_nano());
  if (trace.root() >= 0) {
    const uint32_t r = static_cast<uint32_t>(trace.root());
    const model::Batch& b = trace.batch(r);
    const model::Span& s = trace.span(r);
    root_name_ = Value::String(s.name);
    root_service_ = Find(b, b.ResourceOf(s).attributes, "service.name");
  }
}

bool FieldEvaluator::Test(const FieldExpr& e, uint32_t span) {
  Cursor c{span};
  return TestAt(e, c);
}

Value FieldEvaluator::Eval(const FieldExpr& e, uint32_t span) { return ValueAt(e, Cursor{span}); }

template <typename F>
bool FieldEvaluator::Any(const FieldExpr& e, Cursor& c, const F& test) {
  // Without events or links to bind, event./link. fields read as missing
  // either way: skip working out which the expression uses.
  const model::Span& span = trace_.span(c.span);
  if (span.events.count == 0 && span.links.count == 0) return test(c);
  return AnyBound(Uses(e), c, test);
}

template <typename F>
bool FieldEvaluator::AnyBound(uint8_t uses, Cursor& c, const F& test) {
  if ((uses & kUsesEvent) && c.event == kUnfixed) {
    const model::Span& s = trace_.span(c.span);
    bool hit = false;
    if (s.events.count == 0) {
      c.event = kNone;
      hit = AnyBound(uses, c, test);
    }
    for (uint32_t k = 0; k < s.events.count && !hit; ++k) {
      c.event = static_cast<int32_t>(k);
      hit = AnyBound(uses, c, test);
    }
    c.event = kUnfixed;
    return hit;
  }
  if ((uses & kUsesLink) && c.link == kUnfixed) {
    const model::Span& s = trace_.span(c.span);
    bool hit = false;
    if (s.links.count == 0) {
      c.link = kNone;
      hit = AnyBound(uses, c, test);
    }
    for (uint32_t k = 0; k < s.links.count && !hit; ++k) {
      c.link = static_cast<int32_t>(k);
      hit = AnyBound(uses, c, test);
    }
    c.link = kUnfixed;
    return hit;
  }
  return test(c);
}

bool FieldEvaluator::TestAt(const FieldExpr& e, Cursor& c) {
  switch (e.kind) {
    case FieldExpr::Kind::kBinary:
      if (e.binary == BinaryOp::kAnd) return TestAt(*e.lhs, c) && TestAt(*e.rhs, c);
      if (e.binary == BinaryOp::kOr) return TestAt(*e.lhs, c) || TestAt(*e.rhs, c);
      if (IsComparison(e.binary)) return CompareAt(e, c);
      return Truth(ValueAt(e, c));  // arithmetic is never true
    case FieldExpr::Kind::kUnary:
      if (e.unary == UnaryOp::kNot) return !TestAt(*e.lhs, c);
      return false;  // a negated number is not true
    case FieldExpr::Kind::kStatic:
      return Truth(FromStatic(e.value));
    case FieldExpr::Kind::kAttribute:
    case FieldExpr::Kind::kIntrinsic:
      // A bare field is true when it is a boolean true (on some event or link).
      return Any(e, c, [&](const Cursor& at) { return Truth(ValueAt(e, at)); });
  }
  return false;
}

bool FieldEvaluator::CompareAt(const FieldExpr& e, Cursor& c) {
  const bool lhs_nil = IsNil(*e.lhs), rhs_nil = IsNil(*e.rhs);
  if (lhs_nil || rhs_nil) {
    // `x = nil`: x is absent (on every event or link); `x != nil`: present on one.
    bool exists = false;
    if (!(lhs_nil && rhs_nil)) {
      const FieldExpr& x = lhs_nil ? *e.rhs : *e.lhs;
      exists = Any(x, c, [&](const Cursor& at) { return ValueAt(x, at).present(); });
    }
    if (e.binary == BinaryOp::kEq) return !exists;
    if (e.binary == BinaryOp::kNeq) return exists;
    return false;
  }
  const re2::RE2* re = (e.binary == BinaryOp::kRegex || e.binary == BinaryOp::kNotRegex) ? plan_.regex(&e) : nullptr;
  return Any(e, c, [&](const Cursor& at) {
    return CompareValues(e.binary, ValueAt(*e.lhs, at), ValueAt(*e.rhs, at), re);
  });
}

Value FieldEvaluator::ValueAt(const FieldExpr& e, const Cursor& c) {
  switch (e.kind) {
    case FieldExpr::Kind::kStatic:
      return FromStatic(e.value);
    case FieldExpr::Kind::kAttribute:
      return AttributeAt(e.attribute, c);
    case FieldExpr::Kind::kIntrinsic:
      return IntrinsicAt(e.intrinsic, c);
    case FieldExpr::Kind::kBinary: {
      if (IsComparison(e.binary) || e.binary == BinaryOp::kAnd || e.binary == BinaryOp::kOr) {
        Cursor at = c;
        return Value::Bool(TestAt(e, at));
      }
      return Arithmetic(e.binary, ValueAt(*e.lhs, c), ValueAt(*e.rhs, c));
    }
    case FieldExpr::Kind::kUnary: {
      if (e.unary == UnaryOp::kNeg) return Negate(ValueAt(*e.lhs, c));
      Cursor at = c;
      return Value::Bool(!TestAt(*e.lhs, at));
    }
  }
  return Value::Missing();
}

Value FieldEvaluator::AttributeAt(const Attribute& a, const Cursor& c) {
  Cursor at = c;
  if (a.parent) {
    const int32_t p = trace_.parent(c.span);
    if (p < 0) return Value::Missing();
    at = Cursor{static_cast<uint32_t>(p)};
  }
  const model::Batch& b = trace_.batch(at.span);
  const model::Span& s = trace_.span(at.span);
  switch (a.scope) {
    case AttributeScope::kSpan:
      return Find(b, s.attributes, a.name);
    case AttributeScope::kResource:
      return Find(b, b.ResourceOf(s).attributes, a.name);
    case AttributeScope::kUnscoped: {
      Value v = Find(b, s.attributes, a.name);
      return v.present() ? v : Find(b, b.ResourceOf(s).attributes, a.name);
    }
    case AttributeScope::kInstrumentation:
      return Find(b, b.ScopeOf(s).attributes, a.name);
    case AttributeScope::kEvent:
      return FindOnItems(b, b.Events(s.events), at.event, a.name);
    case AttributeScope::kLink:
      return FindOnItems(b, b.Links(s.links), at.link, a.name);
  }
  return Value::Missing();
}

Value FieldEvaluator::IntrinsicAt(Intrinsic in, const Cursor& c) {
  const model::Batch& b = trace_.batch(c.span);
  const model::Span& s = trace_.span(c.span);
  switch (in) {
    case Intrinsic::kSpanName: return Value::String(s.name);
    case Intrinsic::kSpanKind: return Value::Kind(static_cast<int64_t>(s.kind));
    case Intrinsic::kSpanStatus: return Value::Status(static_cast<int64_t>(s.status_code));
    case Intrinsic::kSpanStatusMessage: return Value::String(s.status_message);
    case Intrinsic::kSpanDuration: return Value::Duration(static_cast<int64_t>(s.duration_nanos()));
    case Intrinsic::kSpanId: return Value::Hex(s.span_id);
    case Intrinsic::kSpanParentId: return s.parent_span_id.IsZero() ? Value::Missing() : Value::Hex(s.parent_span_id);
    case Intrinsic::kSpanChildCount: return Value::Int(static_cast<int64_t>(trace_.children(c.span).size()));
    case Intrinsic::kTraceDuration: return Value::Duration(trace_duration_);
    case Intrinsic::kTraceRootName: return root_name_;
    case Intrinsic::kTraceRootService: return root_service_;
    case Intrinsic::kTraceId: return Value::Hex(s.trace_id);
    case Intrinsic::kEventName: {
      const model::Event* ev = ItemAt(b.Events(s.events), c.event);
      return ev ? Value::String(ev->name) : Value::Missing();
    }
    case Intrinsic::kEventTimeSinceStart: {
      const model::Event* ev = ItemAt(b.Events(s.events), c.event);
      if (!ev) return Value::Missing();
      return Value::Duration(static_cast<int64_t>(ev->time_unix_nano - s.start_time_unix_nano));
    }
    case Intrinsic::kLinkTraceId: {
      const model::Link* l = ItemAt(b.Links(s.links), c.link);
      return l ? Value::Hex(l->trace_id) : Value::Missing();
    }
    case Intrinsic::kLinkSpanId: {
      const model::Link* l = ItemAt(b.Links(s.links), c.link);
      return l ? Value::Hex(l->span_id) : Value::Missing();
    }
    case Intrinsic::kScopeName: return Value::String(b.ScopeOf(s).name);
    case Intrinsic::kScopeVersion: return Value::String(b.ScopeOf(s).version);
  }
  return Value::Missing();
}

}  // namespace rubato::query::traceql
