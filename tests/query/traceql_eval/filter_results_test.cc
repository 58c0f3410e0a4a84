// Results of `{ … }` filters on the fixed dataset (dataset.h): every
// comparison, arithmetic and logic operator, every intrinsic and scope, nil,
// arrays and mismatched types. Expected: the exact spans, in result order.
#include <gtest/gtest.h>

#include "tests/query/traceql_eval/dataset.h"

namespace rubato::query::traceql::testing {
namespace {

struct Case {
  const char* query;
  std::string expected;
};

// Every span of each trace, in start order (d3 and d11 start together: the smaller ID first).
const std::string kA = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13";
const std::string kB = "b1 b2 b3 b4 b5 b6";
const std::string kC = "c1 c2 c3";
const std::string kD = "d1 d2 d3 d11 d4 d5 d6 d7 d8 d9 d10";
const std::string kE = "e1 e2 e3 e4";

void RunCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Run(c.query), c.expected) << c.query;
}

TEST(TraceqlFilterResults, Names) {
  RunCases({
      {"{ }", kA + " | " + kB + " | " + kC + " | " + kD + " | " + kE},
      {"{ span:name = \"process_order\" }", "a2 | b2"},
      {"{ name = \"slow_lookup\" }", "a9"},
      {"{ span:name != \"step\" && resource.service.name = \"batch-service\" }", "d1 d2 d4 d6 d8 d9 d10"},
      {"{ span:name =~ \"POST.*\" }", "a1 a7 a11 a13 | b1 b6 | c1"},
      {"{ span:name =~ \"POST\" }", ""},  // fully anchored
      {"{ span:name !~ \".*_.*\" && resource.service.name = \"order-service\" }", "a1 | b1"},
      {"{ resource.service.name = \"batch-service\" && span:name >= \"step\" }", "d2 d3 d11 d5 d6 d7 d10"},
      {"{ resource.service.name = \"batch-service\" && span:name < \"r\" }", "d4 d8 d9"},
      {"{ resource.service.name = \"batch-service\" && span:name <= \"root\" }", "d1 d4 d8 d9"},
      {"{ resource.service.name = \"batch-service\" && span:name > \"step\" }", "d2 d6 d10"},
      {"{ name = \"step\" }", "d3 d11 d5 d7"},
      {"{ name = \"slow_lookup\" } with(most_recent=true)", "a9"},
  });
}

TEST(TraceqlFilterResults, KindAndStatus) {
  RunCases({
      {"{ span:kind = server }", "a1 a5 a7 a11 a13 | b1 b4 b6 | c1"},
      {"{ kind = client }", "a4 a6 a10 a12 | b3 b5"},
      {"{ kind = producer }", "e3"},
      {"{ kind = consumer }", "e4"},
      {"{ kind = unspecified }", "e2"},
      {"{ kind = internal && trace:rootService = \"types-service\" }", "e1"},
      {"{ kind != internal && resource.service.name = \"inventory-service\" }", "a5 a7 | b4"},
      {"{ status = error }", "b1 b2 b5 b6 | d4 d9"},
      {"{ span:status = ok }", "a1 a11 | e2"},
      {"{ status != unset }", "a1 a11 | b1 b2 b5 b6 | d4 d9 | e2"},
      {"{ status = unset && resource.service.name = \"payment-service\" }", ""},
      {"{ span:statusMessage = \"payment failed\" }", "b1 b5"},
      {"{ statusMessage =~ \".*timeout\" }", "b6"},
      {"{ (kind = server || kind = client) && status = error }", "b1 b5 b6"},
  });
}

