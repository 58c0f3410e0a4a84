// The parser: precedence as Tempo's grammar, tree shapes the evaluator relies
// on, and the limits that keep hostile input from exhausting the stack.
#include <gtest/gtest.h>

#include <string>

#include "query/traceql/ast.h"
#include "query/traceql/parse.h"

namespace rubato::query::traceql {
namespace {

std::string Canonical(std::string_view text) {
  auto q = Parse(text);
  return q.ok() ? ToString(*q) : "error: " + q.status().message();
}

TEST(Parser, PrecedenceAndAssociativity) {
  struct Row {
    const char* query;
    const char* canonical;
  } rows[] = {
      // && and || share one level in Tempo's grammar, left to right.
      {"{ .a || .b && .c }", "{ ((.a || .b) && .c) }"},
      {"{ .a && .b || .c }", "{ ((.a && .b) || .c) }"},
      // Comparisons bind tighter than && and looser than arithmetic.
      {"{ .a = 1 && .b + 2 * 3 > 4 }", "{ ((.a = 1) && ((.b + (2 * 3)) > 4)) }"},
      {"{ .a = .b = .c }", "{ ((.a = .b) = .c) }"},
      {"{ .a - .b + .c = 0 }", "{ (((.a - .b) + .c) = 0) }"},
      {"{ .a / .b * .c % .d = 0 }", "{ ((((.a / .b) * .c) % .d) = 0) }"},
      {"{ .a ^ .b ^ .c = 0 }", "{ ((.a ^ (.b ^ .c)) = 0) }"},
      {"{ .a * .b ^ .c = 0 }", "{ ((.a * (.b ^ .c)) = 0) }"},
      // Unary ! and - sit between + - and * / %.
      {"{ -.a * .b = 0 }", "{ (-(.a * .b) = 0) }"},
      {"{ -.a + .b = 0 }", "{ ((-.a + .b) = 0) }"},
      {"{ !.a = .b }", "{ (!.a = .b) }"},
      {"{ !.a && .b }", "{ (!.a && .b) }"},
      {"{ -5 = .a }", "{ (-5 = .a) }"},
      // Spansets: structural operators bind tighter than && and ||.
      {"{ .a } && { .b } >> { .c }", "({ .a } && ({ .b } >> { .c }))"},
      {"{ .a } >> { .b } || { .c }", "(({ .a } >> { .b }) || { .c })"},
      {"{ .a } ~ { .b } !< { .c } &>> { .d }", "((({ .a } ~ { .b }) !< { .c }) &>> { .d })"},
      {"{ .a } || { .b } && { .c }", "(({ .a } || { .b }) && { .c })"},
      // The pipe binds loosest: a later stage takes a whole spanset expression.
      {"{ .a } | { .b } && { .c }", "{ .a } | ({ .b } && { .c })"},
      {"{ } | count() + 1 * 2 > 3", "{ } | (count() + (1 * 2)) > 3"},
  };
  for (const Row& r : rows) EXPECT_EQ(Canonical(r.query), r.canonical) << r.query;
}

TEST(Parser, NegatedFilterIsMarked) {
  auto q = Parse("!{ span.a = 1 }");
  ASSERT_TRUE(q.ok());
  const SpansetExpr& e = *q->pipeline->stages[0].spanset;
  EXPECT_EQ(e.kind, SpansetExpr::Kind::kFilter);
  EXPECT_TRUE(e.negated);
  ASSERT_NE(e.filter, nullptr);
  EXPECT_EQ(e.filter->kind, FieldExpr::Kind::kUnary);
  EXPECT_EQ(e.filter->unary, UnaryOp::kNot);
  EXPECT_EQ(ToString(*e.filter->lhs), "(span.a = 1)");

  auto inner = Parse("{ !(span.a = 1) }");
  ASSERT_TRUE(inner.ok());
  EXPECT_FALSE(inner->pipeline->stages[0].spanset->negated);
  EXPECT_EQ(ToString(*inner->pipeline->stages[0].spanset->filter), "!(span.a = 1)");

  auto empty = Parse("!{ }");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->pipeline->stages[0].spanset->negated);
  EXPECT_EQ(empty->pipeline->stages[0].spanset->filter, nullptr);
}

TEST(Parser, TreeShapes) {
  auto q = Parse("({ .a } | count() > 1) && { .b } | by(.c, span:name) | select(.d) | coalesce() with(most_recent=false)");
  ASSERT_TRUE(q.ok()) << q.status().message();
  const Pipeline& p = *q->pipeline;
  ASSERT_EQ(p.stages.size(), 4u);
  const SpansetExpr& first = *p.stages[0].spanset;
  ASSERT_EQ(first.kind, SpansetExpr::Kind::kBinary);
  EXPECT_EQ(first.op, SpansetOp::kAnd);
  ASSERT_EQ(first.lhs->kind, SpansetExpr::Kind::kPipeline);
  ASSERT_EQ(first.lhs->pipeline->stages.size(), 2u);
  const Stage& scalar = first.lhs->pipeline->stages[1];
  EXPECT_EQ(scalar.kind, Stage::Kind::kScalarFilter);
  EXPECT_EQ(scalar.comparison, BinaryOp::kGt);
  EXPECT_EQ(scalar.lhs->kind, ScalarExpr::Kind::kAggregate);
  EXPECT_EQ(scalar.lhs->aggregate, AggregateOp::kCount);
  EXPECT_EQ(scalar.lhs->argument, nullptr);
  EXPECT_EQ(scalar.rhs->value.integer, 1);
  EXPECT_EQ(p.stages[1].kind, Stage::Kind::kBy);
  EXPECT_EQ(p.stages[1].fields.size(), 2u);
  EXPECT_EQ(p.stages[2].kind, Stage::Kind::kSelect);
  EXPECT_EQ(p.stages[3].kind, Stage::Kind::kCoalesce);
  ASSERT_EQ(q->hints.size(), 1u);
  EXPECT_EQ(q->hints[0].name, "most_recent");
  EXPECT_EQ(q->hints[0].value.type, ValueType::kBool);
  EXPECT_FALSE(q->hints[0].value.boolean);
  // Positions: a binary node starts where its left operand starts.
  EXPECT_EQ(first.pos.column, 1u);
  EXPECT_EQ(p.stages[1].pos.column, 36u);
}

TEST(Parser, ParenthesisedSpansetWithoutPipeIsNotAPipelineNode) {
  auto q = Parse("(({ .a }))");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->pipeline->stages[0].spanset->kind, SpansetExpr::Kind::kFilter);
}

