#include "load/histogram.h"

#include <gtest/gtest.h>

namespace rubato::load {
namespace {

TEST(Histogram, BucketsCoverEveryValueOnce) {
  for (uint64_t v : std::initializer_list<uint64_t>{0, 1, 31, 32, 33, 63, 64, 65, 1000, 123456789, uint64_t{1} << 40,
                     UINT64_MAX}) {
    size_t b = LatencyHistogram::BucketOf(v);
    ASSERT_LT(b, LatencyHistogram::kBuckets) << v;
    EXPECT_LE(LatencyHistogram::BucketLow(b), v) << v;
    EXPECT_GE(LatencyHistogram::BucketHigh(b), v) << v;
  }
  // Adjacent buckets tile the axis without gaps.
  for (size_t b = 0; b + 1 < LatencyHistogram::kBuckets; ++b)
    ASSERT_EQ(LatencyHistogram::BucketHigh(b) + 1, LatencyHistogram::BucketLow(b + 1)) << b;
  EXPECT_EQ(LatencyHistogram::BucketHigh(LatencyHistogram::kBuckets - 1), UINT64_MAX);
}

TEST(Histogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 10; ++v) h.Record(v);
  EXPECT_EQ(h.ValueAtQuantile(0.5), 5u);
  EXPECT_EQ(h.ValueAtQuantile(0.9), 9u);
  EXPECT_EQ(h.ValueAtQuantile(1.0), 10u);
  EXPECT_EQ(h.ValueAtQuantile(0.0), 1u);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 10u);
  EXPECT_DOUBLE_EQ(h.mean(), 5.5);
}

TEST(Histogram, PercentilesWithinThreePercent) {
  // 1..100000 microseconds, in nanoseconds: p50 = 50 ms, p99 = 99 ms.
  LatencyHistogram h;
  for (uint64_t us = 1; us <= 100000; ++us) h.Record(us * 1000);
  EXPECT_EQ(h.count(), 100000u);
  auto near = [](uint64_t got, double want) { return std::abs(static_cast<double>(got) - want) <= want / 32; };
  EXPECT_TRUE(near(h.ValueAtQuantile(0.50), 50e6)) << h.ValueAtQuantile(0.50);
  EXPECT_TRUE(near(h.ValueAtQuantile(0.99), 99e6)) << h.ValueAtQuantile(0.99);
  EXPECT_GE(h.ValueAtQuantile(0.50), 50'000'000u);  // never below the true value
  EXPECT_EQ(h.ValueAtQuantile(1.0), 100'000'000u);  // capped at the max
  EXPECT_EQ(h.max(), 100'000'000u);
}

TEST(Histogram, OutlierShowsInMaxNotMedian) {
  LatencyHistogram h;
  for (int i = 0; i < 999; ++i) h.Record(2'000'000);  // 2 ms
  h.Record(5'000'000'000);                            // one 5 s stall
  EXPECT_EQ(h.ValueAtQuantile(0.5), LatencyHistogram::BucketHigh(LatencyHistogram::BucketOf(2'000'000)));
  EXPECT_LT(h.ValueAtQuantile(0.99), 2'100'000u);
  EXPECT_EQ(h.ValueAtQuantile(0.9999), 5'000'000'000u);
  EXPECT_EQ(h.max(), 5'000'000'000u);
}

TEST(Histogram, MergeAddsCounts) {
  LatencyHistogram a, b, both;
  for (uint64_t v = 0; v < 1000; ++v) {
    (v % 2 ? a : b).Record(v * 997);
    both.Record(v * 997);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  for (double q : {0.1, 0.5, 0.9, 0.99}) EXPECT_EQ(a.ValueAtQuantile(q), both.ValueAtQuantile(q));
  LatencyHistogram empty;
  EXPECT_EQ(empty.ValueAtQuantile(0.5), 0u);
  EXPECT_EQ(empty.min(), 0u);
}

}  // namespace
}  // namespace rubato::load
