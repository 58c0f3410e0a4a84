// `rubato load --acked-log`: against a fake OTLP/HTTP server that answers
// 200, 503 and 200-with-partial-success in turn, the log must hold exactly
// the spans of the fully acknowledged requests, one "<trace> <span>" line
// each, in the order they were acknowledged (one connection).
#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "load/acked_log.h"
#include "load/dump_file.h"
#include "load/runner.h"
#include "model/batch.h"
#include "net/http_server.h"
#include "otlp/protobuf_decoder.h"
#include "tests/load/wire_builder.h"

namespace rubato::load {
namespace {

using namespace std::chrono_literals;

// Request n (from 1): n % 3 == 1 → 200, n % 3 == 2 → 503 (Retry-After: 0),
// n % 3 == 0 → 200 with 2 spans rejected. Keeps the bodies it acknowledged fully.
struct AckingServer {
  std::mutex mu;
  int requests = 0;  // guarded by mu
  int refused = 0, partial = 0;
  std::vector<std::string> acked_bodies;
  std::unique_ptr<net::HttpServer> server;

  void Start() {
    auto s = net::HttpServer::Start({.port = 0, .threads = 1}, [this](net::HttpRequest& req, net::HttpResponse& res) {
      std::lock_guard lock(mu);
      int n = ++requests;
      res.content_type = "application/x-protobuf";
      if (n % 3 == 2) {
        ++refused;
        res.status = 503;
        res.headers.emplace_back("Retry-After", "0");
        return;
      }
      if (n % 3 == 0) {
        ++partial;
        res.body = wire::PartialSuccessResponse(2, "two spans refused");
        return;
      }
      acked_bodies.push_back(req.body);
    });
    ASSERT_TRUE(s.ok()) << s.status().message();
    server = std::move(s).value();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server->port()) + "/v1/traces"; }

  // The lines the log must hold, from the bodies themselves.
  std::string ExpectedLog() {
    std::lock_guard lock(mu);
    std::string out;
    model::Batch batch;
    for (const std::string& body : acked_bodies) {
      EXPECT_TRUE(otlp::DecodeProtobufView(body, &batch).ok());
      for (const model::Span& s : batch.spans) out += s.trace_id.ToHex() + " " + s.span_id.ToHex() + "\n";
    }
    return out;
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

LoadOptions Options(const std::string& url, const std::string& log) {
  LoadOptions o;
  o.protocol = Protocol::kHttpProtobuf;
  o.endpoint = url;
  o.concurrency = 1;  // one connection: the log's order is the order of the answers
  o.batch_spans = 30;
  o.batches = 4;
  o.rate = 600;  // 20 requests a second
  o.duration = 600ms;
  o.progress = false;
  o.acked_log_path = log;
  return o;
}

TEST(AckedLog, HoldsExactlyTheFullyAcknowledgedSpans) {
  std::string log = ::testing::TempDir() + "/acked_log_test.log";
  std::remove(log.c_str());
  AckingServer fake;
  fake.Start();
  auto r = RunLoad(Options(fake.Url(), log), nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_GE(fake.requests, 3) << "too few requests to see every kind of answer";
  std::string want = fake.ExpectedLog();
  std::string got = ReadFile(log);
  EXPECT_EQ(got, want);
  EXPECT_EQ(r->acked_spans_logged, fake.acked_bodies.size() * 30);
  EXPECT_EQ(r->acked_log, log);
  EXPECT_EQ(r->acked_log_error, "");
  // Every line is "<32 hex> <16 hex>".
  std::istringstream lines(got);
  for (std::string line; std::getline(lines, line);) {
    ASSERT_EQ(line.size(), 49u) << line;
    EXPECT_EQ(line[32], ' ');
  }
  EXPECT_NE(FormatJson(*r, Protocol::kHttpProtobuf).find("\"acked_spans_logged\":" + std::to_string(r->acked_spans_logged)),
            std::string::npos);

  // A second run appends.
  AckingServer again;
  again.Start();
  auto r2 = RunLoad(Options(again.Url(), log), nullptr);
  ASSERT_TRUE(r2.ok()) << r2.status().message();
  EXPECT_EQ(ReadFile(log), want + again.ExpectedLog());
  std::remove(log.c_str());
}

TEST(AckedLog, ReplayReadsTheIdsOutOfTheBodies) {
  std::string dump = ::testing::TempDir() + "/acked_log_replay.bin";
  std::string log = ::testing::TempDir() + "/acked_log_replay.log";
  std::remove(log.c_str());
  LoadOptions d = Options("", "");
  d.batches = 3;
  d.dump_path = dump;
  ASSERT_TRUE(DumpBatches(d).ok());
  AckingServer fake;
  fake.Start();
  LoadOptions o = Options(fake.Url(), log);
  o.replay_path = dump;
  o.gzip = true;  // the replayed bodies are gzipped before sending; the IDs come from them all the same
  auto r = RunLoad(o, nullptr);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // The server got gzipped bodies: expected lines come from the dump's plain ones.
  auto set = ReadDumpFile(dump);
  ASSERT_TRUE(set.ok());
  std::string want;
  {
    std::lock_guard lock(fake.mu);
    for (int n = 1, i = 0; n <= fake.requests; ++n, ++i) {
      if (n % 3 != 1) continue;
      model::Batch batch;
      ASSERT_TRUE(otlp::DecodeProtobufView(set->bodies[static_cast<size_t>(i) % 3], &batch).ok());
      for (const model::Span& s : batch.spans) want += s.trace_id.ToHex() + " " + s.span_id.ToHex() + "\n";
    }
  }
  EXPECT_EQ(ReadFile(log), want);
  std::remove(dump.c_str());
  std::remove(log.c_str());
}

TEST(AckedLog, NotWithDump) {
  LoadOptions o = Options("", "/tmp/x.log");
  o.dump_path = "/tmp/x.bin";
  EXPECT_FALSE(Validate(o).ok());
}

TEST(AckedLog, UnwritablePathIsAnError) {
  AckingServer fake;
  fake.Start();
  auto r = RunLoad(Options(fake.Url(), "/nonexistent-dir/acked.log"), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("/nonexistent-dir/acked.log"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace rubato::load
