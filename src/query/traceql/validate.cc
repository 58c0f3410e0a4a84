// Validate: static types of a parsed query (docs/traceql.md, "Types and
// validation"). Attributes are typed only when read, so they are compatible
// with everything; literals and intrinsics have fixed types, and those are
// checked the way Tempo checks them: int, float and duration are all numbers
// and mutually comparable; strings, bools, statuses and kinds only compare
// with their own type; nil only with an attribute, by = or !=.
#include "query/traceql/lexer.h"
#include "query/traceql/parse.h"

namespace rubato::query::traceql {
namespace {

bool IsNumber(ValueType t) { return t == ValueType::kInt || t == ValueType::kFloat || t == ValueType::kDuration; }
bool IsAttr(ValueType t) { return t == ValueType::kAttribute; }
bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kEq || op == BinaryOp::kNeq || op == BinaryOp::kGt || op == BinaryOp::kGte ||
         op == BinaryOp::kLt || op == BinaryOp::kLte;
}
bool IsOrdering(BinaryOp op) { return IsComparison(op) && op != BinaryOp::kEq && op != BinaryOp::kNeq; }
bool IsArithmetic(BinaryOp op) {
  return op == BinaryOp::kAdd || op == BinaryOp::kSub || op == BinaryOp::kMul || op == BinaryOp::kDiv ||
         op == BinaryOp::kMod || op == BinaryOp::kPow;
}

ValueType TypeOf(Intrinsic i) {
  switch (i) {
    case Intrinsic::kSpanKind: return ValueType::kKind;
    case Intrinsic::kSpanStatus: return ValueType::kStatus;
    case Intrinsic::kSpanDuration:
    case Intrinsic::kTraceDuration:
    case Intrinsic::kEventTimeSinceStart: return ValueType::kDuration;
    case Intrinsic::kSpanChildCount: return ValueType::kInt;
    default: return ValueType::kString;  // names, messages, services, IDs, scope name and version
  }
}

// The type of arithmetic on two numbers or attributes: always a number (so
// `{ span.a + 1 }` is not a condition). A duration stays a duration; a float,
// or an attribute (an int or a float once read), makes a float.
ValueType ArithmeticType(ValueType l, ValueType r) {
  if (l == ValueType::kDuration || r == ValueType::kDuration) return ValueType::kDuration;
  if (IsAttr(l) || IsAttr(r)) return ValueType::kFloat;
  if (l == ValueType::kFloat || r == ValueType::kFloat) return ValueType::kFloat;
  return ValueType::kInt;
}

Status Error(Pos p, const std::string& msg) { return Status::InvalidArgument(Where(p) + msg); }

class Validator {
 public:
  Status Query(traceql::Query* q) {
    if (!q->pipeline) return Error(Pos{}, "empty query");
    Status s = Pipeline(q->pipeline.get());
    if (!s.ok()) return s;
    for (const Hint& h : q->hints) {
      if (h.name == "most_recent" && h.value.type != ValueType::kBool)
        return Error(h.pos, "hint most_recent must be true or false, found " + std::string(Name(h.value.type)));
    }
    return Status::Ok();
  }

 private:
  Status Pipeline(traceql::Pipeline* p) {
    for (Stage& s : p->stages) {
      Status st = StageOf(&s);
      if (!st.ok()) return st;
    }
    return Status::Ok();
  }

  Status StageOf(Stage* s) {
    switch (s->kind) {
      case Stage::Kind::kSpanset: return Spanset(s->spanset.get());
      case Stage::Kind::kScalarFilter: return ScalarFilter(s);
      case Stage::Kind::kCoalesce: return Status::Ok();
      case Stage::Kind::kBy:
      case Stage::Kind::kSelect:
        for (auto& f : s->fields) {
          if (s->kind == Stage::Kind::kSelect && f->kind != FieldExpr::Kind::kAttribute &&
              f->kind != FieldExpr::Kind::kIntrinsic)
            return Error(f->pos, "select() takes attributes and intrinsics only");
          Status st = Field(f.get());
          if (!st.ok()) return st;
        }
        return Status::Ok();
    }
    return Status::Ok();
  }

  Status Spanset(SpansetExpr* e) {
    switch (e->kind) {
      case SpansetExpr::Kind::kFilter: return Filter(e);
      case SpansetExpr::Kind::kBinary: {
        Status s = Spanset(e->lhs.get());
        return s.ok() ? Spanset(e->rhs.get()) : s;
      }
      case SpansetExpr::Kind::kPipeline: return Pipeline(e->pipeline.get());
    }
    return Status::Ok();
  }

  Status Filter(SpansetExpr* e) {
    FieldExpr* cond = e->filter.get();
    if (!cond) return Status::Ok();
    // `!{ x }` is a kNot around x: x must be a condition in its own right.
    if (e->negated && cond->kind == FieldExpr::Kind::kUnary && cond->unary == UnaryOp::kNot) cond = cond->lhs.get();
    Status s = Field(cond);
    if (!s.ok()) return s;
    if (cond->type != ValueType::kBool && !IsAttr(cond->type))
      return Error(cond->pos, "a spanset filter needs a condition, found " + std::string(Name(cond->type)));
    if (cond != e->filter.get()) e->filter->type = ValueType::kBool;
    return Status::Ok();
  }

  Status Field(FieldExpr* e) {
    switch (e->kind) {
      case FieldExpr::Kind::kStatic: e->type = e->value.type; return Status::Ok();
      case FieldExpr::Kind::kAttribute: e->type = ValueType::kAttribute; return Status::Ok();
      case FieldExpr::Kind::kIntrinsic: e->type = TypeOf(e->intrinsic); return Status::Ok();
      case FieldExpr::Kind::kUnary: return Unary(e);
      case FieldExpr::Kind::kBinary: return Binary(e);
    }
    return Status::Ok();
  }

