#include <gtest/gtest.h>

#include <cstdlib>

#include "sdk/trace/environment.h"

namespace rubato::sdk {
namespace {

TEST(EnvironmentTest, MapValuesAndEmptyCountsAsUnset) {
  Environment env = Environment::FromMap({{"A", "1"}, {"EMPTY", ""}});
  EXPECT_EQ(env.Get("A"), "1");
  EXPECT_EQ(env.Get("EMPTY"), std::nullopt);  // the configuration spec: empty means unset
  EXPECT_EQ(env.Get("MISSING"), std::nullopt);
}

TEST(EnvironmentTest, ProcessReadsGetenvAtEachGet) {
  Environment env = Environment::Process();
  ::unsetenv("RUBATO_SDK_TEST_VAR");
  EXPECT_EQ(env.Get("RUBATO_SDK_TEST_VAR"), std::nullopt);
  ::setenv("RUBATO_SDK_TEST_VAR", "x", 1);
  EXPECT_EQ(env.Get("RUBATO_SDK_TEST_VAR"), "x");
  ::setenv("RUBATO_SDK_TEST_VAR", "", 1);
  EXPECT_EQ(env.Get("RUBATO_SDK_TEST_VAR"), std::nullopt);
  ::unsetenv("RUBATO_SDK_TEST_VAR");
}

}  // namespace
}  // namespace rubato::sdk
