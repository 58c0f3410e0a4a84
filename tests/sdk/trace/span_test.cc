// What a span records: attributes of every kind, replacement, limits and
// dropped counts, status rules, events, exceptions, links, names, End.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <thread>

#include "sdk/trace/tracer.h"
#include "tests/sdk/trace/test_provider.h"

namespace rubato::sdk {
namespace {

using testing::ExportedSpan;
using testing::TestProvider;

ExportedSpan Only(TestProvider& tp) {
  std::vector<ExportedSpan> spans = tp.spans();
  EXPECT_EQ(spans.size(), 1u);
  return spans.empty() ? ExportedSpan() : spans[0];
}

TEST(SpanTest, RecordsAttributesOfEveryKind) {
  TestProvider tp;
  {
    Span span = tp.tracer().StartSpan("op", {.kind = SpanKind::kServer});
    const std::array<std::string_view, 2> strs = {"a", "b"};
    const std::array<bool, 2> bools = {true, false};
    const std::array<int64_t, 3> ints = {1, -2, 3};
    const std::array<double, 1> doubles = {0.5};
    std::string temporary = "copied";
    span.SetAttribute("s", temporary)
        .SetAttribute("c", "literal")
        .SetAttribute("b", true)
        .SetAttribute("i", 42)
        .SetAttribute("i64", int64_t{-7})
        .SetAttribute("u32", uint32_t{4000000000u})
        .SetAttribute("d", 2.5)
        .SetAttribute("sa", std::span<const std::string_view>(strs))
        .SetAttribute("ba", std::span<const bool>(bools))
        .SetAttribute("ia", std::span<const int64_t>(ints))
        .SetAttribute("da", std::span<const double>(doubles));
    temporary = "overwritten";  // the span keeps its own copy
  }
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.name, "op");
  EXPECT_EQ(s.kind, SpanKind::kServer);
  testing::AttributeMap expected = {{"s", "copied"},  {"c", "literal"},   {"b", "true"},
                                    {"i", "42"},      {"i64", "-7"},      {"u32", "4000000000"},
                                    {"d", "2.500000"}, {"sa", "[a,b]"},    {"ba", "[true,false]"},
                                    {"ia", "[1,-2,3]"}, {"da", "[0.500000]"}};
  EXPECT_EQ(s.attributes, expected);
  EXPECT_EQ(s.scope_name, "test-scope");
  EXPECT_EQ(s.scope_version, "1.2.3");
  EXPECT_EQ(s.resource.at("service.name"), "test-service");
  EXPECT_GT(s.end, 0u);
  EXPECT_GE(s.end, s.start);
}

TEST(SpanTest, SetAttributeOnAnExistingKeyReplacesIt) {
  TestProvider tp;
  {
    Span span = tp.tracer().StartSpan("op");
    span.SetAttribute("k", "first").SetAttribute("other", 1).SetAttribute("k", 2).SetAttribute("k", "third");
  }
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.attributes, (testing::AttributeMap{{"k", "third"}, {"other", "1"}}));
  EXPECT_EQ(s.dropped_attributes, 0u);
}

TEST(SpanTest, ReplacingOneKeyManyTimesStaysCorrect) {
  // Exercises the record's garbage compaction: 10k replacements of a 1 KiB value.
  TestProvider tp;
  {
    Span span = tp.tracer().StartSpan("op");
    span.SetAttribute("keep", "me");
    for (int i = 0; i < 10000; ++i) span.SetAttribute("k", std::string(1024, static_cast<char>('a' + i % 26)));
    span.UpdateName("renamed-after-compaction");
  }
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.name, "renamed-after-compaction");
  EXPECT_EQ(s.attributes.at("keep"), "me");
  EXPECT_EQ(s.attributes.at("k"), std::string(1024, static_cast<char>('a' + 9999 % 26)));
}

TEST(SpanTest, AttributeCountLimitDropsNewKeysAndCountsThem) {
  SpanLimits limits;
  limits.attribute_count = 2;
  TestProvider tp(limits);
  {
    Span span = tp.tracer().StartSpan("op");
    span.SetAttribute("a", 1).SetAttribute("b", 2).SetAttribute("c", 3).SetAttribute("d", 4);
    span.SetAttribute("a", 10);  // replacing an existing key is still allowed at the limit
  }
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.attributes, (testing::AttributeMap{{"a", "10"}, {"b", "2"}}));
  EXPECT_EQ(s.dropped_attributes, 2u);
}

