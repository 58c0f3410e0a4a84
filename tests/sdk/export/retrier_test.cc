#include "sdk/export/retrier.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

using namespace std::chrono_literals;
using Clock = Retrier::Clock;

RetryPolicy Fast(int attempts) {
  RetryPolicy p;
  p.max_attempts = attempts;
  p.initial_backoff = 1ms;
  p.max_backoff = 4ms;
  p.multiplier = 2;
  return p;
}

TEST(Retrier, BackoffGrowsWithJitterUpToTheCap) {
  RetryPolicy p;
  p.initial_backoff = 1000ms;
  p.max_backoff = 5000ms;
  p.multiplier = 1.5;
  Retrier r(p);
  for (int i = 0; i < 200; ++i) {
    // Retry n waits between half and all of min(1 s × 1.5^n, 5 s).
    auto b0 = r.Backoff(0), b2 = r.Backoff(2), b9 = r.Backoff(9);
    EXPECT_GE(b0, 500ms);
    EXPECT_LE(b0, 1000ms);
    EXPECT_GE(b2, 1125ms);
    EXPECT_LE(b2, 2250ms);
    EXPECT_GE(b9, 2500ms);
    EXPECT_LE(b9, 5000ms);
  }
}

TEST(Retrier, RetriesTransientFailuresUntilDelivered) {
  Retrier r(Fast(5));
  int calls = 0;
  Status s = r.Run(Clock::now() + 10s, [&](Clock::time_point) {
    return ++calls < 3 ? AttemptResult::Transient(Status::Unavailable("busy")) : AttemptResult::Delivered();
  });
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(r.retries(), 2u);
}

TEST(Retrier, PermanentFailureIsNotRetried) {
  Retrier r(Fast(5));
  int calls = 0;
  Status s = r.Run(Clock::now() + 10s, [&](Clock::time_point) {
    ++calls;
    return AttemptResult::Permanent(Status::InvalidArgument("HTTP 400"));
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "HTTP 400");
  EXPECT_EQ(calls, 1);
}

TEST(Retrier, StopsAfterMaxAttempts) {
  Retrier r(Fast(3));
  int calls = 0;
  Status s = r.Run(Clock::now() + 10s, [&](Clock::time_point) {
    ++calls;
    return AttemptResult::Transient(Status::Unavailable("down"));
  });
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "gave up after 3 attempts: down");
}

TEST(Retrier, AServerDelayPastTheDeadlineEndsAtOnce) {
  Retrier r(Fast(5));
  int calls = 0;
  Status s = r.Run(Clock::now() + 10s, [&](Clock::time_point) {
    ++calls;
    return AttemptResult::Transient(Status::Unavailable("slow down"), std::chrono::seconds(60));
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.message(),
            "gave up after 1 attempt (the next, in 60000 ms as the server asked, would start after the export "
            "timeout): slow down");
}

TEST(Retrier, EveryAttemptGetsTheExportDeadline) {
  Retrier r(Fast(3));
  Clock::time_point deadline = Clock::now() + 10s;
  std::vector<Clock::time_point> seen;
  (void)r.Run(deadline, [&](Clock::time_point d) {
    seen.push_back(d);
    return AttemptResult::Transient(Status::Unavailable("x"));
  });
  ASSERT_EQ(seen.size(), 3u);
  for (auto d : seen) EXPECT_EQ(d, deadline);
}

TEST(Retrier, CancelEndsTheWait) {
  Retrier r(Fast(5));
  r.Cancel();
  int calls = 0;
  Status s = r.Run(Clock::now() + 10s, [&](Clock::time_point) {
    ++calls;
    return AttemptResult::Transient(Status::Unavailable("down"));
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s.message(), "gave up: the exporter is shutting down: down");
}

}  // namespace
}  // namespace rubato::sdk