TEST(TraceqlFilterResults, Durations) {
  RunCases({
      {"{ span:duration > 250ms }", "a1 a2 a6 a7 a8 a9"},
      {"{ duration >= 120ms }", "a1 a2 a6 a7 a8 a9 | b1"},
      {"{ duration < 2ms }", "e3"},
      {"{ duration <= 2ms }", "a3 | e2 e3 e4"},
      {"{ duration = 6ms }", "a5 a12 | d4 d9"},
      {"{ duration != 6ms && resource.service.name = \"inventory-service\" }", "a7 a8 a9 | b4"},
      {"{ trace:duration > 300ms }", kA},
      {"{ traceDuration < 50ms }", kC + " | " + kE},
      {"{ span:duration - 100ms > 200ms }", "a1 a2"},
      {"{ span:duration * 2 > trace:duration }", "a1 a2 a6 a7 a8 a9 | b1 b2 b5 b6 | c1 c2 | d1 | e1"},
      {"{ span:duration / trace:duration > 0.9 }", "a1 a2 | b1 b2 | d1 | e1"},
      {"{ span:duration + 1ms = 3ms }", "a3 | e2 e4"},
  });
}

TEST(TraceqlFilterResults, IdsAndCounts) {
  RunCases({
      {"{ span:id = \"0000000000000109\" }", "a9"},
      {"{ span:parentID = \"0000000000000402\" }", "d3 d11 d5"},
      {"{ span:parentID = \"00000000deadbeef\" }", "c1 c3"},
      {"{ !(span:parentID =~ \".*\") }", "a1 | b1 | d1 | e1"},  // roots have no parent ID
      {"{ trace:id = \"ab000000000000000000000000000003\" }", kC},
      {"{ span:id =~ \"00000000000001..\" && span:childCount = 0 }", "a3 a5 a9 a11 a13"},
      {"{ span:childCount > 2 }", "a2 | d1 d2"},
      {"{ span:childCount = 1 }", "a1 a4 a6 a7 a8 a10 a12 | b1 b3 b5 | c1 | d3 d6 d7 d8 | e3"},
  });
}

TEST(TraceqlFilterResults, TraceIntrinsics) {
  RunCases({
      {"{ trace:rootName = \"POST /orders\" && span:kind = server }", "a1 a5 a7 a11 a13 | b1 b4 b6"},
      {"{ trace:rootService = \"notification-service\" }", ""},  // trace c has no root
      {"{ rootServiceName = \"batch-service\" && name = \"root\" }", "d1"},
      {"{ rootName = \"types\" && kind = consumer }", "e4"},
      {"{ !(trace:rootName =~ \".*\") }", kC},
      {"{ trace:rootService =~ \".+\" && span:kind = producer }", "e3"},
  });
}

TEST(TraceqlFilterResults, InstrumentationScope) {
  RunCases({
      {"{ instrumentation:name = \"payment-lib\" }", "a11 | b6"},
      {"{ instrumentation:version = \"2.0\" }", "a11 | b6"},
      {"{ instrumentation:name = \"\" }", kE},
      {"{ instrumentation.lang = \"cpp\" }", "a1 a2 a3 a4 a6 a10 a12"},
  });
}

TEST(TraceqlFilterResults, Events) {
  RunCases({
      {"{ event:name = \"exception\" }", "b5 b6"},
      {"{ event.exception.message = \"upstream timeout\" }", "b6"},
      {"{ event.exception.message =~ \".*declined\" }", "b5"},
      {"{ event:name = \"retry\" && event.retry.attempt = 1 }", "b6"},
      // Each comparison holds on any event, not necessarily the same one.
      {"{ event:name = \"retry\" && event.exception.message = \"upstream timeout\" }", "b6"},
      {"{ event:timeSinceStart > 80ms }", "b5"},
      {"{ event:timeSinceStart < 2ms }", "a9"},
      {"{ event.exception.message = nil && status = error }", "b1 b2 | d4 d9"},
      {"{ event.exception.message != nil }", "b5 b6"},
      {"{ event.exception.escaped = true }", "b6"},
      {"{ event:name != \"exception\" }", "a9 | b6"},
      {"{ event.cache.key = \"book\" }", "a9"},
      {"{ !(event:name =~ \".*\") && resource.service.name = \"payment-service\" }", "a11"},
  });
}

