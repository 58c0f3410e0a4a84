// The recording fast paths: inline attributes (keys told apart by a bitmask
// of their lengths, short copies), the name of a new span, and the sampler
// shortcuts, against what the slow paths record.
#include <gtest/gtest.h>

#include <string>

#include "sdk/trace/sampler_shortcut.h"
#include "sdk/trace/span_record.h"
#include "tests/sdk/trace/test_provider.h"

namespace rubato::sdk {
namespace {

using testing::AttributeMap;
using testing::TestProvider;

AttributeMap OnlyAttributes(TestProvider& tp) {
  auto spans = tp.spans();
  EXPECT_EQ(spans.size(), 1u);
  return spans.empty() ? AttributeMap() : spans[0].attributes;
}

TEST(FastPathTest, KeysAndValuesOfEveryShortLengthAreCopiedExactly) {
  TestProvider tp;
  AttributeMap expected;
  {
    Span span = tp.tracer().StartSpan("op");
    // Lengths around each copy strategy's edges (1-3, 4-7, 8-16, 17-32, more).
    for (size_t n : {1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100}) {
      std::string key = "k" + std::string(n - 1, static_cast<char>('a' + n % 26));
      std::string value(n, static_cast<char>('A' + n % 26));
      value.back() = 'z';
      span.SetAttribute(key, value);
      expected[key] = value;
    }
  }
  EXPECT_EQ(OnlyAttributes(tp), expected);
}

TEST(FastPathTest, KeysOfEqualLengthOrLengthsSixtyFourApartStayDistinct) {
  TestProvider tp;
  std::string k65(65, 'x');
  {
    Span span = tp.tracer().StartSpan("op");
    span.SetAttribute("ab", 1).SetAttribute("cd", 2).SetAttribute("a", 3).SetAttribute(k65, 4);
    span.SetAttribute("cd", 5).SetAttribute(k65, 6);  // replaced in place
  }
  EXPECT_EQ(OnlyAttributes(tp), (AttributeMap{{"ab", "1"}, {"cd", "5"}, {"a", "3"}, {k65, "6"}}));
}

TEST(FastPathTest, ASpanAfterAnUncommonOneStartsClean) {
  TestProvider tp;
  {
    Span big = tp.tracer().StartSpan(std::string(300, 'n'));  // longer than a record's initial buffer
    for (int i = 0; i < 40; ++i) big.SetAttribute("key" + std::to_string(i), std::string(50, 'v'));
    big.SetAttribute("key0", "replaced").SetStatus(StatusCode::kError, "bad").AddEvent("e");
  }
  {
    Span small = tp.tracer().StartSpan("small");
    small.SetAttribute("key0", 1);
  }
  auto spans = tp.spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, std::string(300, 'n'));
  EXPECT_EQ(spans[0].attributes.size(), 40u);
  EXPECT_EQ(spans[0].attributes.at("key0"), "replaced");
  EXPECT_EQ(spans[1].name, "small");
  EXPECT_EQ(spans[1].attributes, (AttributeMap{{"key0", "1"}}));
  EXPECT_EQ(spans[1].status, StatusCode::kUnset);
  EXPECT_EQ(spans[1].status_message, "");
}

TEST(FastPathTest, RecordArrayKeepsEntriesAcrossGrowth) {
  RecordArray<StoredAttribute> a;
  for (uint32_t i = 0; i < 100; ++i) a.emplace_back().key_begin = i;
  ASSERT_EQ(a.size(), 100u);
  for (uint32_t i = 0; i < 100; ++i) EXPECT_EQ(a[i].key_begin, i);
  uint32_t capacity = a.capacity();
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.capacity(), capacity);
  EXPECT_EQ(a.emplace_back().key_size, 0u);  // value-initialized
}

TEST(FastPathTest, SamplerShortcutsOnlyForTheBuiltInsTheyMatch) {
  EXPECT_EQ(ShortcutFor(*AlwaysOnSampler()), SamplerShortcut::kAlwaysOn);
  EXPECT_EQ(ShortcutFor(*ParentBasedSampler(AlwaysOnSampler())), SamplerShortcut::kParentBasedAlwaysOn);
  EXPECT_EQ(ShortcutFor(*AlwaysOffSampler()), SamplerShortcut::kNone);
  EXPECT_EQ(ShortcutFor(*TraceIdRatioSampler(0.5)), SamplerShortcut::kNone);
  EXPECT_EQ(ShortcutFor(*ParentBasedSampler(AlwaysOffSampler())), SamplerShortcut::kNone);
  EXPECT_EQ(ShortcutFor(*ParentBasedSampler(AlwaysOnSampler(), nullptr, AlwaysOnSampler(), nullptr, nullptr)),
            SamplerShortcut::kNone);
}

TEST(FastPathTest, ParentBasedShortcutFollowsTheParentLikeTheSampler) {
  auto sampler = ParentBasedSampler(AlwaysOnSampler());
  model::TraceId trace_id;
  trace_id.bytes[15] = 1;
  for (bool valid : {false, true}) {
    for (bool sampled : {false, true}) {
      for (bool remote : {false, true}) {
        SpanContext parent;
        if (valid) {
          parent.trace_id = trace_id;
          parent.span_id.bytes[0] = 1;
        }
        parent.trace_flags = sampled ? SpanContext::kSampled : 0;
        parent.remote = remote;
        Context context = Context().WithSpanContext(parent);
        EXPECT_EQ(ShortcutDecision(SamplerShortcut::kParentBasedAlwaysOn, parent),
                  sampler->ShouldSample(context, trace_id, "op", SpanKind::kInternal))
            << valid << sampled << remote;
      }
    }
  }
}

}  // namespace
}  // namespace rubato::sdk
