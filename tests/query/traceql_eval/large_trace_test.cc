// The structural operators on traces of 10 000 spans: a chain 10 000 deep
// (nothing may recurse per level) and a fan-out of 10 000 siblings (nothing
// may compare all pairs). Results are checked exactly; no timing is asserted.
#include <gtest/gtest.h>

#include "query/traceql/evaluate.h"
#include "query/traceql/plan.h"

namespace rubato::query::traceql {
namespace {

constexpr uint32_t kSpans = 10'000;

model::SpanId IdOf(uint32_t n) {
  model::SpanId id;
  for (int k = 0; k < 4; ++k) id.bytes[7 - k] = static_cast<uint8_t>((n + 1) >> (8 * k));
  return id;
}

// Span k has attribute depth = k; in a chain its parent is span k-1, in a fan
// every span but 0 has parent 0.
struct LargeTrace {
  model::Batch batch;
  std::unique_ptr<TraceView> view;

  explicit LargeTrace(bool chain) {
    model::KeyValue res[] = {{"service.name", model::AnyValue::String("deep")}};
    batch.AddResource(batch.AppendAttributes(res));
    batch.AddScope("s", "1");
    for (uint32_t k = 0; k < kSpans; ++k) {
      model::Span s;
      s.trace_id.bytes[0] = 1;
      s.span_id = IdOf(k);
      if (k > 0) s.parent_span_id = IdOf(chain ? k - 1 : 0);
      s.name = k == 0 ? "root" : "n";
      s.start_time_unix_nano = 1000 + k;
      s.end_time_unix_nano = 1000 + 2 * kSpans - k;
      model::KeyValue attrs[] = {{"depth", model::AnyValue::Int(k)}};
      s.attributes = batch.AppendAttributes(attrs);
      batch.AddSpan(s);
    }
    std::vector<TraceView::SpanAt> at;
    // Handed over in reverse, so view order differs from start order.
    for (uint32_t k = kSpans; k-- > 0;) at.push_back({&batch, k});
    view = std::make_unique<TraceView>(std::move(at));
  }

  // The `depth` of each span of the single spanset, in result order; {-1} if
  // there is not exactly one spanset.
  std::vector<int64_t> Depths(std::string_view query) const {
    auto plan = Plan::Compile(query);
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    if (!plan.ok()) return {-1};
    std::vector<Spanset> sets = Evaluate(**plan, *view);
    if (sets.size() != 1) return {-1};
    std::vector<int64_t> out;
    for (uint32_t i : sets[0].spans) out.push_back(batch.Attributes(view->span(i).attributes)[0].value.integer);
    return out;
  }
};

std::vector<int64_t> Range(int64_t from, int64_t to) {  // [from, to]
  std::vector<int64_t> v;
  for (int64_t k = from; k <= to; ++k) v.push_back(k);
  return v;
}

TEST(TraceqlLargeTrace, DeepChain) {
  LargeTrace t(/*chain=*/true);
  EXPECT_EQ(t.Depths("{ span.depth = 0 } >> { span.depth = 9999 }"), (std::vector<int64_t>{9999}));
  EXPECT_EQ(t.Depths("{ } !< { }"), (std::vector<int64_t>{9999}));  // the one leaf
  EXPECT_EQ(t.Depths("{ span.depth = 9999 } << { }"), Range(0, 9998));
  EXPECT_EQ(t.Depths("{ span.depth = 5000 } &>> { span.depth > 9997 }"), (std::vector<int64_t>{5000, 9998, 9999}));
  EXPECT_EQ(t.Depths("{ span.depth = 5000 } !>> { span.depth >= 4999 }"), (std::vector<int64_t>{4999, 5000}));
  EXPECT_EQ(t.Depths("{ } ~ { }"), (std::vector<int64_t>{-1}));  // no siblings: no spanset
  EXPECT_EQ(t.Depths("{ span.depth % 1000 = 0 } > { }"), (std::vector<int64_t>{1, 1001, 2001, 3001, 4001, 5001, 6001, 7001, 8001, 9001}));
  EXPECT_EQ(t.Depths("{ } | count() = 10000 | { span.depth < 3 }"), (std::vector<int64_t>{0, 1, 2}));
}

TEST(TraceqlLargeTrace, WideFanOut) {
  LargeTrace t(/*chain=*/false);
  EXPECT_EQ(t.Depths("{ span.depth = 5 } ~ { }"), [] {
    std::vector<int64_t> v = Range(1, 9999);
    v.erase(v.begin() + 4);  // not itself
    return v;
  }());
  EXPECT_EQ(t.Depths("{ } < { }"), (std::vector<int64_t>{0}));
  EXPECT_EQ(t.Depths("{ span.depth > 9997 } &< { }"), (std::vector<int64_t>{0, 9998, 9999}));
  EXPECT_EQ(t.Depths("{ span.depth = 1 } !~ { name = \"n\" }"), (std::vector<int64_t>{1}));
  EXPECT_EQ(t.Depths("{ name = \"root\" } > { } | count() = 9999 | { span.depth > 9998 }"), (std::vector<int64_t>{9999}));
}

}  // namespace
}  // namespace rubato::query::traceql
