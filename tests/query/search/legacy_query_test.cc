// Tempo's legacy search parameters: logfmt `tags` → TraceQL, Go durations,
// and the memory budget that bounds a search.
#include "query/search/legacy_query.h"

#include <gtest/gtest.h>

#include "query/search/go_duration.h"
#include "query/search/memory_budget.h"
#include "query/traceql/plan.h"

namespace rubato::query::search {
namespace {

TEST(LegacyQueryTest, TagsBecomeTraceQL) {
  struct Case {
    const char* tags;
    const char* traceql;
  };
  const Case cases[] = {
      {"", "{ }"},
      {"   ", "{ }"},
      {"service.name=api", "{ resource.service.name = \"api\" }"},
      {"name=\"GET /x\"", "{ name = \"GET /x\" }"},
      {"http.method=GET", "{ .http.method = \"GET\" }"},
      {"http.status_code=500", "{ .http.status_code = \"500\" || .http.status_code = 500 }"},
      {"ratio=-1.5", "{ .ratio = \"-1.5\" || .ratio = -1.5 }"},
      {"cached=true", "{ .cached = \"true\" || .cached = true }"},
      {"error=true", "{ status = error }"},
      {"error=false", "{ status != error }"},
      {"status.code=ok", "{ status = ok }"},
      {"status.code=2", "{ status = error }"},
      {"root.name=checkout root.service.name=web",
       "{ trace:rootName = \"checkout\" } && { trace:rootService = \"web\" }"},
      {"db.statement=\"select \\\"x\\\" from t\"", "{ .db.statement = \"select \\\"x\\\" from t\" }"},
      {"k8s:pod=web-1", "{ .\"k8s:pod\" = \"web-1\" }"},
      {"a=1x", "{ .a = \"1x\" }"},
  };
  for (const Case& c : cases) {
    auto q = LegacyTagsToTraceQL(c.tags);
    ASSERT_TRUE(q.ok()) << c.tags << ": " << q.status().message();
    EXPECT_EQ(*q, c.traceql) << c.tags;
  }
}

TEST(LegacyQueryTest, TranslationsCompile) {
  for (const char* tags : {"service.name=api http.status_code=500", "error=true status.code=unset",
                           "root.name=x root.service.name=y name=z", "db.statement=\"a \\\"b\\\"\"", "k8s:pod=web-1 n=2.5"}) {
    auto q = LegacyTagsToTraceQL(tags);
    ASSERT_TRUE(q.ok());
    auto plan = traceql::Plan::Compile(*q);
    EXPECT_TRUE(plan.ok()) << tags << " → " << *q << ": " << plan.status().message();
  }
}

TEST(LegacyQueryTest, BadTagsNameTheProblem) {
  EXPECT_EQ(LegacyTagsToTraceQL("foo").status().message(), "tags: 'foo' has no value (want key=value)");
  EXPECT_EQ(LegacyTagsToTraceQL("a=\"x").status().message(), "tags: the value of 'a' has no closing quote");
  EXPECT_EQ(LegacyTagsToTraceQL("=x").status().message(), "tags: a value without a key at position 1");
  EXPECT_EQ(LegacyTagsToTraceQL("status.code=bad").status().message(),
            "tags: status.code must be unset, ok or error, not 'bad'");
  EXPECT_EQ(LegacyTagsToTraceQL("error=maybe").status().message(), "tags: error must be true or false, not 'maybe'");
}

TEST(GoDurationTest, Parses) {
  struct Case {
    const char* text;
    uint64_t nanos;
  };
  const Case cases[] = {
      {"0", 0},          {"100ms", 100'000'000},     {"1.5s", 1'500'000'000},  {"1h30m", 5'400'000'000'000},
      {"250us", 250'000}, {"250\xC2\xB5s", 250'000}, {"7ns", 7},               {"2m", 120'000'000'000},
      {"+3s", 3'000'000'000}, {".5s", 500'000'000},  {"1m0.5s", 60'500'000'000},
  };
  for (const Case& c : cases) {
    auto d = ParseGoDuration(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.status().message();
    EXPECT_EQ(*d, c.nanos) << c.text;
  }
  EXPECT_EQ(ParseGoDuration("").status().message(), "invalid duration '': empty");
  EXPECT_EQ(ParseGoDuration("-1s").status().message(), "invalid duration '-1s': negative");
  EXPECT_EQ(ParseGoDuration("10").status().message(), "invalid duration '10': missing unit (ns, us, ms, s, m, h)");
  EXPECT_EQ(ParseGoDuration("10d").status().message(), "invalid duration '10d': unknown unit");
  EXPECT_EQ(ParseGoDuration("ms").status().message(), "invalid duration 'ms': expected a number");
  EXPECT_EQ(ParseGoDuration("99999999999h").status().message(), "invalid duration '99999999999h': too long");
}

TEST(MemoryBudgetTest, BoundsWhatIsHeldAndLetsAnOversizedRequestRunAlone) {
  MemoryBudget b(100);
  EXPECT_TRUE(b.Acquire(60, nullptr));
  std::atomic<bool> cancel{true};
  EXPECT_FALSE(b.Acquire(60, &cancel));  // would exceed 100 while 60 are held: waits, and is cancelled
  EXPECT_TRUE(b.Acquire(40, nullptr));   // fits
  b.Release(100);
  EXPECT_TRUE(b.Acquire(500, nullptr));  // larger than the budget, but alone
  b.Release(500);
  EXPECT_EQ(b.peak(), 500u);
}

}  // namespace
}  // namespace rubato::query::search
