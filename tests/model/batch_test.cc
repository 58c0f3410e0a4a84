#include "model/batch.h"

#include <gtest/gtest.h>

#include "model/batch_compare.h"

namespace rubato::model {
namespace {

// Builds a small two-resource batch with nested values.
void Build(Batch* b, std::string_view service) {
  KeyValue res_attrs[] = {{"service.name", AnyValue::String(b->Own(service))}};
  b->AddResource(b->AppendAttributes(res_attrs));
  b->AddScope("lib", "1.0");
  AnyValue elems[] = {AnyValue::Int(1), AnyValue::Double(2.5)};
  KeyValue inner[] = {{"k", AnyValue::Bool(true)}};
  KeyValue attrs[] = {{"arr", AnyValue::Array(b->AppendValues(elems))},
                      {"map", AnyValue::KvList(b->AppendAttributes(inner))},
                      {"s", AnyValue::String("v")}};
  Span s;
  s.trace_id = *TraceId::FromHex("5b8aa5a2d2c872e8321cf37308d69df2");
  s.span_id = *SpanId::FromHex("051581bf3cb55c13");
  s.name = "op";
  s.attributes = b->AppendAttributes(attrs);
  b->AddSpan(s);
  b->AddResource({});
  b->AddScope("", "");
}

TEST(BatchTest, HierarchyAndSharing) {
  Batch b;
  Build(&b, "svc");
  ASSERT_EQ(b.resources.size(), 2u);
  EXPECT_EQ(b.resources[0].scopes, (Range{0, 1}));
  EXPECT_EQ(b.resources[1].scopes, (Range{1, 1}));
  EXPECT_EQ(b.scopes[0].spans, (Range{0, 1}));
  EXPECT_EQ(b.scopes[1].spans, (Range{1, 0}));
  const Span& s = b.spans[0];
  EXPECT_TRUE(s.is_root());
  EXPECT_EQ(b.ResourceOf(s).attributes.count, 1u);
  EXPECT_EQ(b.Attributes(b.ResourceOf(s).attributes)[0].value.str, "svc");
  auto attrs = b.Attributes(s.attributes);
  ASSERT_EQ(attrs.size(), 3u);
  EXPECT_EQ(attrs[0].value.kind, ValueKind::kArray);
  EXPECT_EQ(b.Values(attrs[0].value.children)[1].dbl, 2.5);
  EXPECT_EQ(b.Attributes(attrs[1].value.children)[0].key, "k");
}

TEST(BatchTest, CompareFindsFirstDifference) {
  Batch a, b;
  Build(&a, "svc");
  Build(&b, "svc");
  EXPECT_EQ(DescribeDifference(a, b), "");
  Batch c;
  Build(&c, "other");
  EXPECT_EQ(DescribeDifference(a, c),
            "resources[0].attributes[0].value: \"svc\" != \"other\"");
}

TEST(BatchTest, BufferSurvivesMove) {
  Batch a;
  std::string_view v = a.AdoptBuffer("short");  // SSO-sized on purpose
  Batch b = std::move(a);
  EXPECT_EQ(b.buffer().data(), v.data());
  EXPECT_EQ(v, "short");
}

TEST(BatchTest, ClearKeepsCapacity) {
  Batch a;
  Build(&a, "svc");
  size_t cap = a.attributes.capacity();
  a.Clear();
  EXPECT_TRUE(a.spans.empty());
  EXPECT_TRUE(a.attributes.empty());
  EXPECT_EQ(a.attributes.capacity(), cap);
}

}  // namespace
}  // namespace rubato::model