  Status Unary(FieldExpr* e) {
    Status s = Field(e->lhs.get());
    if (!s.ok()) return s;
    ValueType t = e->lhs->type;
    if (e->unary == UnaryOp::kNot) {
      if (t != ValueType::kBool && !IsAttr(t))
        return Error(e->lhs->pos, "operator ! needs a boolean, found " + std::string(Name(t)));
      e->type = ValueType::kBool;
      return Status::Ok();
    }
    if (!IsNumber(t) && !IsAttr(t)) return Error(e->lhs->pos, "unary - needs a number, found " + std::string(Name(t)));
    e->type = IsAttr(t) ? ValueType::kFloat : t;
    return Status::Ok();
  }

  Status Binary(FieldExpr* e) {
    Status s = Field(e->lhs.get());
    if (s.ok()) s = Field(e->rhs.get());
    if (!s.ok()) return s;
    const FieldExpr& l = *e->lhs;
    const FieldExpr& r = *e->rhs;
    std::string op = Name(e->binary);
    if (e->binary == BinaryOp::kAnd || e->binary == BinaryOp::kOr) {
      for (const FieldExpr* side : {&l, &r}) {
        if (side->type != ValueType::kBool && !IsAttr(side->type))
          return Error(side->pos, "operator " + op + " needs booleans, found " + Name(side->type));
      }
      e->type = ValueType::kBool;
      return Status::Ok();
    }
    if (IsArithmetic(e->binary)) {
      for (const FieldExpr* side : {&l, &r}) {
        if (!IsNumber(side->type) && !IsAttr(side->type))
          return Error(side->pos, "operator " + op + " needs numbers, found " + Name(side->type));
      }
      e->type = ArithmeticType(l.type, r.type);
      return Status::Ok();
    }
    e->type = ValueType::kBool;
    if (e->binary == BinaryOp::kRegex || e->binary == BinaryOp::kNotRegex) {
      if (l.type != ValueType::kString && !IsAttr(l.type))
        return Error(l.pos, "operator " + op + " needs a string on its left, found " + Name(l.type));
      if (r.kind != FieldExpr::Kind::kStatic || r.value.type != ValueType::kString)
        return Error(r.pos, "the right side of " + op + " must be a string literal (a regular expression)");
      return Status::Ok();
    }
    return Comparison(e);
  }

  Status Comparison(FieldExpr* e) {
    ValueType l = e->lhs->type, r = e->rhs->type;
    std::string op = Name(e->binary);
    if (l == ValueType::kNil || r == ValueType::kNil) {
      bool ok = (IsAttr(l) || IsAttr(r)) && !IsOrdering(e->binary);
      if (!ok) return Error(e->pos, "nil can only be compared with an attribute, by = or !=");
      return Status::Ok();
    }
    bool compatible = IsAttr(l) || IsAttr(r) || l == r || (IsNumber(l) && IsNumber(r));
    if (!compatible) return Error(e->pos, "cannot compare " + std::string(Name(l)) + " with " + Name(r));
    if (IsOrdering(e->binary)) {
      for (ValueType t : {l, r}) {
        if (t == ValueType::kBool || t == ValueType::kStatus || t == ValueType::kKind)
          return Error(e->pos, "operator " + op + " is not defined for " + Name(t) + " values");
      }
    }
    return Status::Ok();
  }

  Status ScalarFilter(Stage* s) {
    Status st = Scalar(s->lhs.get());
    if (st.ok()) st = Scalar(s->rhs.get());
    if (!st.ok()) return st;
    ValueType l = s->lhs->type, r = s->rhs->type;
    if (!IsNumber(l) || !IsNumber(r))
      return Error(s->lhs->pos, "cannot compare " + std::string(Name(l)) + " with " + Name(r));
    return Status::Ok();
  }

  Status Scalar(ScalarExpr* e) {
    switch (e->kind) {
      case ScalarExpr::Kind::kStatic: e->type = e->value.type; return Status::Ok();
      case ScalarExpr::Kind::kAggregate: return Aggregate(e);
      case ScalarExpr::Kind::kBinary: {
        Status s = Scalar(e->lhs.get());
        if (s.ok()) s = Scalar(e->rhs.get());
        if (!s.ok()) return s;
        for (const ScalarExpr* side : {e->lhs.get(), e->rhs.get()}) {
          if (!IsNumber(side->type))
            return Error(side->pos, "operator " + std::string(Name(e->binary)) + " needs numbers, found " +
                                        Name(side->type));
        }
        e->type = ArithmeticType(e->lhs->type, e->rhs->type);
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  // count() is an int; min, max and sum keep their argument's type (an
  // attribute's is read as a float); avg is a float unless of durations.
  Status Aggregate(ScalarExpr* e) {
    if (e->aggregate == AggregateOp::kCount) {
      e->type = ValueType::kInt;
      return Status::Ok();
    }
    Status s = Field(e->argument.get());
    if (!s.ok()) return s;
    ValueType t = e->argument->type;
    if (!IsNumber(t) && !IsAttr(t))
      return Error(e->argument->pos, std::string(Name(e->aggregate)) + "() needs a number, found " + Name(t));
    if (IsAttr(t)) t = ValueType::kFloat;
    if (e->aggregate == AggregateOp::kAvg && t == ValueType::kInt) t = ValueType::kFloat;
    e->type = t;
    return Status::Ok();
  }
};

}  // namespace

Status Validate(Query* q) { return Validator().Query(q); }

}  // namespace rubato::query::traceql
