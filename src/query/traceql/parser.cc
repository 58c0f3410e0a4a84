// Parse: pipelines, their stages, spanset expressions and hints (see parser.h).
#include <limits>

#include "query/traceql/parse.h"
#include "query/traceql/parser.h"

namespace rubato::query::traceql {

// Tempo's levels: 1 && ||, 2 comparisons, 3 + -, (4 unary), 5 * / %, 6 ^.
bool BinaryOpOf(Tok t, OpInfo* out) {
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

namespace {

struct SpansetOpInfo {
  SpansetOp op;
  int prec;  // 1: && ||   2: structural (same level as comparisons in Tempo)
};

bool SpansetOpOf(Tok t, SpansetOpInfo* out) {
  switch (t) {
    case Tok::kAnd: *out = {SpansetOp::kAnd, 1}; return true;
    case Tok::kOr: *out = {SpansetOp::kOr, 1}; return true;
    case Tok::kGt: *out = {SpansetOp::kChild, 2}; return true;
    case Tok::kLt: *out = {SpansetOp::kParent, 2}; return true;
    case Tok::kDesc: *out = {SpansetOp::kDescendant, 2}; return true;
    case Tok::kAnc: *out = {SpansetOp::kAncestor, 2}; return true;
    case Tok::kTilde: *out = {SpansetOp::kSibling, 2}; return true;
    case Tok::kNotChild: *out = {SpansetOp::kNotChild, 2}; return true;
    case Tok::kNotParent: *out = {SpansetOp::kNotParent, 2}; return true;
    case Tok::kNotDesc: *out = {SpansetOp::kNotDescendant, 2}; return true;
    case Tok::kNotAnc: *out = {SpansetOp::kNotAncestor, 2}; return true;
    case Tok::kNotRegex: *out = {SpansetOp::kNotSibling, 2}; return true;
    case Tok::kUnionChild: *out = {SpansetOp::kUnionChild, 2}; return true;
    case Tok::kUnionParent: *out = {SpansetOp::kUnionParent, 2}; return true;
    case Tok::kUnionDesc: *out = {SpansetOp::kUnionDescendant, 2}; return true;
    case Tok::kUnionAnc: *out = {SpansetOp::kUnionAncestor, 2}; return true;
    case Tok::kUnionSibling: *out = {SpansetOp::kUnionSibling, 2}; return true;
    default: return false;
  }
}

}  // namespace

std::nullptr_t Parser::Fail(Pos p, const std::string& msg) {
  if (error_.ok()) error_ = Status::InvalidArgument(Where(p) + msg);
  return nullptr;
}

std::nullptr_t Parser::Expected(const std::string& what, const Token* after) {
  std::string msg = "expected " + what;
  if (after) msg += " after \"" + std::string(after->text) + "\"";
  return Fail(Peek().pos, msg + ", found " + Describe(Peek()));
}

bool Parser::Expect(Tok kind, const char* text) {
  if (Peek().kind == kind) {
    Take();
    return true;
  }
  Expected(std::string("\"") + text + "\"", nullptr);
  return false;
}

bool Parser::Deeper() {
  if (++depth_ <= kMaxRecursion) return true;
  Fail(Peek().pos, "query nests too deeply (more than " + std::to_string(kMaxNesting) + " levels)");
  return false;
}

Result<Query> Parser::ParseQuery() {
  Query q;
  if (Peek().kind == Tok::kEnd) return Status::InvalidArgument(Where(Peek().pos) + "empty query");
  q.pipeline = ParsePipeline();
  if (q.pipeline && IsWord(0, "with") && Peek(1).kind == Tok::kLParen) ParseHints(&q.hints);
  if (error_.ok() && Peek().kind != Tok::kEnd) Expected("end of query", nullptr);
  if (!error_.ok()) return error_;
  Status nesting = CheckNesting(q);
  if (!nesting.ok()) return nesting;
  return q;
}

std::unique_ptr<Pipeline> Parser::ParsePipeline() {
  Nest nest(this);
  if (!Deeper()) return nullptr;
  auto p = std::make_unique<Pipeline>();
  p->pos = Peek().pos;
  Stage first;
  first.kind = Stage::Kind::kSpanset;
  first.pos = Peek().pos;
  first.spanset = ParseSpanset(1);
  if (!first.spanset) return nullptr;
  p->stages.push_back(std::move(first));
  while (Peek().kind == Tok::kPipe) {
    const Token& pipe = Take();
    Stage s;
    if (!ParseStage(pipe, &s)) return nullptr;
    p->stages.push_back(std::move(s));
  }
  return p;
}

bool Parser::ParseStage(const Token& pipe, Stage* stage) {
  stage->pos = Peek().pos;
  if (Peek(1).kind == Tok::kLParen && (IsWord(0, "by") || IsWord(0, "select"))) {
    stage->kind = IsWord(0, "by") ? Stage::Kind::kBy : Stage::Kind::kSelect;
    return ParseFieldList(IsWord(0, "by") ? "by(" : "select(", &stage->fields);
  }
  if (IsWord(0, "coalesce") && Peek(1).kind == Tok::kLParen) {
    stage->kind = Stage::Kind::kCoalesce;
    Take();
    Take();
    return Expect(Tok::kRParen, ")");
  }
  // A parenthesised stage is a spanset expression or a scalar filter: the
  // first token after the opening parentheses tells which.
  size_t k = 0;
  while (Peek(k).kind == Tok::kLParen && k <= kMaxNesting) ++k;
  Tok first = Peek(k).kind;
  if (first == Tok::kLBrace || first == Tok::kNot) {
    stage->kind = Stage::Kind::kSpanset;
    stage->spanset = ParseSpanset(1);
    return stage->spanset != nullptr;
  }
  const Token& t = Peek(k);
  bool scalar = first == Tok::kStatic || first == Tok::kSub ||
                (t.kind == Tok::kWord && (t.text == "count" || t.text == "avg" || t.text == "min" ||
                                          t.text == "max" || t.text == "sum"));
  if (scalar) {
    stage->kind = Stage::Kind::kScalarFilter;
    return ParseScalarFilter(stage);
  }
  Expected("a pipeline stage", &pipe);
  return false;
}

bool Parser::ParseFieldList(const char* fn, std::vector<std::unique_ptr<FieldExpr>>* out) {
  Take();
  Take();  // (
  std::string fn_name(fn);
  if (Peek().kind == Tok::kRParen) {
    Fail(Peek().pos, fn_name + ") needs at least one field");
    return false;
  }
  for (;;) {
    auto f = ParseField(1, nullptr);
    if (!f) return false;
    out->push_back(std::move(f));
    if (Peek().kind == Tok::kComma) {
      Take();
      continue;
    }
    if (Peek().kind == Tok::kRParen) {
      Take();
      return true;
    }
    Expected("\",\" or \")\"", nullptr);
    return false;
  }
}

bool Parser::ParseHints(std::vector<Hint>* out) {
  Take();  // with
  Take();  // (
  std::string after = "with(";
  for (;;) {
    const Token& name = Peek();
    if (!name.word) {
      Fail(name.pos, "expected a hint name after \"" + after + "\", found " + Describe(name));
      return false;
    }
    Take();
    Hint h;
    h.name = std::string(name.text);
    h.pos = name.pos;
    if (!Expect(Tok::kEq, "=")) return false;
    const Token* sign = nullptr;
    if (Peek().kind == Tok::kSub) sign = &Take();
    if (Peek().kind != Tok::kStatic) {
      Expected("a value", sign ? sign : &tokens_[pos_ - 1]);
      return false;
    }
    h.value = Take().value;
    if (sign && !NegateLiteral(&h.value)) {
      Fail(sign->pos, "\"-\" needs a number");
      return false;
    }
    out->push_back(std::move(h));
    if (Peek().kind == Tok::kComma) {
      Take();
      after = ",";
      continue;
    }
    return Expect(Tok::kRParen, ")");
  }
}

std::unique_ptr<SpansetExpr> Parser::ParseSpanset(int min_prec, const Token* after) {
  Nest nest(this);
  if (!Deeper()) return nullptr;
  auto lhs = ParseSpansetPrimary(after);
  if (!lhs) return nullptr;
  SpansetOpInfo info;
  while (SpansetOpOf(Peek().kind, &info) && info.prec >= min_prec) {
    const Token& op = Take();
    if (!Deeper()) return nullptr;
    auto rhs = ParseSpanset(info.prec + 1, &op);  // all operators are left-associative
    if (!rhs) return nullptr;
    auto b = std::make_unique<SpansetExpr>();
    b->kind = SpansetExpr::Kind::kBinary;
    b->pos = lhs->pos;
    b->op = info.op;
    b->lhs = std::move(lhs);
    b->rhs = std::move(rhs);
    lhs = std::move(b);
  }
  return lhs;
}

std::unique_ptr<SpansetExpr> Parser::ParseSpansetPrimary(const Token* after) {
  const Token& t = Peek();
  if (t.kind == Tok::kLBrace) return ParseFilter(false);
  if (t.kind == Tok::kNot) {
    if (Peek(1).kind != Tok::kLBrace) {
      const Token& bang = Take();
      return Expected("\"{\"", &bang);
    }
    return ParseFilter(true);
  }
  if (t.kind == Tok::kLParen) {
    Nest nest(this);
    Take();
    auto p = ParsePipeline();
    if (!p || !Expect(Tok::kRParen, ")")) return nullptr;
    if (p->stages.size() == 1) return std::move(p->stages[0].spanset);
    auto e = std::make_unique<SpansetExpr>();
    e->kind = SpansetExpr::Kind::kPipeline;
    e->pos = t.pos;
    e->pipeline = std::move(p);
    return e;
  }
  return Expected("a spanset filter", after);
}

std::unique_ptr<SpansetExpr> Parser::ParseFilter(bool negated) {
  auto e = std::make_unique<SpansetExpr>();
  e->kind = SpansetExpr::Kind::kFilter;
  e->pos = Peek().pos;
  e->negated = negated;
  Pos bang = e->pos;
  if (negated) Take();
  Take();  // {
  if (Peek().kind == Tok::kRBrace) {
    Take();
    return e;
  }
  auto f = ParseField(1, nullptr);
  if (!f) return nullptr;
  if (Peek().kind != Tok::kRBrace) return Expected("an operator or \"}\"", nullptr);
  Take();
  if (negated) {
    auto n = std::make_unique<FieldExpr>();
    n->kind = FieldExpr::Kind::kUnary;
    n->unary = UnaryOp::kNot;
    n->pos = bang;
    n->lhs = std::move(f);
    f = std::move(n);
  }
  e->filter = std::move(f);
  return e;
}

bool NegateLiteral(Static* v) {
  switch (v->type) {
    case ValueType::kInt:
    case ValueType::kDuration:
      if (v->integer == std::numeric_limits<int64_t>::min()) return false;
      v->integer = -v->integer;
      return true;
    case ValueType::kFloat:
      v->dbl = -v->dbl;
      return true;
    default:
      return false;
  }
}

Result<Query> Parse(std::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    return Status::InvalidArgument("1:1: query is too long (" + std::to_string(text.size()) +
                                   " bytes; the limit is " + std::to_string(kMaxQueryBytes) + ")");
  }
  auto tokens = Lex(text);
  if (!tokens.ok()) return tokens.status();
  return Parser(std::move(tokens).value()).ParseQuery();
}

}  // namespace rubato::query::traceql