TEST(TraceqlFilterResults, Links) {
  RunCases({
      {"{ link:traceID = \"ab000000000000000000000000000002\" }", "a13"},
      {"{ link:spanID = \"000000000000010b\" }", "b6"},
      {"{ link.link.kind = \"follows\" }", "a13"},
      {"{ link:traceID =~ \".*\" }", "a13 | b6"},
      {"{ !(link:spanID =~ \".*\") && resource.service.name = \"payment-service\" }", "a11"},
  });
}

TEST(TraceqlFilterResults, AttributeScopes) {
  RunCases({
      {"{ span.http.response.status_code = 502 }", "b1 b5 b6"},
      {"{ span.http.response.status_code >= 500 }", "b1 b5 b6"},
      {"{ .http.response.status_code = 200 }", "a4 a5 a6 a7 | b3 b4"},
      {"{ resource.deployment.environment = \"demo\" }", "a1 a2 a3 a4 a6 a10 a12"},
      {"{ .deployment.environment = \"demo\" }", "a1 a2 a3 a4 a6 a10 a12"},
      {"{ span.deployment.environment = \"demo\" }", ""},
      {"{ .dup = \"span\" }", "a2 | e1"},  // unscoped: the span's own first
      {"{ .dup = \"resource\" }", "a1 a3 a4 a6 a10 a12 | e2 e3 e4"},
      {"{ resource.dup = \"resource\" && span.dup = \"span\" }", "a2 | e1"},
      {"{ resource.ronly = \"r\" && span:name = \"types\" }", "e1"},
      {"{ .ronly = \"r\" && kind = producer }", "e3"},
      {"{ span.inventory.demand = \"high\" && resource.service.name = \"inventory-service\" }", "a8"},
      {"{ span.\"a b\" = \"spaced\" }", "e1"},
      {"{ parent.resource.service.name = \"order-service\" && resource.service.name != \"order-service\" }",
       "a5 a7 a11 a13 | b4 b6"},
      {"{ parent.span.step = 1 }", "d4"},
      {"{ parent.span.step != nil }", "d4 d8"},
      {"{ parent.http.request.method = \"POST\" }", "a2 a7 a11 a13 | b2 b6"},
      {"{ parent.span.worker.id = nil && span:name = \"worker\" }", "d2 d6 d10"},
  });
}

TEST(TraceqlFilterResults, TypesAndMismatches) {
  RunCases({
      {"{ span.str = \"abc\" }", "e1"},
      {"{ span.str > \"abc\" }", "e2"},
      {"{ span.int = 42 }", "e1"},
      {"{ span.int > 10 }", "e1"},
      {"{ span.int < 10 }", "e2"},
      {"{ span.int = 42.0 }", "e1"},    // int attribute, float literal
      {"{ span.float = 1 }", "e2"},      // float attribute, int literal
      {"{ span.float >= 2.5 }", "e1"},
      {"{ span.bool = true }", "e1"},
      {"{ span.bool = false }", "e2"},
      {"{ span.bool != true }", "e2"},
      {"{ span.bool }", "e1"},           // a bare boolean attribute: is it true?
      {"{ !span.bool && trace:rootService = \"types-service\" }", "e2 e3 e4"},
      {"{ span.missing || span.bool }", "e1"},
      {"{ span.neg = -7 }", "e1"},
      {"{ span.neg < -6 }", "e1"},
      {"{ -span.neg = 7 }", "e1"},
      {"{ span.big = 9223372036854775807 }", "e1"},
      // Values of different types are never equal nor unequal.
      {"{ span.str = 42 }", ""},
      {"{ span.str != 42 }", ""},
      {"{ span.numstr = 500 }", ""},
      {"{ span.numstr = \"500\" }", "e1"},
      {"{ span.int = \"42\" }", ""},
      {"{ span.bool = 1 }", ""},
      {"{ span.bytes != nil }", "e1"},
      {"{ span.bytes = \"x\" }", ""},
      {"{ span.bytes != \"x\" }", ""},
      {"{ span.map != nil }", "e1"},
  });
}

