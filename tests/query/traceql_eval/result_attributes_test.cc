// ResultAttributes (what a search result shows beside each matched span) and
// the lifetime of computed spanset attribute values.
#include <gtest/gtest.h>

#include <algorithm>

#include "query/traceql/plan.h"
#include "tests/query/traceql_eval/dataset.h"

namespace rubato::query::traceql::testing {
namespace {

// Index of the span labelled `label` in its trace's view.
uint32_t IndexOf(const TraceView& t, std::string_view label) {
  for (uint32_t i = 0; i < t.size(); ++i) {
    if (TheDataset().Label(t, i) == label) return i;
  }
  ADD_FAILURE() << "no span " << label;
  return 0;
}

const TraceView& TraceOf(std::string_view label) { return TheDataset().traces[label[0] - 'a']; }

// "key=value" of each attribute ResultAttributes shows for `label`, sorted.
std::vector<std::string> Shown(std::string_view query, std::string_view label) {
  auto plan = Plan::Compile(query);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return {};
  const TraceView& t = TraceOf(label);
  std::vector<std::string> out;
  for (const model::KeyValue& kv : ResultAttributes(**plan, t, IndexOf(t, label))) {
    std::string v;
    switch (kv.value.kind) {
      case model::ValueKind::kString: v = "\"" + std::string(kv.value.str) + "\""; break;
      case model::ValueKind::kInt: v = std::to_string(kv.value.integer); break;
      case model::ValueKind::kBool: v = kv.value.boolean ? "true" : "false"; break;
      case model::ValueKind::kArray: v = "array[" + std::to_string(kv.value.children.count) + "]"; break;
      default: v = "?"; break;
    }
    out.push_back(std::string(kv.key) + "=" + v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using Strings = std::vector<std::string>;

TEST(TraceqlResultAttributes, ReferencedAndSelectedByBareName) {
  const char* q = "{ status = error && span.http.response.status_code >= 500 } | select(span.http.route, resource.service.name)";
  EXPECT_EQ(Shown(q, "b1"),
            (Strings{"http.response.status_code=502", "http.route=\"/orders\"", "service.name=\"order-service\""}));
  EXPECT_EQ(Shown(q, "b6"), (Strings{"http.response.status_code=502", "service.name=\"payment-service\""}));
  EXPECT_EQ(Shown("{ span:name = \"slow_lookup\" }", "a9"), Strings{});  // intrinsics only
}

TEST(TraceqlResultAttributes, ScopesEventsAndArrays) {
  EXPECT_EQ(Shown("{ .dup != nil }", "a2"), Strings{"dup=\"span\""});      // the span's own first
  EXPECT_EQ(Shown("{ .dup != nil }", "a1"), Strings{"dup=\"resource\""});  // then the resource's
  EXPECT_EQ(Shown("{ event.exception.message != nil }", "b6"), Strings{"exception.message=\"upstream timeout\""});
  EXPECT_EQ(Shown("{ instrumentation.lang = \"cpp\" }", "a3"), Strings{"lang=\"cpp\""});
  EXPECT_EQ(Shown("{ link.link.kind != nil }", "a13"), Strings{"link.kind=\"follows\""});
  EXPECT_EQ(Shown("{ span.tags = \"retry\" }", "b6"), Strings{"tags=array[2]"});
  EXPECT_EQ(Shown("{ parent.span.step = 1 }", "d4"), Strings{});  // the parent's value is not this span's
  EXPECT_EQ(Shown("{ span.empty = nil }", "e1"), Strings{});       // an empty value is not shown
}

TEST(TraceqlResultAttributes, ComputedStringsOutliveTheirSpanset) {
  auto plan = Plan::Compile("{ name = \"step\" } | by(span:id)");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::vector<SpansetAttribute> kept;
  {
    std::vector<Spanset> sets = Evaluate(**plan, TheDataset().traces[3]);
    ASSERT_EQ(sets.size(), 4u);
    for (Spanset& s : sets) kept.push_back(s.attributes.at(0));
  }
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_EQ(kept[0].key, "by(span:id)");
  EXPECT_EQ(kept[0].value.str, SpanIdHex("d3"));
  EXPECT_EQ(kept[1].value.str, SpanIdHex("d11"));
  EXPECT_EQ(kept[2].value.str, SpanIdHex("d5"));
  EXPECT_EQ(kept[3].value.str, SpanIdHex("d7"));
  EXPECT_EQ(kept[3].type, ValueType::kString);
}

TEST(TraceqlResultAttributes, AttributeTypes) {
  auto plan = Plan::Compile("{ } | by(span:kind) | avg(span:duration) > 0ms");
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  std::vector<Spanset> sets = Evaluate(**plan, TheDataset().traces[4]);
  ASSERT_EQ(sets.size(), 4u);
  ASSERT_EQ(sets[0].attributes.size(), 2u);
  EXPECT_EQ(sets[0].attributes[0].type, ValueType::kKind);
  EXPECT_EQ(sets[0].attributes[0].value.str, "internal");
  EXPECT_EQ(sets[0].attributes[1].type, ValueType::kDuration);
  EXPECT_EQ(sets[0].attributes[1].value.integer, 10'000'000);
  EXPECT_EQ(RenderAttribute(sets[1].attributes[0]), "unspecified");
  EXPECT_EQ(RenderAttribute(sets[2].attributes[0]), "producer");
  EXPECT_EQ(RenderAttribute(sets[3].attributes[0]), "consumer");
}

}  // namespace
}  // namespace rubato::query::traceql::testing
