// Results of the spanset operators (all 17), `!{ … }` and the pipeline
// stages on the fixed dataset (dataset.h), with the exact spanset attributes.
#include <gtest/gtest.h>

#include "tests/query/traceql_eval/dataset.h"

namespace rubato::query::traceql::testing {
namespace {

struct Case {
  const char* query;
  std::string expected;
};

const std::string kA = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13";
const std::string kB = "b1 b2 b3 b4 b5 b6";
const std::string kC = "c1 c2 c3";
const std::string kD = "d1 d2 d3 d11 d4 d5 d6 d7 d8 d9 d10";
const std::string kE = "e1 e2 e3 e4";

void RunCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Run(c.query), c.expected) << c.query;
}

TEST(TraceqlSpansetResults, AndOr) {
  RunCases({
      {"{ name = \"validate_order\" } && { name = \"slow_lookup\" }", "a3 a9"},
      {"{ name = \"slow_lookup\" } && { status = error }", ""},
      {"{ name = \"slow_lookup\" } || { event:name = \"exception\" }", "a9 | b5 b6"},
      {"{ name = \"db\" } || { name = \"db.retry\" }", "d4 d8 d9"},
      {"{ resource.service.name = \"payment-service\" } && { status = error }", "b1 b2 b5 b6"},
  });
}

TEST(TraceqlSpansetResults, Structural) {
  RunCases({
      {"{ resource.service.name = \"order-service\" } >> { name = \"slow_lookup\" }", "a9"},
      {"{ name = \"check_inventory\" } > { }", "a5 | b4"},
      {"{ kind = client } > { kind = server }", "a5 a7 a11 a13 | b4 b6"},
      {"{ } < { name = \"check_inventory\" }", "a4 | b3"},
      {"{ kind = server } < { kind = client }", "a4 a6 a10 a12 | b3 b5"},
      {"{ name = \"slow_lookup\" } << { }", "a1 a2 a6 a7 a8"},
      {"{ name = \"validate_order\" } ~ { }", "a4 a6 a10 a12"},
      {"{ name = \"step\" } ~ { name = \"step\" }", "d3 d11 d5"},  // a span is not its own sibling
      {"{ name = \"audit\" } ~ { }", "c1"},  // orphans naming the same absent parent are siblings
      {"{ } ~ { }", "a3 a4 a6 a10 a12 | b3 b5 | c1 c3 | d2 d3 d11 d5 d6 d10 | e2 e3"},
      {"{ status = error } >> { status = error }", "b2 b5 b6"},
      {"{ } >> { name = \"render_template\" }", "c2"},  // c1's parent is absent: c1 has no ancestors
      {"{ } > { name = \"POST /notify\" }", "a13"},
      {"{ name = \"root\" } > { name = \"worker\" } > { name = \"step\" }", "d3 d11 d5 d7"},
      {"({ kind = client } > { kind = server }) && { name = \"validate_order\" }", "a3 a5 a7 a11 a13"},
      {"({ } | by(resource.service.name)) > { kind = server }", "a5 a7 a11 a13 | b4 b6"},
  });
}

TEST(TraceqlSpansetResults, NegatedStructural) {
  RunCases({
      {"{ status = error } !< { status = error }", "b6 | d4 d9"},  // the last error of a cascade
      {"{ } !< { resource.service.name = \"inventory-service\" }", "a5 a9 | b4"},  // leaves
      {"{ name = \"worker\" } !> { resource.service.name = \"batch-service\" }", "d1 d2 d4 d6 d8 d9 d10"},
      {"{ name = \"worker\" } !>> { resource.service.name = \"batch-service\" }", "d1 d2 d6 d10"},
      {"{ name = \"db\" } !<< { resource.service.name = \"batch-service\" }", "d11 d4 d5 d8 d9 d10"},
      {"{ span.step = 1 } !~ { name = \"step\" }", "d3 d7"},
      {"{ name = \"audit\" } !~ { resource.service.name = \"notification-service\" }", "a13 | c2 c3"},
      // An empty left side relates to nothing: the negations keep all of the right.
      {"{ name = \"nonexistent\" } !> { name = \"root\" }", "d1"},
      {"{ name = \"nonexistent\" } !~ { name = \"consume\" }", "e4"},
  });
}

TEST(TraceqlSpansetResults, UnionStructural) {
  RunCases({
      {"{ name = \"worker\" } &> { name = \"step\" }", "d2 d3 d11 d5 d6 d7"},
      {"{ name = \"db\" } &< { name = \"step\" }", "d3 d4 d7 d8"},
      {"{ name = \"root\" } &>> { status = error }", "d1 d4 d9"},
      {"{ name = \"db.retry\" } &<< { name = \"worker\" }", "d6 d9"},
      {"{ span.worker.id = 1 } &~ { name = \"worker\" }", "d2 d6 d10"},
      {"{ resource.service.name = \"order-service\" } &>> { resource.service.name = \"payment-service\" }",
       "a1 a2 a10 a11 | b1 b2 b5 b6"},
      {"{ name = \"nonexistent\" } &> { }", ""},
  });
}

TEST(TraceqlSpansetResults, NegatedFilter) {
  RunCases({
      {"!{ status = error }", kA + " | " + kC + " | " + kE},  // traces without an error
      {"!{ span.http.response.status_code >= 500 }", kA + " | " + kC + " | " + kD + " | " + kE},
      {"!{ }", ""},
      {"{ resource.service.name = \"payment-service\" } && !{ status = error }", kA},
      {"!{ status = error } | count() < 4", kC + " {count()=3}"},
  });
}

