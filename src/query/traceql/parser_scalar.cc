// Scalar filters in a pipeline: `count() > 2`, `avg(duration) * 2 >= 1s`.
#include "query/traceql/parser.h"

namespace rubato::query::traceql {
namespace {

bool ComparisonOf(Tok t, BinaryOp* op) {
  switch (t) {
    case Tok::kEq: *op = BinaryOp::kEq; return true;
    case Tok::kNeq: *op = BinaryOp::kNeq; return true;
    case Tok::kGt: *op = BinaryOp::kGt; return true;
    case Tok::kGte: *op = BinaryOp::kGte; return true;
    case Tok::kLt: *op = BinaryOp::kLt; return true;
    case Tok::kLte: *op = BinaryOp::kLte; return true;
    default: return false;
  }
}

bool AggregateOf(const Token& t, AggregateOp* op) {
  if (t.kind != Tok::kWord) return false;
  static constexpr struct {
    const char* word;
    AggregateOp op;
  } kAggregates[] = {{"count", AggregateOp::kCount}, {"avg", AggregateOp::kAvg}, {"min", AggregateOp::kMin},
                     {"max", AggregateOp::kMax},     {"sum", AggregateOp::kSum}};
  for (const auto& a : kAggregates) {
    if (t.text == a.word) {
      *op = a.op;
      return true;
    }
  }
  return false;
}

}  // namespace

bool Parser::ParseScalarFilter(Stage* stage) {
  stage->lhs = ParseScalar(1, nullptr);
  if (!stage->lhs) return false;
  if (!ComparisonOf(Peek().kind, &stage->comparison)) {
    Expected("a comparison (=, !=, <, <=, >, >=)", nullptr);
    return false;
  }
  const Token& op = Take();
  stage->rhs = ParseScalar(1, &op);
  return stage->rhs != nullptr;
}

// Arithmetic only (levels 3 and up): comparisons end a scalar expression.
std::unique_ptr<ScalarExpr> Parser::ParseScalar(int min_prec, const Token* after) {
  return Climb<ScalarExpr>(min_prec, 3, &Parser::ParseScalarPrimary, &Parser::ParseScalar, after);
}

std::unique_ptr<ScalarExpr> Parser::ParseScalarPrimary(const Token* after) {
  const Token& t = Peek();
  AggregateOp agg;
  if (AggregateOf(t, &agg) && Peek(1).kind == Tok::kLParen) return ParseAggregate(agg);
  if (t.kind == Tok::kStatic || (t.kind == Tok::kSub && Peek(1).kind == Tok::kStatic)) {
    auto e = std::make_unique<ScalarExpr>();
    e->kind = ScalarExpr::Kind::kStatic;
    e->pos = t.pos;
    bool negative = t.kind == Tok::kSub;
    if (negative) Take();
    e->value = Take().value;
    if (negative && !NegateLiteral(&e->value)) return Fail(t.pos, "\"-\" needs a number");
    return e;
  }
  if (t.kind == Tok::kLParen) {
    Nest nest(this);
    if (!Deeper()) return nullptr;
    Take();
    auto inner = ParseScalar(1, nullptr);
    if (!inner) return nullptr;
    if (Peek().kind != Tok::kRParen) return Expected("an operator or \")\"", nullptr);
    Take();
    return inner;
  }
  return Expected("an aggregate or a number", after);
}

std::unique_ptr<ScalarExpr> Parser::ParseAggregate(AggregateOp op) {
  auto e = std::make_unique<ScalarExpr>();
  e->kind = ScalarExpr::Kind::kAggregate;
  e->pos = Peek().pos;
  e->aggregate = op;
  Take();
  Take();  // (
  if (op == AggregateOp::kCount) {
    if (Peek().kind != Tok::kRParen) return Fail(Peek().pos, "count() takes no argument, found " + Describe(Peek()));
    Take();
    return e;
  }
  if (Peek().kind == Tok::kRParen) return Fail(Peek().pos, std::string(Name(op)) + "() needs a field, as in " + Name(op) + "(span:duration)");
  e->argument = ParseField(1, nullptr);
  if (!e->argument) return nullptr;
  if (Peek().kind != Tok::kRParen) return Expected("an operator or \")\"", nullptr);
  Take();
  return e;
}

}  // namespace rubato::query::traceql
