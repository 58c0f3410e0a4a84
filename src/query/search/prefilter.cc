// TraceQL → the row-group prefilter. Each spanset expression becomes a node
// yielding, per trace, a superset of the spans the evaluator would yield
// (evaluate.cc): filters become predicates on the columns, `&&` inside a
// filter an intersection, `||` a union, spanset `&&` and the structural
// operators the store's trace-level nodes, `count() > n` a minimum count.
// Negations, nil checks, arithmetic, parent., event., link. and
// instrumentation. give no condition. Every test is the evaluator's own
// comparison (CompareValues) on the value the column holds, so the two agree
// on types, coercions and missing values.
#include "query/search/prefilter.h"

#include <utility>

#include <cmath>
#include <string>

#include "query/traceql/field_value.h"

namespace rubato::query::search {
namespace {

using store::block::SpanField;
using store::block::SpanPredicate;
using store::block::SpansetFilter;
using store::block::ValueTest;
using traceql::BinaryOp;
using traceql::FieldExpr;
using traceql::Value;
using Kind = SpansetFilter::Kind;

SpansetFilter Everything() { return SpansetFilter::Spans({}); }
SpansetFilter Nothing() { return SpansetFilter::Node(Kind::kUnion, {}); }

bool IsComparison(BinaryOp op) { return op <= BinaryOp::kNotRegex; }

// The ints `v op literal` admits, as [lo, hi], when the literal is an int
// or a duration (ints and durations compare as numbers, durations in ns);
// nullopt for other literals and for `!=` and the regex operators.
std::optional<std::pair<int64_t, int64_t>> IntegerRange(BinaryOp op, const traceql::Static& literal) {
  if (literal.type != traceql::ValueType::kInt && literal.type != traceql::ValueType::kDuration) return std::nullopt;
  const int64_t c = literal.integer;
  constexpr int64_t kMin = INT64_MIN, kMax = INT64_MAX;
  switch (op) {
    case BinaryOp::kEq: return std::pair{c, c};
    case BinaryOp::kGt: return c == kMax ? std::pair{kMax, kMin} : std::pair{c + 1, kMax};  // empty when c is the max
    case BinaryOp::kGte: return std::pair{c, kMax};
    case BinaryOp::kLt: return c == kMin ? std::pair{kMax, kMin} : std::pair{kMin, c - 1};
    case BinaryOp::kLte: return std::pair{kMin, c};
    default: return std::nullopt;
  }
}

// The column a field reads, if the scanner has it, and how the evaluator
// types that column's integers.
struct Field {
  SpanField field;
  std::string key;
  Value (*integer)(int64_t);  // Value::Int, Duration, Status or Kind
  bool trace_level = false;
};

std::optional<Field> FieldOf(const FieldExpr& e) {
  using traceql::AttributeScope;
  using traceql::Intrinsic;
  if (e.kind == FieldExpr::Kind::kAttribute) {
    const traceql::Attribute& a = e.attribute;
    if (a.parent) return std::nullopt;
    switch (a.scope) {
      case AttributeScope::kSpan: return Field{SpanField::kSpanAttribute, a.name, &Value::Int};
      case AttributeScope::kResource: return Field{SpanField::kResourceAttribute, a.name, &Value::Int};
      case AttributeScope::kUnscoped: return Field{SpanField::kAttribute, a.name, &Value::Int};
      default: return std::nullopt;  // event., link., instrumentation.
    }
  }
  if (e.kind != FieldExpr::Kind::kIntrinsic) return std::nullopt;
  switch (e.intrinsic) {
    case Intrinsic::kSpanName: return Field{SpanField::kName, "", &Value::Int};
    case Intrinsic::kSpanKind: return Field{SpanField::kKind, "", &Value::Kind};
    case Intrinsic::kSpanStatus: return Field{SpanField::kStatus, "", &Value::Status};
    case Intrinsic::kSpanStatusMessage: return Field{SpanField::kStatusMessage, "", &Value::Int};
    case Intrinsic::kSpanDuration: return Field{SpanField::kDuration, "", &Value::Duration};
    case Intrinsic::kScopeName: return Field{SpanField::kScopeName, "", &Value::Int};
    case Intrinsic::kScopeVersion: return Field{SpanField::kScopeVersion, "", &Value::Int};
    case Intrinsic::kTraceRootName: return Field{SpanField::kTraceRootName, "", &Value::Int, true};
    case Intrinsic::kTraceRootService: return Field{SpanField::kTraceRootService, "", &Value::Int, true};
    case Intrinsic::kTraceDuration: return Field{SpanField::kTraceDuration, "", &Value::Duration, true};
    default: return std::nullopt;  // IDs, child count, events, links
  }
}

bool IsNil(const FieldExpr& e) { return e.kind == FieldExpr::Kind::kStatic && e.value.type == traceql::ValueType::kNil; }

class Translator {
 public:
  Translator(const traceql::Plan& plan, PrefilterOptions options) : plan_(plan), options_(options) {}