TEST(TraceqlSpansetResults, Aggregates) {
  RunCases({
      {"{ } | count() > 12", kA + " {count()=13}"},
      {"{ status = error } | count() = 2", "d4 d9 {count()=2}"},
      {"{ status = error } | count() >= 2", "b1 b2 b5 b6 {count()=4} | d4 d9 {count()=2}"},
      {"{ status = error } | count() != 4", "d4 d9 {count()=2}"},
      {"{ } | count() <= 3", kC + " {count()=3}"},
      {"{ } | count() > 1 | count() < 4", kC + " {count()=3}"},
      {"{ } | count() * 2 > 25", kA + " {count()=13}"},
      {"{ resource.service.name = \"batch-service\" } | avg(span:duration) > 20ms",
       kD + " {avg(span:duration)=25090909ns}"},
      {"{ } | avg(span:duration) > 100ms", kA + " {avg(span:duration)=144307692ns}"},
      {"{ } | max(span:duration) < 50ms",
       kC + " {max(span:duration)=30000000ns} | " + kE + " {max(span:duration)=10000000ns}"},
      {"{ } | min(duration) >= 4ms", kB + " {min(span:duration)=8000000ns} | " + kC +
                                         " {min(span:duration)=4000000ns} | " + kD + " {min(span:duration)=4000000ns}"},
      {"{ span.payment.amount != nil } | sum(span.payment.amount) > 100", "b6 {sum(span.payment.amount)=159.84}"},
      {"{ } | sum(span.http.response.status_code) > 1000",
       kA + " {sum(span.http.response.status_code)=1807} | " + kB + " {sum(span.http.response.status_code)=1906}"},
      {"{ } | avg(span.int) = 24.5", kE + " {avg(span.int)=24.5}"},
      {"{ status = error } | max(span.http.response.status_code) = 502",
       "b1 b2 b5 b6 {max(span.http.response.status_code)=502}"},
      {"{ } | min(span.payment.amount) < 20", kA + " {min(span.payment.amount)=19.98}"},
  });
}

TEST(TraceqlSpansetResults, GroupCoalesceSelect) {
  RunCases({
      {"{ status = error } | by(resource.service.name)",
       "b1 b2 b5 {by(resource.service.name)=\"order-service\"} | b6 {by(resource.service.name)=\"payment-service\"} | "
       "d4 d9 {by(resource.service.name)=\"batch-service\"}"},
      {"{ status = error } | by(resource.service.name) | count() > 1",
       "b1 b2 b5 {by(resource.service.name)=\"order-service\", count()=3} | "
       "d4 d9 {by(resource.service.name)=\"batch-service\", count()=2}"},
      {"{ resource.service.name = \"batch-service\" } | by(span.step)",
       "d1 d2 d11 d4 d6 d8 d9 d10 {by(span.step)=nil} | d3 {by(span.step)=1} | d5 {by(span.step)=2} | "
       "d7 {by(span.step)=3}"},
      {"{ kind = server } | by(span:status)",
       "a1 a11 {by(span:status)=ok} | a5 a7 a13 {by(span:status)=unset} | b1 b6 {by(span:status)=error} | "
       "b4 {by(span:status)=unset} | c1 {by(span:status)=unset}"},
      {"{ name = \"step\" } | by(span:parentID)",
       "d3 d11 d5 {by(span:parentID)=\"0000000000000402\"} | d7 {by(span:parentID)=\"0000000000000406\"}"},
      {"{ } | by(resource.service.name) | { kind = server }",
       "a1 {by(resource.service.name)=\"order-service\"} | a5 a7 {by(resource.service.name)=\"inventory-service\"} | "
       "a11 {by(resource.service.name)=\"payment-service\"} | "
       "a13 {by(resource.service.name)=\"notification-service\"} | "
       "b1 {by(resource.service.name)=\"order-service\"} | b4 {by(resource.service.name)=\"inventory-service\"} | "
       "b6 {by(resource.service.name)=\"payment-service\"} | c1 {by(resource.service.name)=\"notification-service\"}"},
      {"{ status = error } | by(resource.service.name) | coalesce()", "b1 b2 b5 b6 | d4 d9"},
      {"{ } | select(span.http.route)", kA + " | " + kB + " | " + kC + " | " + kD + " | " + kE},
      {"{ } | count() > 12 | select(span.http.route)", kA + " {count()=13}"},
  });
}

TEST(TraceqlSpansetResults, PipelinesCombined) {
  RunCases({
      {"({ status = error } | count() > 3) && { name = \"check_inventory\" }", "b1 b2 b3 b5 b6"},
      {"({ kind = server } | count() = 1) || ({ status = error } | count() = 2)", "c1 | d4 d9"},
      {"{ } | { kind = server }", "a1 a5 a7 a11 a13 | b1 b4 b6 | c1"},
      {"{ resource.service.name = \"batch-service\" } | { name = \"step\" } | count() = 4",
       "d3 d11 d5 d7 {count()=4}"},
      {"{ resource.service.name = \"batch-service\" } | { name = \"worker\" } > { name = \"step\" }",
       "d3 d11 d5 d7"},
  });
}

}  // namespace
}  // namespace rubato::query::traceql::testing
