// The TraceQL parser's internals (Parse in parse.h is the interface): a
// recursive-descent parser with precedence climbing over the lexer's tokens.
// Precedence, lowest first, as in Tempo's grammar: `|`; `&&` `||`; the
// comparisons and the structural spanset operators; `+` `-`; unary `!` and
// `-`; `*` `/` `%`; `^` (right-associative). Everything else is
// left-associative. Split over parser.cc (pipelines, stages, hints),
// parser_field.cc (field expressions) and parser_scalar.cc (aggregates).
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "query/traceql/ast.h"
#include "query/traceql/lexer.h"
#include "status/status.h"

namespace rubato::query::traceql {

inline constexpr size_t kMaxQueryBytes = 128 * 1024;
// Two limits. The tree may be at most kMaxNesting nodes deep (checked after
// parsing, so validation, printing and destruction recurse a bounded amount).
// The parser's own recursion is capped at kMaxRecursion: parentheses and
// operator chains cost a level each, and the canonical text of any tree
// within kMaxNesting costs at most 4 levels per node, so it always re-parses.
inline constexpr int kMaxNesting = 256;
inline constexpr int kMaxRecursion = 4 * kMaxNesting + 64;

// A binary operator of field and scalar expressions: its node operator,
// binding level (higher binds tighter) and associativity.
struct OpInfo {
  BinaryOp op;
  int prec;
  bool right = false;
};
bool BinaryOpOf(Tok t, OpInfo* out);

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}
  Result<Query> ParseQuery();

 private:
  // Restores the nesting depth when a recursive step returns.
  class Nest {
   public:
    explicit Nest(Parser* p) : p_(p), saved_(p->depth_) {}
    ~Nest() { p_->depth_ = saved_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser* p_;
    int saved_;
  };

  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& Take() { return pos_ + 1 < tokens_.size() ? tokens_[pos_++] : tokens_.back(); }
  bool IsWord(size_t ahead, const char* w) const { return Peek(ahead).kind == Tok::kWord && Peek(ahead).text == w; }
  // Records the first error; every parse function then returns null.
  std::nullptr_t Fail(Pos p, const std::string& msg);
  std::nullptr_t Expected(const std::string& what, const Token* after);
  bool Expect(Tok kind, const char* text);
  // One more level of nesting (a recursive call or one more operator in a chain).
  bool Deeper();

  // Precedence climbing shared by field and scalar expressions: operands
  // from `operand`, right-hand sides from `self`; operators binding at
  // least max(min_prec, lowest) continue the chain.
  template <class Node>
  std::unique_ptr<Node> Climb(int min_prec, int lowest, std::unique_ptr<Node> (Parser::*operand)(const Token*),
                              std::unique_ptr<Node> (Parser::*self)(int, const Token*), const Token* after) {
    Nest nest(this);
    if (!Deeper()) return nullptr;
    auto lhs = (this->*operand)(after);
    if (!lhs) return nullptr;
    OpInfo info;
    while (BinaryOpOf(Peek().kind, &info) && info.prec >= std::max(min_prec, lowest)) {
      const Token& op = Take();
      if (!Deeper()) return nullptr;
      auto rhs = (this->*self)(info.right ? info.prec : info.prec + 1, &op);
      if (!rhs) return nullptr;
      auto b = std::make_unique<Node>();
      b->kind = Node::Kind::kBinary;
      b->pos = lhs->pos;
      b->binary = info.op;
      b->lhs = std::move(lhs);
      b->rhs = std::move(rhs);
      lhs = std::move(b);
    }
    return lhs;
  }

  // parser.cc
  std::unique_ptr<Pipeline> ParsePipeline();
  bool ParseStage(const Token& pipe, Stage* stage);
  bool ParseFieldList(const char* fn, std::vector<std::unique_ptr<FieldExpr>>* out);
  bool ParseHints(std::vector<Hint>* out);
  std::unique_ptr<SpansetExpr> ParseSpanset(int min_prec, const Token* after = nullptr);
  std::unique_ptr<SpansetExpr> ParseSpansetPrimary(const Token* after);
  std::unique_ptr<SpansetExpr> ParseFilter(bool negated);

  // parser_field.cc
  std::unique_ptr<FieldExpr> ParseField(int min_prec, const Token* after);
  std::unique_ptr<FieldExpr> ParseFieldUnary(const Token* after);
  std::unique_ptr<FieldExpr> ParseFieldPrimary(const Token* after);

  // parser_scalar.cc
  bool ParseScalarFilter(Stage* stage);
  std::unique_ptr<ScalarExpr> ParseScalar(int min_prec, const Token* after);
  std::unique_ptr<ScalarExpr> ParseScalarPrimary(const Token* after);
  std::unique_ptr<ScalarExpr> ParseAggregate(AggregateOp op);

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  Status error_;
};

// InvalidArgument "line:column: query nests too deeply …" at the first node
// deeper than kMaxNesting; OK otherwise.
Status CheckNesting(const Query& q);

// Negates a numeric literal in place (`-5`, `-1.5`, `-10ms`); false for other types.
bool NegateLiteral(Static* v);

}  // namespace rubato::query::traceql
