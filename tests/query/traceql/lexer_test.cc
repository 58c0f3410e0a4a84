// The lexer's tokens: kinds, positions, literal values and attribute names.
#include "query/traceql/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rubato::query::traceql {
namespace {

// "kind@line:col" for each token, so a table row says everything at once.
std::string Kinds(std::string_view text) {
  auto tokens = Lex(text);
  if (!tokens.ok()) return "error: " + tokens.status().message();
  std::string out;
  for (const Token& t : *tokens) {
    if (!out.empty()) out += " ";
    out += "[" + std::string(t.text) + "]" + std::to_string(t.pos.line) + ":" + std::to_string(t.pos.column);
  }
  return out;
}

TEST(Lexer, SplitsOperatorsByLongestMatch) {
  struct Row {
    const char* text;
    std::vector<Tok> kinds;
  } rows[] = {
      {"&>> &<< !>> !<< && || &> &< &~", {Tok::kUnionDesc, Tok::kUnionAnc, Tok::kNotDesc, Tok::kNotAnc, Tok::kAnd,
                                           Tok::kOr, Tok::kUnionChild, Tok::kUnionParent, Tok::kUnionSibling, Tok::kEnd}},
      {"!= !~ !> !< =~ >> << >= <=", {Tok::kNeq, Tok::kNotRegex, Tok::kNotChild, Tok::kNotParent, Tok::kRegex,
                                       Tok::kDesc, Tok::kAnc, Tok::kGte, Tok::kLte, Tok::kEnd}},
      {"{}(),|=><+-*/%^! ~", {Tok::kLBrace, Tok::kRBrace, Tok::kLParen, Tok::kRParen, Tok::kComma, Tok::kPipe, Tok::kEq,
                             Tok::kGt, Tok::kLt, Tok::kAdd, Tok::kSub, Tok::kMul, Tok::kDiv, Tok::kMod, Tok::kPow,
                             Tok::kNot, Tok::kTilde, Tok::kEnd}},
      {">>=", {Tok::kDesc, Tok::kEq, Tok::kEnd}},
      {"!!=", {Tok::kNot, Tok::kNeq, Tok::kEnd}},
  };
  for (const Row& r : rows) {
    auto tokens = Lex(r.text);
    ASSERT_TRUE(tokens.ok()) << r.text;
    std::vector<Tok> got;
    for (const Token& t : *tokens) got.push_back(t.kind);
    EXPECT_EQ(got, r.kinds) << r.text;
  }
}

TEST(Lexer, PositionsAreLineAndByteColumn) {
  EXPECT_EQ(Kinds("{ span.a = 1 }"), "[{]1:1 [span.a]1:3 [=]1:10 [1]1:12 [}]1:14 []1:15");
  EXPECT_EQ(Kinds("{\n  .a\t=\n`x\ny` }"), "[{]1:1 [.a]2:3 [=]2:6 [`x\ny`]3:1 [}]4:4 []4:5");
  EXPECT_EQ(Kinds("\xC2\xB5"), "error: 1:1: unexpected character byte 0xC2");
}

TEST(Lexer, AttributeNamesEndWhereTempoEndsThem) {
  struct Row {
    const char* text;
    AttributeScope scope;
    bool parent;
    const char* name;
    size_t length;  // bytes of the attribute token
  } rows[] = {
      {"span.http.method=", AttributeScope::kSpan, false, "http.method", 16},
      {"resource.service.name}", AttributeScope::kResource, false, "service.name", 21},
      {"event.exception.type)", AttributeScope::kEvent, false, "exception.type", 20},
      {"link.x,", AttributeScope::kLink, false, "x", 6},
      {"instrumentation.lib ", AttributeScope::kInstrumentation, false, "lib", 19},
      {".a-b+c*d/e%f:g!=1", AttributeScope::kUnscoped, false, "a-b+c*d/e%f:g", 14},
      {"parent.x<2", AttributeScope::kUnscoped, true, "x", 8},
      {"parent.span.x>2", AttributeScope::kSpan, true, "x", 13},
      {"parent.resource.x~", AttributeScope::kResource, true, "x", 17},
      {"parent.spanx", AttributeScope::kUnscoped, true, "spanx", 12},
      {"span.\"a b\\\"c\"", AttributeScope::kSpan, false, "a b\"c", 13},
      {".`raw\\n`", AttributeScope::kUnscoped, false, "raw\\n", 8},
      {"span.a^2", AttributeScope::kSpan, false, "a", 6},
      {"span.a&&", AttributeScope::kSpan, false, "a", 6},
      {"span.a|", AttributeScope::kSpan, false, "a", 6},
  };
  for (const Row& r : rows) {
    auto tokens = Lex(r.text);
    ASSERT_TRUE(tokens.ok()) << r.text << ": " << tokens.status().message();
    const Token& t = (*tokens)[0];
    EXPECT_EQ(t.kind, Tok::kAttribute) << r.text;
    EXPECT_EQ(t.attribute.scope, r.scope) << r.text;
    EXPECT_EQ(t.attribute.parent, r.parent) << r.text;
    EXPECT_EQ(t.attribute.name, r.name) << r.text;
    EXPECT_EQ(t.text.size(), r.length) << r.text;
  }
}

TEST(Lexer, Literals) {
  struct Row {
    const char* text;
    ValueType type;
    int64_t integer;
    double dbl;
    const char* str;
  } rows[] = {
      {"42", ValueType::kInt, 42, 0, ""},
      {"9223372036854775807", ValueType::kInt, INT64_MAX, 0, ""},
      {"1.25", ValueType::kFloat, 0, 1.25, ""},
      {".5", ValueType::kFloat, 0, 0.5, ""},
      {"2e3", ValueType::kFloat, 0, 2000, ""},
      {"2.5E-1", ValueType::kFloat, 0, 0.25, ""},
      {"7ns", ValueType::kDuration, 7, 0, ""},
      {"7us", ValueType::kDuration, 7000, 0, ""},
      {"7\xC2\xB5s", ValueType::kDuration, 7000, 0, ""},
      {"7\xCE\xBCs", ValueType::kDuration, 7000, 0, ""},
      {"7ms", ValueType::kDuration, 7000000, 0, ""},
      {"7s", ValueType::kDuration, 7000000000, 0, ""},
      {"7m", ValueType::kDuration, 420000000000, 0, ""},
      {"7h", ValueType::kDuration, 25200000000000, 0, ""},
      {"1h30m", ValueType::kDuration, 5400000000000, 0, ""},
      {"1.5s", ValueType::kDuration, 1500000000, 0, ""},
      {"0.000000001s", ValueType::kDuration, 1, 0, ""},
      {"1m0.5s", ValueType::kDuration, 60500000000, 0, ""},
      {"\"a\\tb\\u00e9\\x41\\101\"", ValueType::kString, 0, 0, "a\tb\xC3\xA9" "AA"},
      {"`a\\tb`", ValueType::kString, 0, 0, "a\\tb"},
      {"true", ValueType::kBool, 0, 0, ""},
      {"nil", ValueType::kNil, 0, 0, ""},
      {"error", ValueType::kStatus, 2, 0, ""},
      {"ok", ValueType::kStatus, 1, 0, ""},
      {"unset", ValueType::kStatus, 0, 0, ""},
      {"unspecified", ValueType::kKind, 0, 0, ""},
      {"internal", ValueType::kKind, 1, 0, ""},
      {"server", ValueType::kKind, 2, 0, ""},
      {"client", ValueType::kKind, 3, 0, ""},
      {"producer", ValueType::kKind, 4, 0, ""},
      {"consumer", ValueType::kKind, 5, 0, ""},
  };
  for (const Row& r : rows) {
    auto tokens = Lex(r.text);
    ASSERT_TRUE(tokens.ok()) << r.text << ": " << tokens.status().message();
    ASSERT_EQ(tokens->size(), 2u) << r.text;
    const Token& t = (*tokens)[0];
    ASSERT_EQ(t.kind, Tok::kStatic) << r.text;
    EXPECT_EQ(t.value.type, r.type) << r.text;
    if (r.type == ValueType::kFloat) EXPECT_DOUBLE_EQ(t.value.dbl, r.dbl) << r.text;
    else if (r.type == ValueType::kString) EXPECT_EQ(t.value.str, r.str) << r.text;
    else if (r.type == ValueType::kBool) EXPECT_TRUE(t.value.boolean) << r.text;
    else EXPECT_EQ(t.value.integer, r.integer) << r.text;
  }
}

TEST(Lexer, IntrinsicsScopedAndLegacy) {
  struct Row {
    const char* text;
    Intrinsic intrinsic;
  } rows[] = {
      {"span:name", Intrinsic::kSpanName},           {"name", Intrinsic::kSpanName},
      {"span:kind", Intrinsic::kSpanKind},           {"kind", Intrinsic::kSpanKind},
      {"span:status", Intrinsic::kSpanStatus},       {"status", Intrinsic::kSpanStatus},
      {"span:statusMessage", Intrinsic::kSpanStatusMessage}, {"statusMessage", Intrinsic::kSpanStatusMessage},
      {"span:duration", Intrinsic::kSpanDuration},   {"duration", Intrinsic::kSpanDuration},
      {"span:id", Intrinsic::kSpanId},               {"span:parentID", Intrinsic::kSpanParentId},
      {"span:childCount", Intrinsic::kSpanChildCount}, {"childCount", Intrinsic::kSpanChildCount},
      {"trace:duration", Intrinsic::kTraceDuration}, {"traceDuration", Intrinsic::kTraceDuration},
      {"trace:rootName", Intrinsic::kTraceRootName}, {"rootName", Intrinsic::kTraceRootName},
      {"trace:rootService", Intrinsic::kTraceRootService}, {"rootServiceName", Intrinsic::kTraceRootService},
      {"trace:id", Intrinsic::kTraceId},             {"event:name", Intrinsic::kEventName},
      {"event:timeSinceStart", Intrinsic::kEventTimeSinceStart}, {"link:traceID", Intrinsic::kLinkTraceId},
      {"link:spanID", Intrinsic::kLinkSpanId},       {"instrumentation:name", Intrinsic::kScopeName},
      {"instrumentation:version", Intrinsic::kScopeVersion},
  };
  for (const Row& r : rows) {
    auto tokens = Lex(r.text);
    ASSERT_TRUE(tokens.ok()) << r.text;
    EXPECT_EQ((*tokens)[0].kind, Tok::kIntrinsic) << r.text;
    EXPECT_EQ((*tokens)[0].intrinsic, r.intrinsic) << r.text;
  }
}

TEST(Lexer, Errors) {
  struct Row {
    const char* text;
    const char* error;
  } rows[] = {
      {"\"abc", "1:1: unterminated string"},
      {"x \"a\\", "1:3: unterminated string"},
      {"span:Name", "1:1: unknown intrinsic span:Name"},
      {"1.5e", "1:1: invalid duration \"1.5e\" (units: ns, us, ms, s, m, h)"},
      {"1s2", "1:1: invalid duration \"1s2\" (units: ns, us, ms, s, m, h)"},
      {"2562048h", "1:1: duration 2562048h is out of range"},
      {"9223372036854775808", "1:1: integer 9223372036854775808 is out of range"},
      {"a & b", "1:3: unexpected character \"&\""},
      {"\x01", "1:1: unexpected character byte 0x01"},
  };
  for (const Row& r : rows) {
    auto tokens = Lex(r.text);
    ASSERT_FALSE(tokens.ok()) << r.text;
    EXPECT_EQ(tokens.status().message(), r.error) << r.text;
  }
}

}  // namespace
}  // namespace rubato::query::traceql