TEST(Parser, WhitespaceOnlyIsEmpty) {
  EXPECT_EQ(Canonical(""), "error: 1:1: empty query");
  EXPECT_EQ(Canonical("  \n  "), "error: 2:3: empty query");
}

TEST(Parser, QueryLengthIsCapped) {
  std::string ok = "{ span.a = \"" + std::string(128 * 1024 - 16, 'x') + "\" }";
  ASSERT_LE(ok.size(), 128u * 1024);
  EXPECT_TRUE(Parse(ok).ok());
  std::string big = "{ span.a = \"" + std::string(128 * 1024, 'x') + "\" }";
  EXPECT_EQ(Canonical(big), "error: 1:1: query is too long (131087 bytes; the limit is 131072)");
}

TEST(Parser, NestingIsCapped) {
  // The tree may be 256 nodes deep: the pipeline, the filter, 253 `!` and the attribute.
  std::string ok = "{ " + std::string(253, '!') + ".a }";
  EXPECT_EQ(Canonical(ok), ok);
  // One more `!` puts the attribute (column 257) at depth 257.
  std::string nots = "{ " + std::string(254, '!') + ".a }";
  EXPECT_EQ(Canonical(nots), "error: 1:257: query nests too deeply (more than 256 levels)");
  // Parentheses add no node but cost recursion: a few hundred are fine, a
  // thousand are not.
  std::string parens = "{ " + std::string(300, '(') + ".a" + std::string(300, ')') + " }";
  EXPECT_EQ(Canonical(parens), "{ .a }");
  std::string many = "{ " + std::string(1000, '(') + ".a" + std::string(1000, ')') + " }";
  EXPECT_NE(Canonical(many).find("query nests too deeply (more than 256 levels)"), std::string::npos);
  // Unary operators, operator chains (a chain builds a tree as deep as it is
  // long) and nested pipelines fail the same way, without deep recursion.
  std::string long_nots = "{ " + std::string(100000, '!') + ".a }";
  EXPECT_NE(Canonical(long_nots).find("query nests too deeply"), std::string::npos);
  std::string chain = "{ .a";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  chain += " = 0 }";
  EXPECT_NE(Canonical(chain).find("query nests too deeply"), std::string::npos);
  std::string spansets = "{ }";
  for (int i = 0; i < 5000; ++i) spansets += " >> { }";
  EXPECT_NE(Canonical(spansets).find("query nests too deeply"), std::string::npos);
  std::string nested;
  for (int i = 0; i < 200; ++i) nested += "({ } | ";
  nested += "{ }" + std::string(200, ')');
  EXPECT_NE(Canonical(nested).find("query nests too deeply"), std::string::npos);
  // A long pipeline is a list, not a nesting: it parses.
  std::string pipes = "{ }";
  for (int i = 0; i < 5000; ++i) pipes += " | { }";
  EXPECT_EQ(Canonical(pipes), pipes);
}

TEST(Parser, CanonicalTextRoundTrips) {
  const char* queries[] = {
      "{ span.\"a\\\"b\" = \"x\\ny\" && .`c d` != nil }",
      "{ duration > 1h30m15s || duration < -0.5ms }",
      "{ span.f = 1e300 && span.g = -2.0 && span.h = 0.1 }",
      "!{ } && !{ !.a } | by(-.x) | avg(.y ^ 2) * 3 >= 1.5 with(a=1, b=\"s\", c=-1s)",
      "{ .\"9\" = .x } >> ({ } | count() > 1)",
  };
  for (const char* q : queries) {
    std::string once = Canonical(q);
    ASSERT_EQ(once.rfind("error", 0), std::string::npos) << q << ": " << once;
    EXPECT_EQ(Canonical(once), once) << q;
  }
}

}  // namespace
}  // namespace rubato::query::traceql
