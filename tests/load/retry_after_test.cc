#include "load/retry_after.h"

#include <gtest/gtest.h>

#include <utility>

namespace rubato::load {
namespace {

using namespace std::chrono_literals;

TEST(RetryAfter, DeltaSecondsOnly) {
  // Delta-seconds, with the spaces around them trimmed.
  for (auto [text, want] : {std::pair{"3", 3s}, std::pair{" 0 ", 0s}, std::pair{"999999999", 999999999s}}) {
    EXPECT_EQ(ParseRetryAfter(text), want) << text;
  }
  // An HTTP-date is not read (the load generator then backs off on its own);
  // nor is a sign, or more than nine digits.
  for (const char* text : {"", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "1000000000"}) {
    EXPECT_FALSE(ParseRetryAfter(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace rubato::load
