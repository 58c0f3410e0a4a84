#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "sdk/trace/env_values.h"
#include "sdk/trace/environment.h"
#include "tests/sdk/trace/written_to.h"

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

TEST(EnvValuesTest, BooleansFollowTheOtelBooleanType) {
  struct Row {
    const char* value;
    std::optional<bool> expected;
    EnvWarnings warnings;
  };
  const Row rows[] = {
      {"", std::nullopt, {}},
      {"true", true, {}},
      {" TRUE ", true, {}},
      {"False", false, {}},
      {"1", false, {"B=\"1\" is not true or false; taken as false"}},
  };
  for (const Row& row : rows) {
    EnvWarnings warnings;
    EXPECT_EQ(EnvBool(Environment::FromMap({{"B", row.value}}), "B", &warnings), row.expected) << row.value;
    EXPECT_EQ(warnings, row.warnings) << row.value;
  }
}

TEST(EnvValuesTest, IntegersOutsideTheirRangeAreWarnedAboutOnce) {
  Environment env = Environment::FromMap({{"N", " 7 "}, {"BIG", "8"}, {"NEG", "-1"}});
  EnvWarnings warnings;
  EXPECT_EQ(EnvUnsigned(env, "N", 1, 7, &warnings), 7u);
  EXPECT_EQ(EnvUnsigned(env, "BIG", 1, 7, &warnings), std::nullopt);
  EXPECT_EQ(EnvUnsigned(env, "BIG", 1, 7, &warnings), std::nullopt);
  EXPECT_EQ(EnvUnsigned(env, "NEG", 0, 7, &warnings), std::nullopt);
  EXPECT_EQ(EnvUnsigned(env, "UNSET", 0, 7, &warnings), std::nullopt);
  EXPECT_EQ(warnings, (EnvWarnings{"BIG=\"8\" is not an integer from 1 to 7; ignored",
                                   "NEG=\"-1\" is not an integer from 0 to 7; ignored"}));
}

TEST(EnvValuesTest, WarningsArePrintedOneALineOrNotAtAll) {
  FILE* f = std::tmpfile();
  PrintEnvWarnings({"A=\"x\" is not y; ignored", "B=\"1\" is not z; ignored"}, f);
  PrintEnvWarnings({"never printed"}, nullptr);
  EXPECT_EQ(testing::WrittenTo(f),
            "rubato sdk: warning: A=\"x\" is not y; ignored\nrubato sdk: warning: B=\"1\" is not z; ignored\n");
}

}  // namespace
}  // namespace rubato::sdk
