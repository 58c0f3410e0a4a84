// The canonical text of a TraceQL tree (see ToString in ast.h): the expected
// ASTs of the conformance files, and what the fuzzer re-parses.
#include "query/traceql/ast.h"

#include "query/traceql/literal.h"

namespace rubato::query::traceql {
namespace {

void Print(const FieldExpr& e, std::string* out);
void Print(const Pipeline& p, std::string* out);

void PrintAttribute(const Attribute& a, std::string* out) {
  if (a.parent) *out += "parent.";
  switch (a.scope) {
    case AttributeScope::kUnscoped: *out += a.parent ? "" : "."; break;
    case AttributeScope::kSpan: *out += "span."; break;
    case AttributeScope::kResource: *out += "resource."; break;
    case AttributeScope::kEvent: *out += "event."; break;
    case AttributeScope::kLink: *out += "link."; break;
    case AttributeScope::kInstrumentation: *out += "instrumentation."; break;
  }
  *out += FormatAttributeName(a.name);
}

void Print(const FieldExpr& e, std::string* out) {
  switch (e.kind) {
    case FieldExpr::Kind::kStatic: *out += ToString(e.value); return;
    case FieldExpr::Kind::kAttribute: PrintAttribute(e.attribute, out); return;
    case FieldExpr::Kind::kIntrinsic: *out += Name(e.intrinsic); return;
    case FieldExpr::Kind::kUnary:
      // The parser folds `-` into numeric literals, so `-` never precedes a
      // negative number here and no two characters fuse into another token.
      *out += e.unary == UnaryOp::kNot ? "!" : "-";
      Print(*e.lhs, out);
      return;
    case FieldExpr::Kind::kBinary:
      *out += "(";
      Print(*e.lhs, out);
      *out += " ";
      *out += Name(e.binary);
      *out += " ";
      Print(*e.rhs, out);
      *out += ")";
      return;
  }
}

void Print(const SpansetExpr& e, std::string* out) {
  switch (e.kind) {
    case SpansetExpr::Kind::kFilter: {
      if (e.negated) *out += "!";
      const FieldExpr* f = e.filter.get();
      // `!{ x }` keeps its inner expression under a kNot node; print `x`.
      if (e.negated && f && f->kind == FieldExpr::Kind::kUnary && f->unary == UnaryOp::kNot) f = f->lhs.get();
      if (!f) {
        *out += "{ }";
        return;
      }
      *out += "{ ";
      Print(*f, out);
      *out += " }";
      return;
    }
    case SpansetExpr::Kind::kBinary:
      *out += "(";
      Print(*e.lhs, out);
      *out += " ";
      *out += Name(e.op);
      *out += " ";
      Print(*e.rhs, out);
      *out += ")";
      return;
    case SpansetExpr::Kind::kPipeline:
      *out += "(";
      Print(*e.pipeline, out);
      *out += ")";
      return;
  }
}

void Print(const ScalarExpr& e, std::string* out) {
  switch (e.kind) {
    case ScalarExpr::Kind::kStatic: *out += ToString(e.value); return;
    case ScalarExpr::Kind::kAggregate:
      *out += Name(e.aggregate);
      *out += "(";
      if (e.argument) Print(*e.argument, out);
      *out += ")";
      return;
    case ScalarExpr::Kind::kBinary:
      *out += "(";
      Print(*e.lhs, out);
      *out += " ";
      *out += Name(e.binary);
      *out += " ";
      Print(*e.rhs, out);
      *out += ")";
      return;
  }
}

void PrintFields(const char* fn, const Stage& s, std::string* out) {
  *out += fn;
  *out += "(";
  for (size_t i = 0; i < s.fields.size(); ++i) {
    if (i) *out += ", ";
    Print(*s.fields[i], out);
  }
  *out += ")";
}

void Print(const Stage& s, std::string* out) {
  switch (s.kind) {
    case Stage::Kind::kSpanset: Print(*s.spanset, out); return;
    case Stage::Kind::kScalarFilter:
      Print(*s.lhs, out);
      *out += " ";
      *out += Name(s.comparison);
      *out += " ";
      Print(*s.rhs, out);
      return;
    case Stage::Kind::kBy: PrintFields("by", s, out); return;
    case Stage::Kind::kCoalesce: *out += "coalesce()"; return;
    case Stage::Kind::kSelect: PrintFields("select", s, out); return;
  }
}

void Print(const Pipeline& p, std::string* out) {
  for (size_t i = 0; i < p.stages.size(); ++i) {
    if (i) *out += " | ";
    Print(p.stages[i], out);
  }
}

}  // namespace

std::string ToString(const Static& v) {
  switch (v.type) {
    case ValueType::kNil: return "nil";
    case ValueType::kString: return QuoteString(v.str);
    case ValueType::kInt: return std::to_string(v.integer);
    case ValueType::kFloat: return FormatFloat(v.dbl);
    case ValueType::kBool: return v.boolean ? "true" : "false";
    case ValueType::kDuration: return FormatDuration(v.integer);
    case ValueType::kStatus:
      switch (static_cast<StatusValue>(v.integer)) {
        case StatusValue::kUnset: return "unset";
        case StatusValue::kOk: return "ok";
        case StatusValue::kError: return "error";
      }
      return "status(" + std::to_string(v.integer) + ")";
    case ValueType::kKind:
      switch (static_cast<KindValue>(v.integer)) {
        case KindValue::kUnspecified: return "unspecified";
        case KindValue::kInternal: return "internal";
        case KindValue::kServer: return "server";
        case KindValue::kClient: return "client";
        case KindValue::kProducer: return "producer";
        case KindValue::kConsumer: return "consumer";
      }
      return "kind(" + std::to_string(v.integer) + ")";
    case ValueType::kAttribute:
    case ValueType::kSpanset: break;
  }
  return "?";
}

std::string ToString(const FieldExpr& e) {
  std::string out;
  Print(e, &out);
  return out;
}

std::string ToString(const Query& q) {
  std::string out;
  if (q.pipeline) Print(*q.pipeline, &out);
  if (!q.hints.empty()) {
    out += " with(";
    for (size_t i = 0; i < q.hints.size(); ++i) {
      if (i) out += ", ";
      out += q.hints[i].name;
      out += "=";
      out += ToString(q.hints[i].value);
    }
    out += ")";
  }
  return out;
}

const char* Name(ValueType t) {
  switch (t) {
    case ValueType::kNil: return "nil";
    case ValueType::kString: return "string";
    case ValueType::kInt: return "int";
    case ValueType::kFloat: return "float";
    case ValueType::kBool: return "bool";
    case ValueType::kDuration: return "duration";
    case ValueType::kStatus: return "status";
    case ValueType::kKind: return "kind";
    case ValueType::kAttribute: return "attribute";
    case ValueType::kSpanset: return "spanset";
  }
  return "?";
}

const char* Name(Intrinsic i) {
  switch (i) {
    case Intrinsic::kSpanName: return "span:name";
    case Intrinsic::kSpanKind: return "span:kind";
    case Intrinsic::kSpanStatus: return "span:status";
    case Intrinsic::kSpanStatusMessage: return "span:statusMessage";
    case Intrinsic::kSpanDuration: return "span:duration";
    case Intrinsic::kSpanId: return "span:id";
    case Intrinsic::kSpanParentId: return "span:parentID";
    case Intrinsic::kSpanChildCount: return "span:childCount";
    case Intrinsic::kTraceDuration: return "trace:duration";
    case Intrinsic::kTraceRootName: return "trace:rootName";
    case Intrinsic::kTraceRootService: return "trace:rootService";
    case Intrinsic::kTraceId: return "trace:id";
    case Intrinsic::kEventName: return "event:name";
    case Intrinsic::kEventTimeSinceStart: return "event:timeSinceStart";
    case Intrinsic::kLinkTraceId: return "link:traceID";
    case Intrinsic::kLinkSpanId: return "link:spanID";
    case Intrinsic::kScopeName: return "instrumentation:name";
    case Intrinsic::kScopeVersion: return "instrumentation:version";
  }
  return "?";
}

BinaryOp Mirror(BinaryOp op) {
  switch (op) {
    case BinaryOp::kGt: return BinaryOp::kLt;
    case BinaryOp::kGte: return BinaryOp::kLte;
    case BinaryOp::kLt: return BinaryOp::kGt;
    case BinaryOp::kLte: return BinaryOp::kGte;
    default: return op;
  }
}

const char* Name(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq: return "=";
    case BinaryOp::kNeq: return "!=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGte: return ">=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLte: return "<=";
    case BinaryOp::kRegex: return "=~";
    case BinaryOp::kNotRegex: return "!~";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kPow: return "^";
    case BinaryOp::kAnd: return "&&";
    case BinaryOp::kOr: return "||";
  }
  return "?";
}

