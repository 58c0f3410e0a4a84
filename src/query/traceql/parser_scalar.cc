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

struct ScalarOpInfo {
  BinaryOp op;
  int prec;
  bool right = false;
};

bool ArithmeticOf(Tok t, ScalarOpInfo* out) {
  switch (t) {
    case Tok::kAdd: *out = {BinaryOp::kAdd, 3}; return true;
    case Tok::kSub: *out = {BinaryOp::kSub, 3}; return true;
    case Tok::kMul: *out = {BinaryOp::kMul, 5}; return true;
    case Tok::kDiv: *out = {BinaryOp::kDiv, 5}; return true;
    case Tok::kMod: *out = {BinaryOp::kMod, 5}; return true;
    case Tok::kPow: *out = {BinaryOp::kPow, 6, true}; return true;
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

std::unique_ptr<ScalarExpr> Parser::ParseScalar(int min_prec, const Token* after) {
  Nest nest(this);
  if (!Deeper()) return nullptr;
  auto lhs = ParseScalarPrimary(after);
  if (!lhs) return nullptr;
  ScalarOpInfo info;
  while (ArithmeticOf(Peek().kind, &info) && info.prec >= min_prec) {
    const Token& op = Take();
    if (!Deeper()) return nullptr;
    auto rhs = ParseScalar(info.right ? info.prec : info.prec + 1, &op);
    if (!rhs) return nullptr;
    auto b = std::make_unique<ScalarExpr>();
    b->kind = ScalarExpr::Kind::kBinary;
    b->pos = lhs->pos;
    b->binary = info.op;
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    lhs = std::move(b);
  }
  return lhs;
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