TEST(SpanTest, ValueLengthLimitTruncatesStringsWithoutSplittingUtf8) {
  SpanLimits limits;
  limits.attribute_value_length = 4;
  TestProvider tp(limits);
  {
    Span span = tp.tracer().StartSpan("op");
    const std::array<std::string_view, 2> strs = {"abcdefg", "xy"};
    span.SetAttribute("ascii", "abcdefg")
        .SetAttribute("utf8", "ab\xc3\xa9z")  // "abéz": byte 4 would split the é
        .SetAttribute("short", "ab")
        .SetAttribute("array", std::span<const std::string_view>(strs))
        .SetAttribute("int", 123456789);
    span.AddEvent("e", {{"long", "0123456789"}});
  }
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.attributes.at("ascii"), "abcd");
  EXPECT_EQ(s.attributes.at("utf8"), "ab\xc3\xa9");
  EXPECT_EQ(s.attributes.at("short"), "ab");
  EXPECT_EQ(s.attributes.at("array"), "[abcd,xy]");
  EXPECT_EQ(s.attributes.at("int"), "123456789");
  EXPECT_EQ(s.events.at(0).attributes.at("long"), "0123");
}

TEST(SpanTest, EventAndLinkLimitsDropAndCount) {
  SpanLimits limits;
  limits.event_count = 2;
  limits.link_count = 1;
  limits.event_attribute_count = 1;
  limits.link_attribute_count = 1;
  TestProvider tp(limits);
  SpanContext linked{.trace_id = *model::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                     .span_id = *model::SpanId::FromHex("b7ad6b7169203331"),
                     .trace_flags = 1,
                     .remote = true,
                     .trace_state = "congo=t61rcWkgMzE"};
  {
    Span span = tp.tracer().StartSpan("op");
    span.AddEvent("e1", {{"x", 1}, {"y", 2}}, 1000);
    span.AddEvent("e2", {}, 2000);
    span.AddEvent("e3");
    span.AddLink(linked, {{"l1", "v"}, {"l2", "w"}});
    span.AddLink(linked);
  }
  ExportedSpan s = Only(tp);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].name, "e1");
  EXPECT_EQ(s.events[0].time, 1000u);
  EXPECT_EQ(s.events[0].attributes, (testing::AttributeMap{{"x", "1"}}));
  EXPECT_EQ(s.events[0].dropped_attributes, 1u);
  EXPECT_EQ(s.events[1].name, "e2");
  EXPECT_EQ(s.dropped_events, 1u);
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].trace_id.ToHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(s.links[0].span_id.ToHex(), "b7ad6b7169203331");
  EXPECT_EQ(s.links[0].trace_state, "congo=t61rcWkgMzE");
  EXPECT_EQ(s.links[0].attributes, (testing::AttributeMap{{"l1", "v"}}));
  EXPECT_EQ(s.links[0].dropped_attributes, 1u);
  EXPECT_EQ(s.links[0].flags, 0x301u);  // sampled, and OTLP's "parent is remote" known and set
  EXPECT_EQ(s.dropped_links, 1u);
}

TEST(SpanTest, EventTimeDefaultsToNow) {
  TestProvider tp;
  { tp.tracer().StartSpan("op").AddEvent("now"); }
  ExportedSpan s = Only(tp);
  EXPECT_GE(s.events.at(0).time, s.start);
  EXPECT_LE(s.events.at(0).time, s.end);
}

TEST(SpanTest, RecordExceptionAddsTheSemconvEvent) {
  TestProvider tp;
  {
    Span span = tp.tracer().StartSpan("op");
    span.RecordException("std::runtime_error", "boom", "frame 1\nframe 2");
    span.RecordException("std::bad_alloc", "");
  }
  ExportedSpan s = Only(tp);
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].name, "exception");
  EXPECT_EQ(s.events[0].attributes, (testing::AttributeMap{{"exception.type", "std::runtime_error"},
                                                           {"exception.message", "boom"},
                                                           {"exception.stacktrace", "frame 1\nframe 2"}}));
  EXPECT_EQ(s.events[1].attributes, (testing::AttributeMap{{"exception.type", "std::bad_alloc"}}));
  EXPECT_EQ(s.status, StatusCode::kUnset);  // recording an exception does not set the status
}

