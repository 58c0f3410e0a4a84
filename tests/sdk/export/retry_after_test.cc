#include "sdk/export/retry_after.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

using namespace std::chrono;

// 1994-11-06T08:49:37Z, the RFC's example instant.
const system_clock::time_point kExample = sys_days(year(1994) / November / 6) + hours(8) + minutes(49) + seconds(37);

TEST(RetryAfter, DelaySeconds) {
  EXPECT_EQ(ParseRetryAfter("1", kExample), seconds(1));
  EXPECT_EQ(ParseRetryAfter(" 120 ", kExample), seconds(120));
  EXPECT_EQ(ParseRetryAfter("0", kExample), seconds(0));
}

TEST(RetryAfter, EveryHttpDateFormCountsFromNow) {
  auto now = kExample - seconds(30);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now), seconds(30));   // IMF-fixdate
  EXPECT_EQ(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now), seconds(30));  // RFC 850
  EXPECT_EQ(ParseRetryAfter("Sun Nov  6 08:49:37 1994", now), seconds(30));        // asctime
}

TEST(RetryAfter, DateInThePastMeansNoWait) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kExample + hours(1)), nanoseconds(0));
}

TEST(RetryAfter, GarbageIsNotADelay) {
  for (const char* bad : {"", "soon", "-1", "1.5", "12a", "1234567890", "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:49:37 GMT", "Sun Nov  6 08:49:37 1994 extra"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, kExample).has_value()) << bad;
  }
}

}  // namespace
}  // namespace rubato::sdk
