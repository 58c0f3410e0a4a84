#include "sdk/trace/id_generator.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace rubato::sdk {
namespace {

TEST(IdGeneratorTest, IdsAreNonZeroAndDistinct) {
  std::set<model::TraceId> traces;
  std::set<model::SpanId> spans;
  for (int i = 0; i < 100000; ++i) {
    model::TraceId t = NewTraceId();
    model::SpanId s = NewSpanId();
    ASSERT_FALSE(t.IsZero());
    ASSERT_FALSE(s.IsZero());
    traces.insert(t);
    spans.insert(s);
  }
  EXPECT_EQ(traces.size(), 100000u);
  EXPECT_EQ(spans.size(), 100000u);
}

TEST(IdGeneratorTest, ThreadsDrawDifferentSequences) {
  std::mutex mu;
  std::set<model::SpanId> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<model::SpanId> mine;
      for (int i = 0; i < 10000; ++i) mine.push_back(NewSpanId());
      std::lock_guard lock(mu);
      all.insert(mine.begin(), mine.end());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(all.size(), 40000u);
}

}  // namespace
}  // namespace rubato::sdk
