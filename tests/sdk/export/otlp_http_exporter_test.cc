// OtlpHttpExporter against a real HTTP server on loopback.
#include "sdk/export/otlp_http_exporter.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>

#include "google/rpc/status.pb.h"
#include "model/batch_compare.h"
#include "net/gzip.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/json_decoder.h"
#include "otlp/protobuf_decoder.h"
#include "tests/sdk/export/capture_server.h"
#include "tests/sdk/export/test_batch.h"

namespace rubato::sdk {
namespace {

using namespace std::chrono_literals;
using testing::CaptureServer;
using testing::WorkloadBatch;

OtlpExporterOptions Options(const std::string& url, OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf) {
  OtlpExporterOptions o;
  o.protocol = protocol;
  o.endpoint = url;
  o.retry.initial_backoff = 10ms;
  o.retry.max_backoff = 20ms;
  o.diagnostics = nullptr;
  return o;
}

std::unique_ptr<OtlpHttpExporter> Make(OtlpExporterOptions o) {
  auto e = OtlpHttpExporter::Create(std::move(o));
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(e).value() : nullptr;
}

// Decodes a captured body back into a batch and compares it with `want`.
void ExpectBody(const net::HttpRequest& req, const model::Batch& want, bool json, bool gzip) {
  std::string body = req.body;
  if (gzip) {
    std::string plain;
    ASSERT_TRUE(net::Gunzip(body, 64 << 20, &plain).ok());
    body = plain;
  }
  model::Batch got;
  Status s = json ? otlp::DecodeJson(body, &got) : otlp::DecodeProtobufView(body, &got);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(model::DescribeDifference(want, got), "");
}

TEST(OtlpHttpExporter, PostsProtobufToTheExactPathWithTheHeaders) {
  CaptureServer server;
  OtlpExporterOptions o = Options(server.url("/custom/v1/traces"));
  o.headers = {{"X-Tenant", "acme"}, {"Authorization", "Bearer t"}};
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(40);
  ASSERT_TRUE(e->Export(batch).ok());
  ASSERT_EQ(server.count(), 1);
  net::HttpRequest req = server.request(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/custom/v1/traces");
  EXPECT_EQ(req.Header("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(req.Header("Content-Encoding"), "");
  EXPECT_EQ(req.Header("X-Tenant"), "acme");
  EXPECT_EQ(req.Header("Authorization"), "Bearer t");
  EXPECT_EQ(req.Header("User-Agent").substr(0, 25), "Rubato-OTLP-Exporter-Cpp/");
  ExpectBody(req, batch, false, false);
  ExportStats st = e->stats();
  EXPECT_EQ(st.exports, 1u);
  EXPECT_EQ(st.spans_exported, 40u);
  EXPECT_EQ(st.attempts, 1u);
}

TEST(OtlpHttpExporter, PostsJson) {
  CaptureServer server;
  auto e = Make(Options(server.url(), OtlpProtocol::kHttpJson));
  model::Batch batch = WorkloadBatch(25);
  ASSERT_TRUE(e->Export(batch).ok());
  ASSERT_EQ(server.count(), 1);
  EXPECT_EQ(server.request(0).Header("Content-Type"), "application/json");
  ExpectBody(server.request(0), batch, true, false);
}

TEST(OtlpHttpExporter, GzipDecodesBackToTheSameBatch) {
  for (OtlpProtocol p : {OtlpProtocol::kHttpProtobuf, OtlpProtocol::kHttpJson}) {
    CaptureServer server;
    OtlpExporterOptions o = Options(server.url(), p);
    o.compression = OtlpCompression::kGzip;
    auto e = Make(o);
    model::Batch batch = WorkloadBatch(60, 11);
    ASSERT_TRUE(e->Export(batch).ok());
    ASSERT_EQ(server.count(), 1);
    EXPECT_EQ(server.request(0).Header("Content-Encoding"), "gzip");
    ExpectBody(server.request(0), batch, p == OtlpProtocol::kHttpJson, true);
  }
}

TEST(OtlpHttpExporter, KeepsOneConnectionAcrossExports) {
  CaptureServer server;
  auto e = Make(Options(server.url()));
  for (uint64_t i = 0; i < 3; ++i) {
    model::Batch batch = WorkloadBatch(10 + i, i + 1);
    ASSERT_TRUE(e->Export(batch).ok());
    ExpectBody(server.request(static_cast<int>(i)), batch, false, false);
  }
  EXPECT_EQ(server.count(), 3);
  EXPECT_EQ(e->stats().connections, 1u);
}

TEST(OtlpHttpExporter, ReconnectsWhenTheServerClosedTheConnection) {
  auto first = std::make_unique<CaptureServer>();
  uint16_t port = first->port();
  auto e = Make(Options(first->url()));
  model::Batch batch = WorkloadBatch(5);
  ASSERT_TRUE(e->Export(batch).ok());
  first->Stop();  // closes the idle keep-alive connection
  first.reset();
  CaptureServer second({}, port);
  ASSERT_EQ(second.port(), port);
  ASSERT_TRUE(e->Export(batch).ok());
  EXPECT_EQ(second.count(), 1);
  EXPECT_EQ(e->stats().connections, 2u);
  EXPECT_EQ(e->stats().retries, 0u);  // a stale connection is replaced, not retried with backoff
}

TEST(OtlpHttpExporter, Retries503AfterRetryAfter) {
  CaptureServer server([](int n, net::HttpResponse& res) {
    if (n == 1) {
      res.status = 503;
      res.headers.emplace_back("Retry-After", "1");
    }
  });
  auto e = Make(Options(server.url()));
  model::Batch batch = WorkloadBatch(8);
  ASSERT_TRUE(e->Export(batch).ok());
  EXPECT_EQ(server.count(), 2);
  ExpectBody(server.request(1), batch, false, false);
  EXPECT_EQ(e->stats().retries, 1u);
  EXPECT_EQ(e->stats().attempts, 2u);
}

TEST(OtlpHttpExporter, RetryableStatusesByTheSpecification) {
  // Each answer once, then 200; Retry-After: 0 keeps the retries immediate.
  struct Case {
    unsigned status;
    int requests;
  } cases[] = {{429, 2}, {502, 2}, {503, 2}, {504, 2}, {400, 1}, {401, 1}, {403, 1},
               {404, 1}, {408, 1}, {413, 1}, {500, 1}, {501, 1}, {301, 1}};
  for (const Case& c : cases) {
    CaptureServer server([&](int n, net::HttpResponse& res) {
      if (n == 1) {
        res.status = c.status;
        res.headers.emplace_back("Retry-After", "0");
      }
    });
    auto e = Make(Options(server.url()));
    model::Batch batch = WorkloadBatch(3);
    Status s = e->Export(batch);
    EXPECT_EQ(server.count(), c.requests) << c.status;
    EXPECT_EQ(s.ok(), c.requests == 2) << c.status << ": " << s.message();
  }
}

TEST(OtlpHttpExporter, NoRetryOn400AndTheServersMessageIsKept) {
  CaptureServer server([](int, net::HttpResponse& res) {
    google::rpc::Status st;
    st.set_code(3);
    st.set_message("span 0 has an empty trace id");
    res.status = 400;
    res.body = st.SerializeAsString();
  });
  auto e = Make(Options(server.url()));
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "HTTP 400 from " + server.url() + ": span 0 has an empty trace id");
  EXPECT_EQ(server.count(), 1);
  EXPECT_EQ(e->stats().failed_exports, 1u);
  EXPECT_EQ(e->stats().spans_dropped, 3u);
}

TEST(OtlpHttpExporter, ARetryAfterBeyondTheTimeoutIsNotWaitedFor) {
  CaptureServer server([](int, net::HttpResponse& res) {
    res.status = 429;
    res.headers.emplace_back("Retry-After", "30");
  });
  OtlpExporterOptions o = Options(server.url());
  o.timeout = 2000ms;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("in 30000 ms as the server asked"), std::string::npos) << s.message();
  EXPECT_EQ(server.count(), 1);
}

TEST(OtlpHttpExporter, TheTimeoutBoundsAnExportToASilentServer) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  CaptureServer server([&](int, net::HttpResponse&) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, 30s, [&] { return release; });
  });
  OtlpExporterOptions o = Options(server.url());
  o.timeout = 800ms;
  o.retry.initial_backoff = 2000ms;  // a retry cannot fit in what is left
  o.retry.max_backoff = 2000ms;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("timed out"), std::string::npos) << s.message();
  ASSERT_TRUE(server.WaitFor(1));
  EXPECT_EQ(server.count(), 1);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
}

