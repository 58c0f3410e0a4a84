#include "sdk/export/otlp_headers.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

TEST(OtlpHeaders, ParsesTheBaggageLikeList) {
  struct Case {
    const char* in;
    Headers want;
  } cases[] = {
      {"api-key=secret", {{"api-key", "secret"}}},
      {"a=1,b=2", {{"a", "1"}, {"b", "2"}}},
      {" a = 1 , b=2 ", {{"a", "1"}, {"b", "2"}}},
      {"a=x%20y%2Cz%3D", {{"a", "x y,z="}}},        // percent-decoding
      {"Authorization=Bearer%20t0k3n", {{"Authorization", "Bearer t0k3n"}}},
      {"a=", {{"a", ""}}},                           // empty values are values
      {"a=b=c", {{"a", "b=c"}}},                     // only the first '=' splits
      {"a=1,,b=2,", {{"a", "1"}, {"b", "2"}}},       // empty members are skipped
      {"", {}},
  };
  for (const Case& c : cases) {
    auto h = ParseOtlpHeaders(c.in);
    ASSERT_TRUE(h.ok()) << c.in << ": " << h.status().message();
    EXPECT_EQ(*h, c.want) << c.in;
  }
}

TEST(OtlpHeaders, MalformedListsSayWhichMemberAndWhy) {
  struct Case {
    const char* in;
    const char* reason;
  } cases[] = {
      {"a=1,novalue", "\"novalue\": a header must be key=value"},
      {"=v", "the key is empty"},
      {"a b=1", "is not an HTTP header name"},
      {"a=1;prop=2", "properties"},
      {"a=%zz", "two hex digits"},
      {"a=%4", "two hex digits"},
      {"a=x%0D%0AInjected: 1", "control character"},
      {"a=\"q\"", "must be percent-encoded"},
  };
  for (const Case& c : cases) {
    auto h = ParseOtlpHeaders(c.in);
    ASSERT_FALSE(h.ok()) << c.in;
    EXPECT_NE(h.status().message().find(c.reason), std::string::npos) << c.in << " → " << h.status().message();
  }
}

}  // namespace
}  // namespace rubato::sdk
