#include "store/memory_store.h"

#include <gtest/gtest.h>

namespace rubato::store {
namespace {

// A batch of one span of trace `trace` starting at `start` seconds.
std::shared_ptr<model::Batch> OneSpan(uint8_t trace, uint8_t span, uint64_t start_s) {
  auto b = std::make_shared<model::Batch>();
  b->AddResource({});
  b->AddScope("s", "1");
  model::Span s;
  s.trace_id.bytes[15] = trace;
  s.span_id.bytes[7] = span;
  s.start_time_unix_nano = start_s * 1000000000ull;
  s.end_time_unix_nano = s.start_time_unix_nano + 1000;
  s.name = "op";
  b->AddSpan(s);
  return b;
}

model::TraceId Trace(uint8_t t) {
  model::TraceId id;
  id.bytes[15] = t;
  return id;
}

TEST(MemoryStoreTest, GathersATraceAcrossBatchesAndTenants) {
  MemoryStore store;
  ASSERT_TRUE(store.Append("a", OneSpan(1, 1, 100)).ok());
  ASSERT_TRUE(store.Append("b", OneSpan(1, 9, 100)).ok());
  ASSERT_TRUE(store.Append("a", OneSpan(1, 2, 200)).ok());
  auto found = store.FindTrace("a", Trace(1), {});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->batch.spans.size(), 2u);
  EXPECT_EQ(found->batch.spans[1].span_id.bytes[7], 2);
  EXPECT_EQ(store.FindTrace("b", Trace(1), {})->batch.spans.size(), 1u);
  EXPECT_EQ(store.FindTrace("a", Trace(2), {}).status().code(), rubato::StatusCode::kNotFound);
  auto ranged = store.FindTrace("a", Trace(1), {150ull * 1000000000, 250ull * 1000000000});
  ASSERT_TRUE(ranged.ok());
  EXPECT_EQ(ranged->batch.spans.size(), 1u);
  EXPECT_FALSE(store.FindTrace("a", Trace(1), {300ull * 1000000000, 400ull * 1000000000}).ok());
}

TEST(MemoryStoreTest, EvictsOldestBatchesPastItsBudget) {
  uint64_t one;
  {
    MemoryStore probe;
    ASSERT_TRUE(probe.Append("a", OneSpan(1, 1, 1)).ok());
    one = probe.bytes();
  }
  MemoryStore store(3 * one);
  for (uint8_t i = 1; i <= 5; ++i) ASSERT_TRUE(store.Append(i % 2 ? "a" : "b", OneSpan(i, i, i)).ok());
  EXPECT_EQ(store.evicted_batches(), 2u);
  EXPECT_EQ(store.bytes(), 3 * one);
  EXPECT_FALSE(store.FindTrace("a", Trace(1), {}).ok());  // oldest, evicted
  EXPECT_FALSE(store.FindTrace("b", Trace(2), {}).ok());
  EXPECT_TRUE(store.FindTrace("a", Trace(3), {}).ok());
  EXPECT_TRUE(store.FindTrace("b", Trace(4), {}).ok());
  EXPECT_TRUE(store.FindTrace("a", Trace(5), {}).ok());
  int ids = 0;
  store.ForEachTraceId("a", [&](const model::TraceId&) { ++ids; });
  EXPECT_EQ(ids, 2);
}

}  // namespace
}  // namespace rubato::store