  SpansetFilter Pipeline(const traceql::Pipeline& p) {
    SpansetFilter cur = Everything();
    for (size_t i = 0; i < p.stages.size(); ++i) {
      const traceql::Stage& s = p.stages[i];
      if (s.kind == traceql::Stage::Kind::kSpanset && s.spanset) {
        // A later stage filters the spans the earlier ones kept.
        cur = i == 0 ? Spanset(*s.spanset) : Intersect(std::move(cur), Spanset(*s.spanset));
      } else if (s.kind == traceql::Stage::Kind::kScalarFilter) {
        cur = MinCount(s, std::move(cur));
      }
      // by(), coalesce() and select() regroup or annotate the same spans.
    }
    return cur;
  }

 private:
  SpansetFilter Spanset(const traceql::SpansetExpr& e) {
    using traceql::SpansetOp;
    switch (e.kind) {
      case traceql::SpansetExpr::Kind::kFilter:
        // `!{ x }` keeps the input when no span satisfies x: no condition.
        if (e.negated || !e.filter) return Everything();
        return Filter(*e.filter);
      case traceql::SpansetExpr::Kind::kPipeline: return Pipeline(*e.pipeline);
      case traceql::SpansetExpr::Kind::kBinary: break;
    }
    Kind kind = Kind::kAnd;
    bool with_lhs = false;
    switch (e.op) {
      case SpansetOp::kAnd: kind = Kind::kAnd; break;
      case SpansetOp::kOr: return Union(Spanset(*e.lhs), Spanset(*e.rhs));
      case SpansetOp::kUnionChild: with_lhs = true; [[fallthrough]];
      case SpansetOp::kChild: kind = Kind::kChild; break;
      case SpansetOp::kUnionParent: with_lhs = true; [[fallthrough]];
      case SpansetOp::kParent: kind = Kind::kParent; break;
      case SpansetOp::kUnionDescendant: with_lhs = true; [[fallthrough]];
      case SpansetOp::kDescendant: kind = Kind::kDescendant; break;
      case SpansetOp::kUnionAncestor: with_lhs = true; [[fallthrough]];
      case SpansetOp::kAncestor: kind = Kind::kAncestor; break;
      case SpansetOp::kUnionSibling: with_lhs = true; [[fallthrough]];
      case SpansetOp::kSibling: kind = Kind::kSibling; break;
      default: return Spanset(*e.rhs);  // the negated forms yield rhs spans (all of them when lhs is empty)
    }
    SpansetFilter lhs = Spanset(*e.lhs), rhs = Spanset(*e.rhs);
    // Split traces: the other side may be in another block; either side's spans make a candidate.
    if (!options_.whole_traces) return Union(std::move(lhs), std::move(rhs));
    std::vector<SpansetFilter> kids;
    kids.push_back(std::move(lhs));
    kids.push_back(std::move(rhs));
    SpansetFilter node = SpansetFilter::Node(kind, std::move(kids));
    node.with_lhs = with_lhs;
    return node;
  }

  // `{ e }`: the spans for which e holds.
  SpansetFilter Filter(const FieldExpr& e) {
    switch (e.kind) {
      case FieldExpr::Kind::kStatic: return traceql::Truth(traceql::FromStatic(e.value)) ? Everything() : Nothing();
      case FieldExpr::Kind::kAttribute: return Bare(e);
      case FieldExpr::Kind::kBinary:
        if (e.binary == BinaryOp::kAnd) return Intersect(Filter(*e.lhs), Filter(*e.rhs));
        if (e.binary == BinaryOp::kOr) return Union(Filter(*e.lhs), Filter(*e.rhs));
        if (IsComparison(e.binary)) return Comparison(e);
        return Everything();  // arithmetic
      default: return Everything();  // `!x`, `-x`, a bare intrinsic
    }
  }

  // A bare attribute holds when it is a boolean true.
  SpansetFilter Bare(const FieldExpr& e) {
    auto f = FieldOf(e);
    if (!f) return Everything();
    ValueTest t;
    t.boolean = [](bool b) { return b; };
    return Predicate(*f, std::move(t));
  }

