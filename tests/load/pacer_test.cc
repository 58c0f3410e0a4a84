// The rate pacing math: a token bucket that reserves whole batches.
#include "load/pacer.h"

#include <gtest/gtest.h>

#include <thread>

namespace rubato::load {
namespace {

TEST(TokenBucket, FirstBatchAtOnceThenEvenlySpaced) {
  TokenBucket b(/*rate=*/1000, /*burst=*/100, /*start=*/0);
  EXPECT_DOUBLE_EQ(b.Reserve(100, 0), 0);
  // All asked at t=0: each further batch of 100 waits another 0.1 s.
  EXPECT_NEAR(b.Reserve(100, 0), 0.1, 1e-12);
  EXPECT_NEAR(b.Reserve(100, 0), 0.2, 1e-12);
  EXPECT_NEAR(b.Reserve(100, 0.05), 0.3, 1e-12);  // asking later does not jump the queue
}

TEST(TokenBucket, IdleTimeRefillsOnlyUpToBurst) {
  TokenBucket b(1000, 100, 0);
  EXPECT_DOUBLE_EQ(b.Reserve(100, 0), 0);
  // Ten idle seconds buy one batch, not ten: no catch-up burst after a pause.
  EXPECT_DOUBLE_EQ(b.Reserve(100, 10), 10);
  EXPECT_NEAR(b.Reserve(100, 10), 10.1, 1e-9);
}

TEST(TokenBucket, BatchLargerThanBurstWaitsItsShare) {
  TokenBucket b(500, 100, 0);  // a 1,024-span batch at 500 spans/s
  EXPECT_DOUBLE_EQ(b.Reserve(100, 0), 0);
  EXPECT_NEAR(b.Reserve(1000, 0), 2.0, 1e-12);
}

TEST(TokenBucket, LongRunRateIsExact) {
  // Sending whenever allowed over D seconds gives burst + rate * D spans.
  const double rate = 12345, batch = 1024, duration = 30;
  TokenBucket b(rate, batch, 0);
  double sent = 0, t = 0;
  while (true) {
    t = b.Reserve(batch, t);
    if (t >= duration) break;
    sent += batch;
  }
  EXPECT_NEAR(sent, rate * duration, batch);
}

TEST(TokenBucket, ClockSkewBetweenCallersIsHarmless) {
  TokenBucket b(1000, 100, 0);
  EXPECT_DOUBLE_EQ(b.Reserve(100, 1.0), 1.0);
  EXPECT_NEAR(b.Reserve(100, 0.5), 1.1, 1e-12);  // an earlier clock reading is treated as "now"
}

TEST(Pacer, UnpacedReturnsNowAndPacedSpacesBatches) {
  Clock::time_point start = Clock::now();
  Pacer unpaced(0, 1024, start);
  EXPECT_FALSE(unpaced.paced());
  Clock::time_point before = Clock::now();
  Clock::time_point at = unpaced.Reserve(1024);
  EXPECT_GE(at, before);
  EXPECT_LE(at, Clock::now());
  Pacer paced(10240, 1024, start);
  Clock::time_point t0 = paced.Reserve(1024), t1 = paced.Reserve(1024), t2 = paced.Reserve(1024);
  EXPECT_LE(t0, Clock::now());
  EXPECT_NEAR(std::chrono::duration<double>(t2 - t1).count(), 0.1, 1e-6);
  EXPECT_NEAR(std::chrono::duration<double>(t1 - start).count(), 0.1, 0.01);
}

}  // namespace
}  // namespace rubato::load
