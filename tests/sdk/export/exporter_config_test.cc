// OTEL_* → exporter configuration, one row per rule of the OTLP exporter
// configuration specification.
#include "sdk/export/exporter_config.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string, std::less<>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

TracesExporterConfig Config(Env env) {
  auto c = TracesExporterConfigFromEnvironment(Environment::FromMap(std::move(env)));
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? std::move(c).value() : TracesExporterConfig{};
}

TEST(ExporterConfig, Defaults) {
  TracesExporterConfig c = Config({});
  EXPECT_EQ(c.exporters, std::vector<TracesExporterKind>{TracesExporterKind::kOtlp});
  EXPECT_EQ(c.otlp.protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_EQ(c.otlp.endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(c.otlp.timeout, 10000ms);
  EXPECT_EQ(c.otlp.compression, OtlpCompression::kNone);
  EXPECT_TRUE(c.otlp.headers.empty());
  EXPECT_FALSE(c.otlp.insecure);
  EXPECT_TRUE(c.warnings.empty());
  EXPECT_EQ(c.endpoint_variable, "");
}

TEST(ExporterConfig, EndpointRules) {
  struct Row {
    const char* rule;
    Env env;
    OtlpProtocol protocol;
    const char* endpoint;
  } rows[] = {
      {"http default", {}, OtlpProtocol::kHttpProtobuf, "http://localhost:4318/v1/traces"},
      {"grpc default", {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}}, OtlpProtocol::kGrpc, "http://localhost:4317"},
      {"generic gets v1/traces",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:4318/v1/traces"},
      {"generic with a trailing slash: no double slash",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:4318/v1/traces"},
      {"generic with a path keeps it",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/mycollector/"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:4318/mycollector/v1/traces"},
      {"generic with a path and no slash",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/mycollector"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:4318/mycollector/v1/traces"},
      {"generic without a port: the scheme's",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:80/v1/traces"},
      {"signal-specific as is",
       {{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/custom/path"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:4318/custom/path"},
      {"signal-specific without a path: root",
       {{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318"}},
       OtlpProtocol::kHttpProtobuf,
       "http://collector:4318/"},
      {"signal-specific wins",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4318"}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:9/t"}},
       OtlpProtocol::kHttpProtobuf,
       "http://b:9/t"},
      {"grpc: generic as is",
       {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317"}},
       OtlpProtocol::kGrpc,
       "http://otel-collector:4317"},
      {"grpc: a target without a scheme",
       {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4317"}},
       OtlpProtocol::kGrpc,
       "otel-collector:4317"},
      {"grpc: signal-specific wins",
       {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"},
        {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://a:4317"},
        {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://b:443"}},
       OtlpProtocol::kGrpc,
       "https://b:443"},
      {"the seed's endpoint without a protocol is http/protobuf, as the specification says",
       {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317"}},
       OtlpProtocol::kHttpProtobuf,
       "http://otel-collector:4317/v1/traces"},
      {"signal-specific protocol wins",
       {{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}, {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"}},
       OtlpProtocol::kHttpJson,
       "http://localhost:4318/v1/traces"},
      {"protocol is case-insensitive", {{"OTEL_EXPORTER_OTLP_PROTOCOL", "GRPC"}}, OtlpProtocol::kGrpc,
       "http://localhost:4317"},
      {"an empty value is unset",
       {{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ""}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:1"}},
       OtlpProtocol::kHttpProtobuf,
       "http://c:1/v1/traces"},
  };
  for (const Row& r : rows) {
    TracesExporterConfig c = Config(r.env);
    EXPECT_EQ(c.otlp.protocol, r.protocol) << r.rule;
    EXPECT_EQ(c.otlp.endpoint, r.endpoint) << r.rule;
    EXPECT_TRUE(c.warnings.empty()) << r.rule;
  }
}

TEST(ExporterConfig, HeadersTimeoutCompressionInsecure) {
  TracesExporterConfig c = Config({{"OTEL_EXPORTER_OTLP_HEADERS", "api-key=s%20t,tenant=a"},
                                   {"OTEL_EXPORTER_OTLP_TIMEOUT", "5000"},
                                   {"OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP"},
                                   {"OTEL_EXPORTER_OTLP_INSECURE", "True"}});
  EXPECT_EQ(c.otlp.headers, (Headers{{"api-key", "s t"}, {"tenant", "a"}}));
  EXPECT_EQ(c.otlp.timeout, 5000ms);
  EXPECT_EQ(c.otlp.compression, OtlpCompression::kGzip);
  EXPECT_TRUE(c.otlp.insecure);
  EXPECT_TRUE(c.warnings.empty());

  // Signal-specific values replace the generic ones whole.
  c = Config({{"OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2"},
              {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "c=3"},
              {"OTEL_EXPORTER_OTLP_TIMEOUT", "5000"},
              {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500"},
              {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"},
              {"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none"},
              {"OTEL_EXPORTER_OTLP_INSECURE", "true"},
              {"OTEL_EXPORTER_OTLP_TRACES_INSECURE", "false"}});
  EXPECT_EQ(c.otlp.headers, (Headers{{"c", "3"}}));
  EXPECT_EQ(c.otlp.timeout, 2500ms);
  EXPECT_EQ(c.otlp.compression, OtlpCompression::kNone);
  EXPECT_FALSE(c.otlp.insecure);
  EXPECT_TRUE(c.warnings.empty());

  // 0 is a timeout of "no limit" (the exporter takes it as ~24.8 days).
  EXPECT_EQ(Config({{"OTEL_EXPORTER_OTLP_TIMEOUT", "0"}}).otlp.timeout, 0ms);
  EXPECT_EQ(EffectiveTimeout(0ms), std::chrono::milliseconds(INT32_MAX));
}

TEST(ExporterConfig, ValuesTheSpecificationSaysToIgnoreAreWarnedAbout) {
  struct Row {
    Env env;
    const char* warning;
  } rows[] = {
      {{{"OTEL_EXPORTER_OTLP_PROTOCOL", "thrift"}},
       "OTEL_EXPORTER_OTLP_PROTOCOL=\"thrift\" is not grpc, http/protobuf or http/json; ignored"},
      {{{"OTEL_EXPORTER_OTLP_TIMEOUT", "abc"}},
       "OTEL_EXPORTER_OTLP_TIMEOUT=\"abc\" is not a whole number of milliseconds from 0 to 2147483647; ignored"},
      {{{"OTEL_EXPORTER_OTLP_TIMEOUT", "-1"}},
       "OTEL_EXPORTER_OTLP_TIMEOUT=\"-1\" is not a whole number of milliseconds from 0 to 2147483647; ignored"},
      {{{"OTEL_EXPORTER_OTLP_TIMEOUT", "10s"}},
       "OTEL_EXPORTER_OTLP_TIMEOUT=\"10s\" is not a whole number of milliseconds from 0 to 2147483647; ignored"},
      {{{"OTEL_EXPORTER_OTLP_TIMEOUT", "2147483648"}},
       "OTEL_EXPORTER_OTLP_TIMEOUT=\"2147483648\" is not a whole number of milliseconds from 0 to 2147483647; "
       "ignored"},
      {{{"OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"}},
       "OTEL_EXPORTER_OTLP_COMPRESSION=\"zstd\" is not gzip or none; ignored"},
      {{{"OTEL_EXPORTER_OTLP_INSECURE", "yes"}},
       "OTEL_EXPORTER_OTLP_INSECURE=\"yes\" is not true or false; taken as false"},
      {{{"OTEL_TRACES_EXPORTER", "zipkin"}},
       "OTEL_TRACES_EXPORTER names \"zipkin\", which this SDK does not provide (otlp, console, none); ignored"},
  };
  for (const Row& r : rows) {
    TracesExporterConfig c = Config(r.env);
    ASSERT_EQ(c.warnings.size(), 1u) << r.warning;
    EXPECT_EQ(c.warnings[0], r.warning);
    // ...and the default stands.
    EXPECT_EQ(c.otlp.protocol, OtlpProtocol::kHttpProtobuf);
    EXPECT_EQ(c.otlp.timeout, 10000ms);
    EXPECT_EQ(c.otlp.compression, OtlpCompression::kNone);
    EXPECT_FALSE(c.otlp.insecure);
    EXPECT_EQ(c.exporters, std::vector<TracesExporterKind>{TracesExporterKind::kOtlp});
  }
  // An ignored signal-specific value lets the generic one apply.
  TracesExporterConfig c = Config({{"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "x"}, {"OTEL_EXPORTER_OTLP_TIMEOUT", "7"}});
  EXPECT_EQ(c.otlp.timeout, 7ms);
  EXPECT_EQ(c.warnings.size(), 1u);
}

TEST(ExporterConfig, TracesExporterList) {
  using K = TracesExporterKind;
  struct Row {
    const char* value;
    std::vector<K> want;
  } rows[] = {
      {"otlp", {K::kOtlp}},          {"console", {K::kConsole}},       {"none", {}},
      {"NONE", {}},                  {"otlp,console", {K::kOtlp, K::kConsole}},
      {" console , otlp , console ", {K::kConsole, K::kOtlp}},
      {"console,zipkin", {K::kConsole}},
  };
  for (const Row& r : rows) EXPECT_EQ(Config({{"OTEL_TRACES_EXPORTER", r.value}}).exporters, r.want) << r.value;
}

TEST(ExporterConfig, MalformedValuesAreErrorsNamingTheVariableAndValue) {
  struct Row {
    Env env;
    const char* error;
  } rows[] = {
      {{{"OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://c:1"}},
       "OTEL_EXPORTER_OTLP_ENDPOINT=\"ftp://c:1\": the scheme \"ftp\" is not http or https"},
      {{{"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"}},
       "OTEL_EXPORTER_OTLP_ENDPOINT=\"collector:4318\": not a URL: it must start with http:// or https://"},
      {{{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://:4318"}},
       "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=\"http://:4318\": the URL has no host"},
      {{{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:99999"}},
       "OTEL_EXPORTER_OTLP_ENDPOINT=\"http://c:99999\": the port \"99999\" is not a number from 1 to 65535"},
      {{{"OTEL_EXPORTER_OTLP_HEADERS", "a=1,novalue"}},
       "OTEL_EXPORTER_OTLP_HEADERS: \"novalue\": a header must be key=value"},
      {{{"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "a=%G1"}},
       "OTEL_EXPORTER_OTLP_TRACES_HEADERS: \"a=%G1\": '%' must be followed by two hex digits"},
  };
  for (const Row& r : rows) {
    auto c = TracesExporterConfigFromEnvironment(Environment::FromMap(r.env));
    ASSERT_FALSE(c.ok()) << r.error;
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(c.status().message(), r.error);
  }
}

}  // namespace
}  // namespace rubato::sdk