TEST(OtlpHttpExporter, ConnectionFailuresAreRetried) {
  uint16_t port;
  {
    CaptureServer gone;
    port = gone.port();
  }
  OtlpExporterOptions o = Options("http://127.0.0.1:" + std::to_string(port) + "/v1/traces");
  o.retry.max_attempts = 3;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(3);
  Status s = e->Export(batch);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message().rfind("gave up after 3 attempts: cannot connect to http://127.0.0.1:", 0), 0u) << s.message();
  EXPECT_EQ(e->stats().attempts, 3u);
  EXPECT_EQ(e->stats().retries, 2u);
}

TEST(OtlpHttpExporter, PartialSuccessIsDeliveredCountedAndReported) {
  CaptureServer server([](int, net::HttpResponse& res) {
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse r;
    r.mutable_partial_success()->set_rejected_spans(7);
    r.mutable_partial_success()->set_error_message("too old");
    res.body = r.SerializeAsString();
  });
  FILE* diag = std::tmpfile();
  OtlpExporterOptions o = Options(server.url());
  o.diagnostics = diag;
  auto e = Make(o);
  model::Batch batch = WorkloadBatch(20);
  ASSERT_TRUE(e->Export(batch).ok());
  EXPECT_EQ(server.count(), 1);  // never retried
  EXPECT_EQ(e->stats().spans_rejected, 7u);
  std::rewind(diag);
  char buf[512];
  size_t n = std::fread(buf, 1, sizeof buf, diag);
  std::fclose(diag);
  EXPECT_EQ(std::string(buf, n),
            "rubato sdk: OTLP export to " + server.url() + ": the server rejected 7 of 20 spans: too old\n");
}

TEST(OtlpHttpExporter, ExportAfterShutdownSendsNothing) {
  CaptureServer server;
  auto e = Make(Options(server.url()));
  e->Shutdown();
  model::Batch batch = WorkloadBatch(3);
  EXPECT_FALSE(e->Export(batch).ok());
  EXPECT_EQ(server.count(), 0);
}

TEST(OtlpHttpExporter, RefusesWhatItCannotDo) {
  OtlpExporterOptions o = Options("https://collector:4318/v1/traces");
  auto https = OtlpHttpExporter::Create(o);
  ASSERT_FALSE(https.ok());
  EXPECT_NE(https.status().message().find("https is not supported"), std::string::npos);
  o = Options("collector:4318");
  EXPECT_FALSE(OtlpHttpExporter::Create(o).ok());
  o = Options("http://collector:4318/v1/traces", OtlpProtocol::kGrpc);
  EXPECT_FALSE(OtlpHttpExporter::Create(o).ok());
}

}  // namespace
}  // namespace rubato::sdk
