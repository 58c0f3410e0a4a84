// Field expressions: what goes inside `{ … }`, by(), select() and aggregates.
#include "query/traceql/parser.h"

namespace rubato::query::traceql {
namespace {

// Unary `!` and `-` sit between `+ -` and `* / %` (Tempo's yacc levels), so
// `-a * b` is `-(a * b)` and `!a = b` is `(!a) = b`.
constexpr int kUnaryOperandPrec = 5;

}  // namespace

std::unique_ptr<FieldExpr> Parser::ParseField(int min_prec, const Token* after) {
  return Climb<FieldExpr>(min_prec, 1, &Parser::ParseFieldUnary, &Parser::ParseField, after);
}

std::unique_ptr<FieldExpr> Parser::ParseFieldUnary(const Token* after) {
  Tok k = Peek().kind;
  if (k != Tok::kNot && k != Tok::kSub) return ParseFieldPrimary(after);
  Nest nest(this);
  if (!Deeper()) return nullptr;
  const Token& op = Take();
  auto operand = ParseField(kUnaryOperandPrec, &op);
  if (!operand) return nullptr;
  // `-5`, `-1.5`, `-10ms` are literals, so the evaluator and the canonical
  // text see one negative number.
  if (k == Tok::kSub && operand->kind == FieldExpr::Kind::kStatic && NegateLiteral(&operand->value)) {
    operand->pos = op.pos;
    return operand;
  }
  auto u = std::make_unique<FieldExpr>();
  u->kind = FieldExpr::Kind::kUnary;
  u->pos = op.pos;
  u->unary = k == Tok::kNot ? UnaryOp::kNot : UnaryOp::kNeg;
  u->lhs = std::move(operand);
  return u;
}

std::unique_ptr<FieldExpr> Parser::ParseFieldPrimary(const Token* after) {
  const Token& t = Peek();
  auto e = std::make_unique<FieldExpr>();
  e->pos = t.pos;
  switch (t.kind) {
    case Tok::kStatic:
      e->kind = FieldExpr::Kind::kStatic;
      e->value = Take().value;
      return e;
    case Tok::kAttribute:
      e->kind = FieldExpr::Kind::kAttribute;
      e->attribute = Take().attribute;
      return e;
    case Tok::kIntrinsic:
      e->kind = FieldExpr::Kind::kIntrinsic;
      e->intrinsic = Take().intrinsic;
      return e;
    case Tok::kLParen: {
      Nest nest(this);
      if (!Deeper()) return nullptr;
      Take();
      auto inner = ParseField(1, nullptr);
      if (!inner) return nullptr;
      if (Peek().kind != Tok::kRParen) return Expected("an operator or \")\"", nullptr);
      Take();
      return inner;
    }
    case Tok::kWord:
      return Fail(t.pos, "unknown name \"" + std::string(t.text) + "\" (attributes need a scope: ." +
                             std::string(t.text) + " or span." + std::string(t.text) + ")");
    default:
      return after ? Expected("a value", after) : Expected("a field expression", nullptr);
  }
}

}  // namespace rubato::query::traceql
