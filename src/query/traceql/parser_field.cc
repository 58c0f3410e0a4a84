// Field expressions: what goes inside `{ … }`, by(), select() and aggregates.
#include "query/traceql/parser.h"

namespace rubato::query::traceql {
namespace {

struct FieldOpInfo {
  BinaryOp op;
  int prec;
  bool right = false;
};

// Tempo's levels: 1 && ||, 2 comparisons, 3 + -, (4 unary), 5 * / %, 6 ^.
bool FieldOpOf(Tok t, FieldOpInfo* out) {
  switch (t) {
    case Tok::kAnd: *out = {BinaryOp::kAnd, 1}; return true;
    case Tok::kOr: *out = {BinaryOp::kOr, 1}; return true;
    case Tok::kEq: *out = {BinaryOp::kEq, 2}; return true;
    case Tok::kNeq: *out = {BinaryOp::kNeq, 2}; return true;
    case Tok::kGt: *out = {BinaryOp::kGt, 2}; return true;
    case Tok::kGte: *out = {BinaryOp::kGte, 2}; return true;
    case Tok::kLt: *out = {BinaryOp::kLt, 2}; return true;
    case Tok::kLte: *out = {BinaryOp::kLte, 2}; return true;
    case Tok::kRegex: *out = {BinaryOp::kRegex, 2}; return true;
    case Tok::kNotRegex: *out = {BinaryOp::kNotRegex, 2}; return true;
    case Tok::kAdd: *out = {BinaryOp::kAdd, 3}; return true;
    case Tok::kSub: *out = {BinaryOp::kSub, 3}; return true;
    case Tok::kMul: *out = {BinaryOp::kMul, 5}; return true;
    case Tok::kDiv: *out = {BinaryOp::kDiv, 5}; return true;
    case Tok::kMod: *out = {BinaryOp::kMod, 5}; return true;
    case Tok::kPow: *out = {BinaryOp::kPow, 6, true}; return true;
    default: return false;
  }
}

// Unary `!` and `-` sit between `+ -` and `* / %` (Tempo's yacc levels), so
// `-a * b` is `-(a * b)` and `!a = b` is `(!a) = b`.
constexpr int kUnaryOperandPrec = 5;

}  // namespace

std::unique_ptr<FieldExpr> Parser::ParseField(int min_prec, const Token* after) {
  Nest nest(this);
  if (!Deeper()) return nullptr;
  auto lhs = ParseFieldUnary(after);
  if (!lhs) return nullptr;
  FieldOpInfo info;
  while (FieldOpOf(Peek().kind, &info) && info.prec >= min_prec) {
    const Token& op = Take();
    if (!Deeper()) return nullptr;
    auto rhs = ParseField(info.right ? info.prec : info.prec + 1, &op);
    if (!rhs) return nullptr;
    auto b = std::make_unique<FieldExpr>();
    b->kind = FieldExpr::Kind::kBinary;
    b->pos = lhs->pos;
    b->binary = info.op;
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    lhs = std::move(b);
  }
  return lhs;
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
