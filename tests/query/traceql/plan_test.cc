// Plan::Compile: regexes compiled once and anchored at both ends, the
// attributes a query reads, hints, and validation types.
#include "query/traceql/plan.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>
#include <vector>

namespace rubato::query::traceql {
namespace {

std::unique_ptr<Plan> MustCompile(std::string_view text) {
  auto p = Plan::Compile(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status().message();
  return p.ok() ? std::move(p).value() : nullptr;
}

const FieldExpr& Filter(const Plan& p) { return *p.query().pipeline->stages[0].spanset->filter; }

TEST(Plan, RegexesAreFullyAnchored) {
  struct Row {
    const char* pattern;
    const char* value;
    bool matches;
  } rows[] = {
      {"GET", "GET", true},          {"GET", "GET /orders", false}, {"GET", "xGET", false},
      {"GET.*", "GET /orders", true}, {".*orders", "GET /orders", true}, {"a|b", "a", true},
      {"a|b", "ab", false},          {"a|b", "b", true},            {"(a)(b)", "ab", true},
      {"x$", "x", true},             {"^x", "x", true},             {"", "", true},
      {"", "x", false},              {"a.c", "a\nc", false},        {"(?s)a.c", "a\nc", true},
      {"x", "x\n", false},
  };
  for (const Row& r : rows) {
    std::string q = "{ span.a =~ \"" + std::string(r.pattern) + "\" }";
    auto plan = MustCompile(q);
    ASSERT_NE(plan, nullptr);
    const re2::RE2* re = plan->regex(&Filter(*plan));
    ASSERT_NE(re, nullptr) << q;
    // Anchored either way it is used: a partial match is a full match.
    EXPECT_EQ(re2::RE2::PartialMatch(r.value, *re), r.matches) << r.pattern << " on " << r.value;
    EXPECT_EQ(re2::RE2::FullMatch(r.value, *re), r.matches) << r.pattern << " on " << r.value;
  }
}

TEST(Plan, RegexOnlyOnRegexNodes) {
  auto plan = MustCompile("{ span.a !~ \"x+\" && span.b = \"x+\" }");
  const FieldExpr& f = Filter(*plan);
  EXPECT_NE(plan->regex(f.lhs.get()), nullptr);
  EXPECT_EQ(plan->regex(f.rhs.get()), nullptr);
  EXPECT_EQ(plan->regex(&f), nullptr);
  EXPECT_EQ(plan->regex(nullptr), nullptr);
}

TEST(Plan, StrayParenthesisIsNotHiddenByAnchoring) {
  auto p = Plan::Compile("{ span.a =~ \"a)|(b\" }");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "1:13: invalid regex \"a)|(b\": unexpected )");
}

std::string Names(const std::vector<Attribute>& attrs) {
  std::string out;
  for (const Attribute& a : attrs) {
    if (!out.empty()) out += ",";
    static const char* kScopes[] = {"", "span", "resource", "event", "link", "instrumentation"};
    std::string scope = kScopes[static_cast<int>(a.scope)];
    if (a.parent) out += scope.empty() ? "parent" : "parent.";
    out += scope + "." + a.name;
  }
  return out;
}

TEST(Plan, ReferencedAttributesInOrderOfFirstAppearance) {
  struct Row {
    const char* query;
    const char* referenced;
    const char* selected;
  } rows[] = {
      {"{ span.a = 1 && resource.b = 2 || span.a = 3 }", "span.a,resource.b", ""},
      {"{ .x } >> { parent.span.y = 1 } | by(resource.service.name) | avg(span.d) > 1",
       ".x,parent.span.y,resource.service.name,span.d", ""},
      {"{ span:name = \"x\" && duration > 1s }", "", ""},
      {"{ } | select(span.a, resource.b, span:name, span.a)", "span.a,resource.b", "span.a,resource.b"},
      {"{ span.b = 1 } | select(span.a) | { span.b = 2 && event.c = 1 }", "span.b,span.a,event.c", "span.a"},
      {"({ link.l = 1 } | count() > 1) && !{ instrumentation.i = 2 }", "link.l,instrumentation.i", ""},
      {"{ span.a = 1 && .a = 2 && resource.a = 3 && parent.a = 4 }", "span.a,.a,resource.a,parent.a", ""},
      {"{ span.\"a b\" =~ \"x\" } | by(span.k + 1)", "span.a b,span.k", ""},
  };
  for (const Row& r : rows) {
    auto plan = MustCompile(r.query);
    ASSERT_NE(plan, nullptr);
    EXPECT_EQ(Names(plan->referenced_attributes()), r.referenced) << r.query;
    EXPECT_EQ(Names(plan->selected_attributes()), r.selected) << r.query;
  }
}

TEST(Plan, HintMostRecent) {
  EXPECT_TRUE(MustCompile("{ }")->hint_most_recent());
  EXPECT_TRUE(MustCompile("{ } with(most_recent=true)")->hint_most_recent());
  EXPECT_FALSE(MustCompile("{ } with(most_recent=false)")->hint_most_recent());
  EXPECT_TRUE(MustCompile("{ } with(sample=0.5, exemplars=10)")->hint_most_recent());
  EXPECT_EQ(MustCompile("{ } with(most_recent=true)")->text(), "{ } with(most_recent=true)");
}

TEST(Plan, TypesAreSetByValidation) {
  auto plan = MustCompile("{ span:duration * 2 > 1s && span.a + 1 > 2 && span:childCount % 2 = 0 } | avg(duration) > 1s "
                          "| sum(span:childCount) > 1 | avg(span.x) > 1 | count() / 2 > 1.5");
  const FieldExpr& f = Filter(*plan);
  EXPECT_EQ(f.type, ValueType::kBool);
  const FieldExpr& dur = *f.lhs->lhs->lhs;  // span:duration * 2
  EXPECT_EQ(dur.type, ValueType::kDuration);
  EXPECT_EQ(dur.lhs->type, ValueType::kDuration);
  EXPECT_EQ(dur.rhs->type, ValueType::kInt);
  EXPECT_EQ(f.lhs->rhs->lhs->type, ValueType::kFloat);  // span.a + 1
  EXPECT_EQ(f.lhs->rhs->lhs->lhs->type, ValueType::kAttribute);
  EXPECT_EQ(f.rhs->lhs->type, ValueType::kInt);  // span:childCount % 2
  const auto& stages = plan->query().pipeline->stages;
  EXPECT_EQ(stages[1].lhs->type, ValueType::kDuration);  // avg(duration)
  EXPECT_EQ(stages[2].lhs->type, ValueType::kInt);       // sum(span:childCount)
  EXPECT_EQ(stages[3].lhs->type, ValueType::kFloat);     // avg(span.x)
  EXPECT_EQ(stages[4].lhs->type, ValueType::kInt);       // count() / 2
  EXPECT_EQ(stages[4].rhs->type, ValueType::kFloat);
}

TEST(Plan, ErrorsCarryPositions) {
  struct Row {
    const char* query;
    const char* error;
  } rows[] = {
      {"{ span:duration = \"x\" }", "1:3: cannot compare duration with string"},
      {"{ span.a = 1 }\n| avg(span:name) > 1", "2:7: avg() needs a number, found string"},
      {"{ span.a =~ \"(\" }", "1:13: invalid regex \"(\": missing )"},
      {"{ span.a = }", "1:12: expected a value after \"=\", found \"}\""},
  };
  for (const Row& r : rows) {
    auto p = Plan::Compile(r.query);
    ASSERT_FALSE(p.ok()) << r.query;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(p.status().message(), r.error) << r.query;
  }
}

}  // namespace
}  // namespace rubato::query::traceql