  SpansetFilter Comparison(const FieldExpr& e) {
    const FieldExpr* field = e.lhs.get();
    const FieldExpr* lit = e.rhs.get();
    BinaryOp op = e.binary;
    if (field->kind == FieldExpr::Kind::kStatic) {
      if (op == BinaryOp::kRegex || op == BinaryOp::kNotRegex) return Everything();
      std::swap(field, lit);
      op = traceql::Mirror(op);
    }
    if (lit->kind != FieldExpr::Kind::kStatic) return Everything();  // two fields, or arithmetic
    auto f = FieldOf(*field);
    if (!f) return Everything();
    if (IsNil(*lit)) {
      // `x != nil`: x is present (any value); `x = nil`: no condition.
      if (op != BinaryOp::kNeq || field->kind != FieldExpr::Kind::kAttribute) return Everything();
      ValueTest present;
      present.other_types = true;
      return Predicate(*f, std::move(present));
    }
    const Value literal = traceql::FromStatic(lit->value);  // views into the plan
    const re2::RE2* re = (op == BinaryOp::kRegex || op == BinaryOp::kNotRegex) ? plan_.regex(&e) : nullptr;
    ValueTest t;
    t.string = [op, literal, re](std::string_view s) { return traceql::CompareValues(op, Value::String(s), literal, re); };
    if (op == BinaryOp::kEq && literal.kind == traceql::VKind::kString) {
      // Only an equal string passes: no other type ever equals a string.
      t.string_equals = std::string(literal.str());
      return Predicate(*f, std::move(t));
    }
    Value (*as_int)(int64_t) = f->integer;
    t.integer = [op, literal, as_int](int64_t v) { return traceql::CompareValues(op, as_int(v), literal, nullptr); };
    if (as_int == &Value::Int || as_int == &Value::Duration) t.integer_between = IntegerRange(op, lit->value);
    t.real = [op, literal](double v) { return traceql::CompareValues(op, Value::Float(v), literal, nullptr); };
    t.boolean = [op, literal](bool v) { return traceql::CompareValues(op, Value::Bool(v), literal, nullptr); };
    return Predicate(*f, std::move(t));
  }

  SpansetFilter Predicate(const Field& f, ValueTest t) {
    // Split traces: the root or the rest of the trace may be elsewhere.
    if (f.trace_level && !options_.whole_traces) return Everything();
    return SpansetFilter::Spans({SpanPredicate{f.field, f.key, std::move(t)}});
  }

  // `… | count() > n` and its like: the spanset has at least that many spans.
  SpansetFilter MinCount(const traceql::Stage& s, SpansetFilter input) {
    using traceql::ScalarExpr;
    if (!options_.whole_traces || !s.lhs || !s.rhs) return input;
    const ScalarExpr* count = s.lhs.get();
    const ScalarExpr* lit = s.rhs.get();
    BinaryOp op = s.comparison;
    if (count->kind == ScalarExpr::Kind::kStatic) {
      std::swap(count, lit);
      op = traceql::Mirror(op);
    }
    bool is_count = count->kind == ScalarExpr::Kind::kAggregate && count->aggregate == traceql::AggregateOp::kCount;
    if (!is_count || lit->kind != ScalarExpr::Kind::kStatic) return input;
    double n;
    if (lit->value.type == traceql::ValueType::kInt) n = static_cast<double>(lit->value.integer);
    else if (lit->value.type == traceql::ValueType::kFloat) n = lit->value.dbl;
    else return input;
    double at_least;
    switch (op) {
      case BinaryOp::kGt: at_least = std::floor(n) + 1; break;
      case BinaryOp::kGte:
      case BinaryOp::kEq: at_least = std::ceil(n); break;
      default: return input;  // <, <=, != hold for small counts
    }
    if (!(at_least > 1)) return input;  // NaN, or at most one: any non-empty spanset
    SpansetFilter node = SpansetFilter::Node(Kind::kMinCount, {});
    node.children.push_back(std::move(input));
    node.count = at_least >= 4e9 ? 4'000'000'000u : static_cast<uint32_t>(at_least);
    return node;
  }

  static SpansetFilter Intersect(SpansetFilter a, SpansetFilter b) {
    if (a.MatchesEverything()) return b;
    if (b.MatchesEverything()) return a;
    if (a.kind == Kind::kSpans && b.kind == Kind::kSpans) {  // one leaf: all on the same span
      for (SpanPredicate& p : b.predicates) a.predicates.push_back(std::move(p));
      return a;
    }
    std::vector<SpansetFilter> kids;
    kids.push_back(std::move(a));
    kids.push_back(std::move(b));
    return SpansetFilter::Node(Kind::kIntersect, std::move(kids));
  }
  static SpansetFilter Union(SpansetFilter a, SpansetFilter b) {
    if (a.MatchesEverything()) return a;
    if (b.MatchesEverything()) return b;
    std::vector<SpansetFilter> kids;
    kids.push_back(std::move(a));
    kids.push_back(std::move(b));
    return SpansetFilter::Node(Kind::kUnion, std::move(kids));
  }

  const traceql::Plan& plan_;
  PrefilterOptions options_;
};

}  // namespace

std::optional<store::block::TraceFilter> BuildPrefilter(const traceql::Plan& plan, PrefilterOptions options) {
  const traceql::Query& q = plan.query();
  if (!q.pipeline) return std::nullopt;
  store::block::TraceFilter f;
  f.spans = Translator(plan, options).Pipeline(*q.pipeline);
  if (f.spans.MatchesEverything()) return std::nullopt;
  return f;
}

}  // namespace rubato::query::search
