#include "sdk/export/exporter_from_env.h"

#include <gtest/gtest.h>

#include "net/gzip.h"
#include "otlp/protobuf_decoder.h"
#include "model/batch_compare.h"
#include "sdk/export/console_exporter.h"
#include "sdk/export/fanout_exporter.h"
#include "sdk/export/otlp_grpc_exporter.h"
#include "sdk/export/otlp_http_exporter.h"
#include "tests/sdk/export/capture_server.h"
#include "tests/sdk/export/test_batch.h"
#include "tests/sdk/trace/written_to.h"

namespace rubato::sdk {
namespace {

using Env = std::map<std::string, std::string, std::less<>>;

std::unique_ptr<SpanExporter> FromEnv(Env env, FILE* diagnostics = nullptr) {
  auto e = SpanExporterFromEnvironment(Environment::FromMap(std::move(env)), diagnostics);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(e).value() : nullptr;
}

TEST(ExporterFromEnv, PicksTheExporter) {
  auto http = FromEnv({});
  auto* h = dynamic_cast<OtlpHttpExporter*>(http.get());
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->url(), "http://localhost:4318/v1/traces");

  auto grpc = FromEnv({{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  auto* g = dynamic_cast<OtlpGrpcExporter*>(grpc.get());
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->target(), "localhost:4317");

  EXPECT_NE(dynamic_cast<ConsoleExporter*>(FromEnv({{"OTEL_TRACES_EXPORTER", "console"}}).get()), nullptr);
  EXPECT_NE(dynamic_cast<FanoutExporter*>(FromEnv({{"OTEL_TRACES_EXPORTER", "otlp,console"}}).get()), nullptr);
  EXPECT_EQ(FromEnv({{"OTEL_TRACES_EXPORTER", "none"}}), nullptr);
}

TEST(ExporterFromEnv, WarningsGoToTheDiagnosticsStream) {
  FILE* f = std::tmpfile();
  auto e = FromEnv({{"OTEL_EXPORTER_OTLP_COMPRESSION", "br"}}, f);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(testing::WrittenTo(f),
            "rubato sdk: warning: OTEL_EXPORTER_OTLP_COMPRESSION=\"br\" is not gzip or none; ignored\n");
}

TEST(ExporterFromEnv, AnEndpointTheExporterCannotUseNamesTheVariable) {
  auto e = SpanExporterFromEnvironment(
      Environment::FromMap({{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318"}}), nullptr);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "OTEL_EXPORTER_OTLP_ENDPOINT=\"https://collector:4318\": OTLP/HTTP endpoint "
            "\"https://collector:4318/v1/traces\": https is not supported by the OTLP/HTTP exporter (it has no TLS); "
            "use an http:// endpoint, or OTLP/gRPC, which supports https");
}

TEST(ExporterFromEnv, ConfiguredExporterSendsWhatTheEnvironmentSays) {
  testing::CaptureServer server;
  auto e = FromEnv({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", server.url("/otlp/traces")},
                    {"OTEL_EXPORTER_OTLP_HEADERS", "x-scope-orgid=tenant%201"},
                    {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"}});
  ASSERT_NE(e, nullptr);
  model::Batch batch = testing::WorkloadBatch(30);
  ASSERT_TRUE(e->Export(batch).ok());
  ASSERT_EQ(server.count(), 1);
  net::HttpRequest req = server.request(0);
  EXPECT_EQ(req.target, "/otlp/traces");
  EXPECT_EQ(req.Header("x-scope-orgid"), "tenant 1");
  EXPECT_EQ(req.Header("Content-Encoding"), "gzip");
  std::string plain;
  ASSERT_TRUE(net::Gunzip(req.body, 64 << 20, &plain).ok());
  model::Batch got;
  ASSERT_TRUE(otlp::DecodeProtobufView(plain, &got).ok());
  EXPECT_EQ(model::DescribeDifference(batch, got), "");
}

}  // namespace
}  // namespace rubato::sdk