const char* Name(SpansetOp op) {
  switch (op) {
    case SpansetOp::kAnd: return "&&";
    case SpansetOp::kOr: return "||";
    case SpansetOp::kChild: return ">";
    case SpansetOp::kParent: return "<";
    case SpansetOp::kDescendant: return ">>";
    case SpansetOp::kAncestor: return "<<";
    case SpansetOp::kSibling: return "~";
    case SpansetOp::kNotChild: return "!>";
    case SpansetOp::kNotParent: return "!<";
    case SpansetOp::kNotDescendant: return "!>>";
    case SpansetOp::kNotAncestor: return "!<<";
    case SpansetOp::kNotSibling: return "!~";
    case SpansetOp::kUnionChild: return "&>";
    case SpansetOp::kUnionParent: return "&<";
    case SpansetOp::kUnionDescendant: return "&>>";
    case SpansetOp::kUnionAncestor: return "&<<";
    case SpansetOp::kUnionSibling: return "&~";
  }
  return "?";
}

const char* Name(AggregateOp op) {
  switch (op) {
    case AggregateOp::kCount: return "count";
    case AggregateOp::kAvg: return "avg";
    case AggregateOp::kMin: return "min";
    case AggregateOp::kMax: return "max";
    case AggregateOp::kSum: return "sum";
  }
  return "?";
}

}  // namespace rubato::query::traceql
