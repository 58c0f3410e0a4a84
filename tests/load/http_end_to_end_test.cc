// `rubato load` over OTLP/HTTP against a fake server (net::HttpServer on a
// free port) that counts what arrives and answers partial success for some
// requests: the report must agree with the server.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "load/dump_file.h"
#include "load/runner.h"
#include "net/gzip.h"
#include "net/http_server.h"
#include "tests/load/wire_builder.h"

namespace rubato::load {
namespace {

using namespace std::chrono_literals;

// Answers every third request with partial success (5 spans rejected), or,
// when `refuse_first` > 0, the first requests with 429.
struct FakeOtlpServer {
  std::atomic<int> requests{0};
  std::atomic<int> refused{0};
  std::atomic<int> partial{0};
  int refuse_first = 0;
  std::mutex mu;
  std::vector<std::string> bodies;  // as received (still gzipped)
  std::vector<std::string> content_types, encodings, tenants;
  std::unique_ptr<net::HttpServer> server;

  void Start() {
    auto s = net::HttpServer::Start({.port = 0, .threads = 2}, [this](net::HttpRequest& req, net::HttpResponse& res) {
      Handle(req, res);
    });
    ASSERT_TRUE(s.ok()) << s.status().message();
    server = std::move(s).value();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server->port()) + "/v1/traces"; }

  void Handle(net::HttpRequest& req, net::HttpResponse& res) {
    int n = ++requests;
    {
      std::lock_guard<std::mutex> lock(mu);
      bodies.push_back(req.body);
      content_types.emplace_back(req.Header("Content-Type"));
      encodings.emplace_back(req.Header("Content-Encoding"));
      tenants.emplace_back(req.Header("X-Scope-OrgID"));
    }
    bool json = req.Header("Content-Type") == "application/json";
    res.content_type = json ? "application/json" : "application/x-protobuf";
    if (n <= refuse_first) {
      ++refused;
      res.status = 429;
      res.headers.emplace_back("Retry-After", "0");
      res.body = "slow down";
      return;
    }
    if (n % 3 == 0) {
      ++partial;
      res.body = json ? R"({"partialSuccess":{"rejectedSpans":"5","errorMessage":"bad ids"}})"
                      : wire::PartialSuccessResponse(5, "bad ids");
    } else {
      res.body = json ? "{}" : "";
    }
  }
};

LoadOptions Options(const std::string& url) {
  LoadOptions o;
  o.protocol = Protocol::kHttpProtobuf;
  o.endpoint = url;
  o.concurrency = 2;
  o.batch_spans = 1024;
  o.batches = 4;
  o.progress = false;
  return o;
}

TEST(LoadHttp, PacedRunReportsWhatTheServerSaw) {
  FakeOtlpServer fake;
  fake.Start();
  LoadOptions o = Options(fake.Url());
  o.rate = 10240;  // ten batches a second
  o.duration = 1s;
  o.headers = {{"X-Scope-OrgID", "tenant-a"}};
  auto r = RunLoad(o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const StatsSnapshot& s = r->stats;
  int n = fake.requests.load();
  // Pacing can only hold sends back, never add any: at most rate × duration
  // plus the one batch the bucket starts with. A lower bound would be a timed
  // assertion (a loaded machine sends fewer); pacer_test checks the math exactly.
  EXPECT_GE(n, 1);
  EXPECT_LE(n, 11);
  EXPECT_EQ(s.requests, static_cast<uint64_t>(n));
  EXPECT_EQ(s.spans_sent, 1024u * n);
  EXPECT_EQ(s.spans_rejected, 5u * fake.partial.load());
  EXPECT_EQ(s.partial_requests, static_cast<uint64_t>(fake.partial.load()));
  EXPECT_EQ(s.spans_accepted, s.spans_sent - s.spans_rejected);
  EXPECT_EQ(s.retryable_requests + s.error_requests + s.transport_errors, 0u);
  EXPECT_EQ(r->latency_samples, s.requests);
  EXPECT_GT(r->latency_p50_ms, 0);
  EXPECT_GE(r->latency_max_ms, r->latency_p99_ms);
  EXPECT_GE(r->elapsed_s, 0.5);  // it kept sending through its duration (a loose floor, not a timing)
  EXPECT_NEAR(r->accepted_spans_per_s, s.spans_accepted / r->elapsed_s, 1e-6 * s.spans_accepted);
  EXPECT_GE(r->cpu_percent, 0);
  for (size_t i = 0; i < fake.content_types.size(); ++i) {
    EXPECT_EQ(fake.content_types[i], "application/x-protobuf");
    EXPECT_EQ(fake.tenants[i], "tenant-a");
  }
  std::string json = FormatJson(*r, o.protocol);
  EXPECT_NE(json.find("\"spans_sent\":" + std::to_string(s.spans_sent)), std::string::npos) << json;
}

TEST(LoadHttp, GzipJsonAndRetryableStatuses) {
  FakeOtlpServer fake;
  fake.refuse_first = 2;
  fake.Start();
  LoadOptions o = Options(fake.Url());
  o.protocol = Protocol::kHttpJson;
  o.gzip = true;
  o.concurrency = 1;
  o.batch_spans = 200;
  o.duration = 500ms;
  auto r = RunLoad(o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const StatsSnapshot& s = r->stats;
  EXPECT_EQ(s.requests, static_cast<uint64_t>(fake.requests.load()));
  EXPECT_EQ(s.retryable_requests, 2u);
  EXPECT_EQ(s.retryable_spans, 400u);
  ASSERT_EQ(s.by_status.size(), 1u);
  EXPECT_EQ(s.by_status[0], std::make_pair(429, uint64_t{2}));
  EXPECT_EQ(s.spans_rejected, 5u * fake.partial.load());
  EXPECT_EQ(s.spans_accepted, s.spans_sent - s.spans_rejected - s.retryable_spans);
  EXPECT_EQ(r->first_error, "HTTP 429: slow down");
  std::string plain;
  ASSERT_TRUE(net::Gunzip(fake.bodies.at(0), 1 << 30, &plain).ok());
  EXPECT_EQ(plain.rfind("{\"resourceSpans\":[", 0), 0u) << plain.substr(0, 40);
  EXPECT_EQ(fake.encodings.at(0), "gzip");
  EXPECT_EQ(fake.content_types.at(0), "application/json");
}

TEST(LoadHttp, ReplaySendsTheDumpedBytes) {
  std::string path = ::testing::TempDir() + "/load_replay_test.bin";
  LoadOptions dump = Options("");
  dump.batches = 3;
  dump.batch_spans = 50;
  dump.dump_path = path;
  ASSERT_TRUE(DumpBatches(dump).ok());
  auto file = ReadDumpFile(path);
  ASSERT_TRUE(file.ok());

  FakeOtlpServer fake;
  fake.Start();
  LoadOptions o = Options(fake.Url());
  o.replay_path = path;
  o.concurrency = 1;
  o.rate = 500;  // 50-span batches: one every 0.1 s
  o.duration = 450ms;
  auto r = RunLoad(o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(fake.bodies.size(), 5u);
  for (size_t i = 0; i < fake.bodies.size(); ++i)
    EXPECT_TRUE(fake.bodies[i] == file->bodies[i % 3]) << "request " << i;
  EXPECT_EQ(r->stats.spans_sent, 250u);
  std::remove(path.c_str());
}

TEST(LoadHttp, UnreachableServerNamesTheEndpoint) {
  FakeOtlpServer fake;
  fake.Start();
  std::string url = fake.Url();
  fake.server->Stop(0ms);
  fake.server.reset();
  auto r = RunLoad(Options(url), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find(url), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace rubato::load
