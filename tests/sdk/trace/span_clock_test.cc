// The span clock: times after the start come from the cycle counter once it
// is calibrated, and stay between two wall-clock reads taken around them.
#include "sdk/trace/span_clock.h"

#include <gtest/gtest.h>

#include <thread>

#include "sdk/trace/clock.h"

namespace rubato::sdk {
namespace {

TEST(SpanClockTest, TimesSinceStartFollowTheWallClock) {
  // Long enough for the calibration's 20 ms baseline, whatever ran before.
  uint64_t start = NowUnixNanos();
  uint64_t ticks = CycleTicks();
  (void)NowSinceStart(start, ticks);  // takes the first calibration sample
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  for (int i = 0; i < 5; ++i) {
    uint64_t before = NowUnixNanos();
    uint64_t t = NowSinceStart(start, ticks);
    uint64_t after = NowUnixNanos();
    // A millisecond of slack for the calibration's error over this span.
    EXPECT_GE(t + 1'000'000, before) << i;
    EXPECT_LE(t, after + 1'000'000) << i;
    EXPECT_GE(t, start + 50'000'000) << i;  // the sleep really passed
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(SpanClockTest, StartTimesFollowTheWallClock) {
  (void)StartTime();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // past the calibration's baseline
  for (int i = 0; i < 5; ++i) {
    uint64_t before = NowUnixNanos();
    SpanStart start = StartTime();
    uint64_t after = NowUnixNanos();
    EXPECT_GE(start.unix_nano + 1'000'000, before) << i;
    EXPECT_LE(start.unix_nano, after + 1'000'000) << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(SpanClockTest, WithoutStartTicksItReadsTheWallClock) {
  uint64_t before = NowUnixNanos();
  uint64_t t = NowSinceStart(1, 0);
  EXPECT_GE(t, before);
}

}  // namespace
}  // namespace rubato::sdk