struct StatusRow {
  const char* rule;
  std::vector<std::pair<StatusCode, std::string>> calls;
  StatusCode code;
  std::string message;
};

TEST(SpanTest, StatusRules) {
  const StatusRow rows[] = {
      {"default is Unset", {}, StatusCode::kUnset, ""},
      {"Error keeps its description", {{StatusCode::kError, "bad"}}, StatusCode::kError, "bad"},
      {"Ok drops a description", {{StatusCode::kOk, "ignored"}}, StatusCode::kOk, ""},
      {"Ok is final", {{StatusCode::kOk, ""}, {StatusCode::kError, "late"}}, StatusCode::kOk, ""},
      {"Error can become Ok", {{StatusCode::kError, "bad"}, {StatusCode::kOk, ""}}, StatusCode::kOk, ""},
      {"setting Unset is ignored", {{StatusCode::kError, "bad"}, {StatusCode::kUnset, "x"}}, StatusCode::kError, "bad"},
      {"a later Error replaces the description", {{StatusCode::kError, "a"}, {StatusCode::kError, "b"}},
       StatusCode::kError, "b"},
  };
  for (const StatusRow& row : rows) {
    TestProvider tp;
    {
      Span span = tp.tracer().StartSpan("op");
      for (const auto& [code, desc] : row.calls) span.SetStatus(code, desc);
    }
    ExportedSpan s = Only(tp);
    EXPECT_EQ(s.status, row.code) << row.rule;
    EXPECT_EQ(s.status_message, row.message) << row.rule;
  }
}

TEST(SpanTest, UpdateNameReplacesTheName) {
  TestProvider tp;
  { tp.tracer().StartSpan("a-long-original-name").UpdateName("short").UpdateName("a-longer-final-name!"); }
  EXPECT_EQ(Only(tp).name, "a-longer-final-name!");
}

TEST(SpanTest, EndIsIdempotentAndLaterSettersAreIgnored) {
  TestProvider tp;
  Span span = tp.tracer().StartSpan("op");
  span.SetAttribute("before", 1);
  EXPECT_TRUE(span.IsRecording());
  span.End(5000);
  EXPECT_FALSE(span.IsRecording());
  span.SetAttribute("after", 2).AddEvent("late").SetStatus(StatusCode::kError, "late").UpdateName("late");
  span.End(9000);
  EXPECT_TRUE(span.context().IsValid());  // the context outlives End
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.name, "op");
  EXPECT_EQ(s.end, 5000u);
  EXPECT_EQ(s.attributes, (testing::AttributeMap{{"before", "1"}}));
  EXPECT_TRUE(s.events.empty());
  EXPECT_EQ(s.status, StatusCode::kUnset);
}

TEST(SpanTest, DestructorEndsAndMoveTransfers) {
  TestProvider tp;
  {
    Span a = tp.tracer().StartSpan("a");
    Span b = std::move(a);
    EXPECT_FALSE(a.IsRecording());  // NOLINT(bugprone-use-after-move): moved-from is a no-op
    EXPECT_TRUE(b.IsRecording());
    EXPECT_TRUE(tp.spans().empty());
    Span c = tp.tracer().StartSpan("c");
    c = std::move(b);  // assigning over an open span ends it
    EXPECT_EQ(tp.spans().size(), 1u);
  }
  std::vector<ExportedSpan> spans = tp.spans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].name, "c");
  EXPECT_EQ(spans[1].name, "a");
}

TEST(SpanTest, StartTimeAndAttributesFromOptions) {
  TestProvider tp;
  { tp.tracer().StartSpan("op", {.start_time_unix_nano = 1234, .attributes = {{"k", "v"}}}).End(5678); }
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.start, 1234u);
  EXPECT_EQ(s.end, 5678u);
  EXPECT_EQ(s.attributes, (testing::AttributeMap{{"k", "v"}}));
}

