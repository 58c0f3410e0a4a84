#include "model/span_copy.h"

#include <gtest/gtest.h>

#include <memory>

#include "model/batch_compare.h"

namespace rubato::model {
namespace {

// A batch with one resource, two scopes and three spans, nested values included.
std::unique_ptr<Batch> Source() {
  auto b = std::make_unique<Batch>();
  std::string temporary = "svc-name";  // Own copies it, so the batch never points here
  KeyValue res[] = {{"service.name", AnyValue::String(b->Own(temporary))}};
  temporary.assign("overwritten");
  b->AddResource(b->AppendAttributes(res), "schema");
  for (int sc = 0; sc < 2; ++sc) {
    b->AddScope(sc == 0 ? "a" : "b", "1");
    for (int n = 0; n < (sc == 0 ? 2 : 1); ++n) {
      AnyValue elems[] = {AnyValue::String(b->Own("x")), AnyValue::Int(n)};
      KeyValue inner[] = {{"k", AnyValue::Array(b->AppendValues(elems))}};
      KeyValue attrs[] = {{"map", AnyValue::KvList(b->AppendAttributes(inner))}};
      KeyValue ev_attrs[] = {{"e", AnyValue::Double(1.5)}};
      Event ev{100, "ev", b->AppendAttributes(ev_attrs), 0};
      Span s;
      s.span_id.bytes[0] = static_cast<uint8_t>(sc * 10 + n + 1);
      s.name = b->Own("span");
      s.attributes = b->AppendAttributes(attrs);
      s.events = b->AppendEvents(std::span<const Event>(&ev, 1));
      b->AddSpan(s);
    }
  }
  return b;
}

TEST(SpanCopyTest, CopyOfAllSpansEqualsSource) {
  auto src = Source();
  Batch dst;
  uint32_t all[] = {0, 1, 2};
  CopySpans(*src, all, &dst);
  EXPECT_EQ(DescribeDifference(*src, dst), "");
}

TEST(SpanCopyTest, CopyOutlivesSourceAndGroupsByScope) {
  auto src = Source();
  Batch dst;
  uint32_t some[] = {1, 2};
  CopySpans(*src, some, &dst);
  src.reset();  // every copied byte must be owned by dst
  ASSERT_EQ(dst.spans.size(), 2u);
  ASSERT_EQ(dst.resources.size(), 1u);
  ASSERT_EQ(dst.scopes.size(), 2u);
  EXPECT_EQ(dst.scopes[0].name, "a");
  EXPECT_EQ(dst.scopes[1].name, "b");
  EXPECT_EQ(dst.Attributes(dst.resources[0].attributes)[0].value.str, "svc-name");
  const KeyValue& map = dst.Attributes(dst.spans[0].attributes)[0];
  const KeyValue& k = dst.Attributes(map.value.children)[0];
  EXPECT_EQ(dst.Values(k.value.children)[0].str, "x");
  EXPECT_EQ(dst.Values(k.value.children)[1].integer, 1);
  EXPECT_EQ(dst.Attributes(dst.Events(dst.spans[1].events)[0].attributes)[0].value.dbl, 1.5);
}

}  // namespace
}  // namespace rubato::model