TEST(TraceqlFilterResults, NilAndNegation) {
  RunCases({
      {"{ span.empty = nil && name = \"types\" }", "e1"},  // an OTLP empty value is no value
      {"{ span.empty != nil }", ""},
      {"{ span.missing = nil && name = \"types\" }", "e1"},
      {"{ span.missing != \"x\" }", ""},
      {"{ span.missing =~ \".*\" }", ""},
      {"{ span.missing !~ \"x\" }", ""},
      {"{ span.str != nil && span.int != nil }", "e1 e2"},
      {"{ !(span.str = \"abc\") && trace:rootService = \"types-service\" }", "e2 e3 e4"},
      {"{ !(span:name = \"step\") && resource.service.name = \"batch-service\" }", "d1 d2 d4 d6 d8 d9 d10"},
      {"{ !(span.order.quantity > 5) && name = \"process_order\" }", "a2"},
  });
}

TEST(TraceqlFilterResults, Arrays) {
  RunCases({
      {"{ span.arr_str = \"b\" }", "e1"},
      {"{ span.arr_str != \"b\" }", ""},  // != holds when no element is equal
      {"{ span.arr_str != \"c\" }", "e1"},
      {"{ span.arr_str =~ \"a|z\" }", "e1"},
      {"{ span.arr_str !~ \"[ab]\" }", ""},
      {"{ span.arr_str !~ \"z\" }", "e1"},
      {"{ span.arr_str > \"a\" }", "e1"},
      {"{ span.arr_int > 2 }", "e1"},
      {"{ span.arr_int > 3 }", ""},
      {"{ span.arr_int = 2.0 }", "e1"},
      {"{ span.arr_int != \"x\" }", ""},  // no element of a comparable type
      {"{ span.arr_float < 2 }", "e1"},
      {"{ span.arr_empty != nil }", "e1"},
      {"{ span.arr_empty = 1 }", ""},
      {"{ span.arr_empty != 1 }", ""},
      {"{ span.tags = \"retry\" }", "b6"},
      {"{ span.retry.codes = 500 }", "b5"},
      {"{ span.retry.codes != 503 }", "b5"},
  });
}

TEST(TraceqlFilterResults, Arithmetic) {
  RunCases({
      {"{ span.int + 8 = 50 }", "e1"},
      {"{ span.int - 2 = 40 }", "e1"},
      {"{ span.int * 2 = 84 }", "e1"},
      {"{ span.int / 4 = 10 }", "e1"},   // integer division
      {"{ span.int / 4 = 10.5 }", ""},
      {"{ span.float / 2 = 1.25 }", "e1"},
      {"{ span.int % 5 = 2 }", "e1 e2"},
      {"{ span.float % 2 = 0.5 }", ""},  // % is for integers
      {"{ span.int ^ 2 = 1764 }", "e1"},
      {"{ span.float ^ 2 = 6.25 }", "e1"},
      {"{ (span.int + 1) * 2 = 86 }", "e1"},
      {"{ span.float * 2 = 5 }", "e1"},
      {"{ span.big * 2 > span.big }", "e1"},  // overflow continues in floating point
      {"{ span.int / 0 = 0 }", ""},
      {"{ span.int / 0 != 0 }", ""},
      {"{ span.int + span.missing = 42 }", ""},
      {"{ span.payment.amount > 100 }", "b6"},
      {"{ span.order.quantity * 10 >= 80 }", "b2"},
      {"{ span.str + 1 = 1 }", ""},
  });
}

TEST(TraceqlFilterResults, Logic) {
  RunCases({
      {"{ span.int = 42 || span.int = 7 }", "e1 e2"},
      {"{ span:name = \"step\" && span.step >= 2 }", "d5 d7"},
      {"{ span:name = \"step\" && (span.step = 1 || span.step = nil) }", "d3 d11"},
      {"{ !(span.int = 42 || span.int = 7) && name != \"consume\" && trace:rootService = \"types-service\" }", "e3"},
  });
}

}  // namespace
}  // namespace rubato::query::traceql::testing
