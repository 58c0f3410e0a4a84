// Context: thread-local current context, nesting scopes, capture to threads.
#include <gtest/gtest.h>

#include <thread>

#include "sdk/trace/context.h"
#include "tests/sdk/trace/test_provider.h"

namespace rubato::sdk {
namespace {

SpanContext MakeSpanContext(uint8_t last_byte) {
  SpanContext sc;
  sc.trace_id.bytes[15] = last_byte;
  sc.span_id.bytes[7] = last_byte;
  sc.trace_flags = SpanContext::kSampled;
  return sc;
}

TEST(ContextTest, EmptyWhenNoScopeIsActive) {
  EXPECT_FALSE(Context::Current().span_context().IsValid());
  EXPECT_TRUE(Context::Current().baggage().empty());
}

TEST(ContextTest, ScopesNestAndRestore) {
  {
    ContextScope outer(Context().WithSpanContext(MakeSpanContext(1)));
    EXPECT_EQ(Context::Current().span_context().span_id.bytes[7], 1);
    {
      ContextScope inner(Context::Current().WithSpanContext(MakeSpanContext(2)));
      EXPECT_EQ(Context::Current().span_context().span_id.bytes[7], 2);
    }
    EXPECT_EQ(Context::Current().span_context().span_id.bytes[7], 1);
  }
  EXPECT_FALSE(Context::Current().span_context().IsValid());
}

TEST(ContextTest, WithSpanContextKeepsBaggageAndWithBaggageKeepsSpan) {
  Context base = Context().WithBaggage({{"user", "alice", ""}});
  Context with_span = base.WithSpanContext(MakeSpanContext(3));
  ASSERT_EQ(with_span.baggage().size(), 1u);
  EXPECT_EQ(with_span.baggage()[0].value, "alice");
  Context replaced = with_span.WithBaggage({{"k", "v", ";p"}});
  EXPECT_EQ(replaced.span_context().span_id.bytes[7], 3);
  EXPECT_EQ(replaced.baggage()[0].properties, ";p");
  EXPECT_EQ(base.baggage()[0].name, "user");  // contexts are values: the original is unchanged
}

TEST(ContextTest, CapturedContextCarriesToAnotherThread) {
  ContextScope scope(Context().WithSpanContext(MakeSpanContext(7)).WithBaggage({{"b", "1", ""}}));
  Context captured = Context::Current();
  uint8_t seen_before = 0xff, seen_inside = 0, seen_after = 0xff;
  std::string baggage_inside;
  std::thread worker([&, captured] {
    seen_before = Context::Current().span_context().span_id.bytes[7];  // a new thread starts empty
    {
      ContextScope there(captured);
      seen_inside = Context::Current().span_context().span_id.bytes[7];
      baggage_inside = Context::Current().baggage().at(0).value;
    }
    seen_after = Context::Current().span_context().span_id.bytes[7];
  });
  worker.join();
  EXPECT_EQ(seen_before, 0);
  EXPECT_EQ(seen_inside, 7);
  EXPECT_EQ(baggage_inside, "1");
  EXPECT_EQ(seen_after, 0);
  EXPECT_EQ(Context::Current().span_context().span_id.bytes[7], 7);  // this thread is untouched
}

TEST(ContextTest, SpansStartedOnAnotherThreadUnderACapturedContextAreChildren) {
  testing::TestProvider tp;
  Tracer tracer = tp.tracer();
  SpanContext parent_ctx;
  {
    Span parent = tracer.StartSpan("parent");
    parent_ctx = parent.context();
    auto scope = parent.MakeCurrent();
    Context captured = Context::Current();
    std::thread([&tracer, captured] {
      ContextScope s(captured);
      Span child = tracer.StartSpan("child-on-thread");
      auto inner = child.MakeCurrent();
      tracer.StartSpan("grandchild");
    }).join();
  }
  std::vector<testing::ExportedSpan> spans = tp.spans();
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].name, "grandchild");
  EXPECT_EQ(spans[1].name, "child-on-thread");
  EXPECT_EQ(spans[2].name, "parent");
  EXPECT_EQ(spans[1].parent_span_id, parent_ctx.span_id);
  EXPECT_EQ(spans[0].parent_span_id, spans[1].span_id);
  EXPECT_EQ(spans[0].trace_id, parent_ctx.trace_id);
}

}  // namespace
}  // namespace rubato::sdk
