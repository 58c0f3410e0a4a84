#include "trace_view/duration_text.h"

#include <gtest/gtest.h>

namespace rubato::trace_view {
namespace {

TEST(DurationText, Table) {
  struct Case {
    uint64_t nanos;
    const char* want;
  } cases[] = {
      {0, "0ms"},           {1, "0µs"},          {499, "0µs"},          {500, "1µs"},
      {850000, "850µs"},    {999499, "999µs"},   {999500, "1ms"},       {1000000, "1ms"},
      {2400000, "2.4ms"},   {2000000, "2ms"},    {9949999, "9.9ms"},    {9950000, "10ms"},
      {341600000, "342ms"}, {12345678901, "12346ms"},
  };
  for (const auto& c : cases) EXPECT_EQ(DurationText(c.nanos), c.want) << c.nanos;
}

}  // namespace
}  // namespace rubato::trace_view
