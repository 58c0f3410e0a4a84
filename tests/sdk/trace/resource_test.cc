// Resource::FromEnvironment: service.name precedence, OTEL_RESOURCE_ATTRIBUTES
// parsing (percent-decoding, whitespace, malformed values warned about and
// discarded) and telemetry.sdk.*.
#include <gtest/gtest.h>

#include <map>

#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {
namespace {

using Env = std::map<std::string, std::string, std::less<>>;
using Attrs = std::vector<std::pair<std::string, std::string>>;

std::string ServiceName(const Resource& r) {
  for (const auto& [k, v] : r.attributes) {
    if (k == "service.name") return v;
  }
  return "<none>";
}

struct PrecedenceRow {
  const char* rule;
  Env env;
  std::string service_name;
};

TEST(ResourceTest, ServiceNamePrecedence) {
  const PrecedenceRow rows[] = {
      {"OTEL_SERVICE_NAME wins over everything",
       {{"OTEL_SERVICE_NAME", "otel"}, {"SERVICE_NAME", "seed"}, {"OTEL_RESOURCE_ATTRIBUTES", "service.name=attr"}},
       "otel"},
      {"then the seed's SERVICE_NAME", {{"SERVICE_NAME", "seed"}, {"OTEL_RESOURCE_ATTRIBUTES", "service.name=attr"}},
       "seed"},
      {"then service.name in OTEL_RESOURCE_ATTRIBUTES", {{"OTEL_RESOURCE_ATTRIBUTES", "service.name=attr"}}, "attr"},
      {"an empty variable counts as unset", {{"OTEL_SERVICE_NAME", ""}, {"SERVICE_NAME", "seed"}}, "seed"},
      {"else unknown_service:<executable name>", {}, "unknown_service:sdk_trace_test"},
  };
  for (const PrecedenceRow& row : rows) {
    EnvWarnings warnings;
    Resource r = Resource::FromEnvironment(Environment::FromMap(row.env), &warnings);
    EXPECT_EQ(ServiceName(r), row.service_name) << row.rule;
    EXPECT_EQ(warnings, EnvWarnings{}) << row.rule;
  }
}

TEST(ResourceTest, AttributesInOrderThenTelemetrySdk) {
  EnvWarnings warnings;
  Resource r = Resource::FromEnvironment(
      Environment::FromMap(
          {{"OTEL_SERVICE_NAME", "order-service"},
           {"OTEL_RESOURCE_ATTRIBUTES", " deployment.environment = prod , team=a%2Cb%3Dc ,, note=caf%C3%A9 "}}),
      &warnings);
  EXPECT_EQ(warnings, EnvWarnings{});
  EXPECT_EQ(r.attributes, (Attrs{{"service.name", "order-service"},
                                  {"deployment.environment", "prod"},
                                  {"team", "a,b=c"},
                                  {"note", "caf\xc3\xa9"},
                                  {"telemetry.sdk.name", "rubato"},
                                  {"telemetry.sdk.language", "cpp"},
                                  {"telemetry.sdk.version", "0.1.0"}}));
}

TEST(ResourceTest, LaterDuplicateKeysWin) {
  EnvWarnings warnings;
  Resource r = Resource::FromEnvironment(
      Environment::FromMap({{"OTEL_RESOURCE_ATTRIBUTES", "a=1,service.name=x,a=2"}}), &warnings);
  EXPECT_EQ(r.attributes[0], (std::pair<std::string, std::string>{"service.name", "x"}));
  EXPECT_EQ(r.attributes[1], (std::pair<std::string, std::string>{"a", "2"}));
}

struct MalformedRow {
  std::string value;
  std::string warning;
};

TEST(ResourceTest, MalformedAttributesAreWarnedAboutAndDiscardedWhole) {
  const MalformedRow rows[] = {
      {"novalue",
       "OTEL_RESOURCE_ATTRIBUTES=\"novalue\" is not a list of key=value pairs (\"novalue\" is not key=value); "
       "ignored"},
      {"a=1,=2", "OTEL_RESOURCE_ATTRIBUTES=\"a=1,=2\" is not a list of key=value pairs (empty key in \"=2\"); ignored"},
      {"b=1,a=%zz",
       "OTEL_RESOURCE_ATTRIBUTES=\"b=1,a=%zz\" is not a list of key=value pairs (bad percent-encoding "
       "in \"a=%zz\"); ignored"},
      {"a=%4",
       "OTEL_RESOURCE_ATTRIBUTES=\"a=%4\" is not a list of key=value pairs (bad percent-encoding in \"a=%4\"); "
       "ignored"},
  };
  for (const MalformedRow& row : rows) {
    EnvWarnings warnings;
    Resource r = Resource::FromEnvironment(
        Environment::FromMap({{"OTEL_RESOURCE_ATTRIBUTES", row.value}, {"SERVICE_NAME", "seed"}}), &warnings);
    EXPECT_EQ(warnings, EnvWarnings{row.warning});
    // The default: no attribute from the variable (not even the valid ones).
    EXPECT_EQ(r.attributes, (Attrs{{"service.name", "seed"},
                                    {"telemetry.sdk.name", "rubato"},
                                    {"telemetry.sdk.language", "cpp"},
                                    {"telemetry.sdk.version", "0.1.0"}}))
        << row.value;
  }
}

}  // namespace
}  // namespace rubato::sdk