TEST(SpanTest, ChildrenFollowTheCurrentSpanAndRootsStartNewTraces) {
  TestProvider tp;
  Tracer tracer = tp.tracer();
  SpanContext root_ctx, child_ctx, explicit_root_ctx;
  {
    Span root = tracer.StartSpan("root");
    root_ctx = root.context();
    auto scope = root.MakeCurrent();
    Span child = tracer.StartSpan("child");
    child_ctx = child.context();
    Context empty;
    Span other = tracer.StartSpan("new-root", {.parent = &empty});
    explicit_root_ctx = other.context();
  }
  EXPECT_EQ(child_ctx.trace_id, root_ctx.trace_id);
  EXPECT_NE(child_ctx.span_id, root_ctx.span_id);
  EXPECT_NE(explicit_root_ctx.trace_id, root_ctx.trace_id);
  EXPECT_EQ(root_ctx.trace_flags, SpanContext::kSampled | SpanContext::kRandom);
  std::vector<ExportedSpan> spans = tp.spans();
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[1].name, "child");
  EXPECT_EQ(spans[1].parent_span_id, root_ctx.span_id);
  EXPECT_TRUE(spans[2].parent_span_id.IsZero());
  EXPECT_EQ(spans[2].flags, 0x103u);  // sampled + random; parent-is-remote known, not remote
}

TEST(SpanTest, ChildOfARemoteParentKeepsItsTraceStateAndRandomFlag) {
  TestProvider tp;
  SpanContext remote{.trace_id = *model::TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"),
                     .span_id = *model::SpanId::FromHex("00f067aa0ba902b7"),
                     .trace_flags = 0x01,  // sampled, not random (a Level 1 caller)
                     .remote = true,
                     .trace_state = "rojo=00f067aa0ba902b7"};
  Context parent = Context().WithSpanContext(remote);
  SpanContext ctx;
  {
    Span span = tp.tracer().StartSpan("server", {.kind = SpanKind::kServer, .parent = &parent});
    ctx = span.context();
  }
  EXPECT_EQ(ctx.trace_flags, SpanContext::kSampled);
  EXPECT_EQ(ctx.trace_state, "rojo=00f067aa0ba902b7");
  ExportedSpan s = Only(tp);
  EXPECT_EQ(s.trace_id, remote.trace_id);
  EXPECT_EQ(s.parent_span_id, remote.span_id);
  EXPECT_EQ(s.trace_state, "rojo=00f067aa0ba902b7");
  EXPECT_EQ(s.flags, 0x301u);
}

TEST(SpanTest, UnsampledSpansAreNoOpsWithAValidContext) {
  TestProvider tp({}, AlwaysOffSampler());
  Span span = tp.tracer().StartSpan("dropped");
  EXPECT_FALSE(span.IsRecording());
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_FALSE(span.context().IsSampled());
  span.SetAttribute("k", 1).End();
  EXPECT_TRUE(tp.spans().empty());
  EXPECT_EQ(tp.provider->GetTracer("x").StartSpan("y").context().trace_flags, SpanContext::kRandom);
}

TEST(SpanTest, DefaultSpanIsANoOp) {
  Span span;
  EXPECT_FALSE(span.IsRecording());
  EXPECT_FALSE(span.context().IsValid());
  span.SetAttribute("k", 1).AddEvent("e").SetStatus(StatusCode::kError).End();
}

TEST(SpanTest, EmptyKeysAreIgnored) {
  TestProvider tp;
  { tp.tracer().StartSpan("op").SetAttribute("", 1).AddEvent("e", {{"", 2}, {"k", 3}}); }
  ExportedSpan s = Only(tp);
  EXPECT_TRUE(s.attributes.empty());
  EXPECT_EQ(s.events.at(0).attributes, (testing::AttributeMap{{"k", "3"}}));
}

TEST(SpanTest, SpansFromManyThreadsAllArrive) {
  TestProvider tp;
  Tracer tracer = tp.tracer();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&tracer, t] {
      for (int i = 0; i < 500; ++i) tracer.StartSpan("op").SetAttribute("t", t).SetAttribute("i", i);
    });
  }
  for (auto& th : threads) th.join();
  std::vector<ExportedSpan> spans = tp.spans();
  ASSERT_EQ(spans.size(), 2000u);
  std::map<std::string, int> per_thread;
  for (const ExportedSpan& s : spans) per_thread[s.attributes.at("t")]++;
  EXPECT_EQ(per_thread, (std::map<std::string, int>{{"0", 500}, {"1", 500}, {"2", 500}, {"3", 500}}));
}

}  // namespace
}  // namespace rubato::sdk
