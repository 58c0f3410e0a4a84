// End to end over real sockets: OTLP/HTTP in, Tempo's trace-by-ID API out,
// with the bad inputs a receiver must answer without losing what it stored.
#include <gtest/gtest.h>

#include <memory>

#include "api/tempo_api.h"
#include "ingest/http_receiver.h"
#include "ingest/otlp_ingester.h"
#include "model/batch_compare.h"
#include "net/gzip.h"
#include "net/http_client.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "store/memory_store.h"
#include "tests/otlp/fixture_file.h"

namespace rubato {
namespace {

constexpr const char* kTraceHex = "5b8aa5a2d2c872e8321cf37308d69df2";

class OtlpHttpToApi : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.max_decompressed_bytes = 100000;
    auto otlp = net::HttpServer::Start({}, [this](net::HttpRequest& req, net::HttpResponse& resp) {
      ingest::HandleOtlpHttp(&ingester_, options_, req, resp);
    });
    ASSERT_TRUE(otlp.ok()) << otlp.status().message();
    otlp_ = std::move(*otlp);
    auto query = net::HttpServer::Start({}, [this](net::HttpRequest& req, net::HttpResponse& resp) {
      api_.Handle(req, resp);
    });
    ASSERT_TRUE(query.ok());
    query_ = std::move(*query);
  }

  net::HttpResponse Post(const std::string& body, const std::string& type, const std::string& encoding = "") {
    net::HttpCallOptions o;
    o.headers = {{"Content-Type", type}};
    if (!encoding.empty()) o.headers.emplace_back("Content-Encoding", encoding);
    auto r = net::HttpCall("127.0.0.1", otlp_->port(), "POST", "/v1/traces", body, o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : net::HttpResponse{};
  }
  net::HttpResponse Get(const std::string& target, const std::string& accept = "") {
    net::HttpCallOptions o;
    if (!accept.empty()) o.headers = {{"Accept", accept}};
    auto r = net::HttpCall("127.0.0.1", query_->port(), "GET", target, "", o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : net::HttpResponse{};
  }
  // The stored trace, fetched as protobuf, must equal the fixture exactly.
  void ExpectFixtureServedExactly() {
    net::HttpResponse r = Get(std::string("/api/traces/") + kTraceHex, "application/protobuf");
    ASSERT_EQ(r.status, 200u);
    model::Batch got, want;
    ASSERT_TRUE(otlp::DecodeProtobuf(r.body, &got).ok());
    ASSERT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &want).ok());
    EXPECT_EQ(model::DescribeDifference(want, got), "");
  }

  store::MemoryStore store_;
  metrics::Registry registry_;
  ingest::OtlpIngester ingester_{&store_, &registry_};
  ingest::HttpReceiverOptions options_;
  api::TempoApi api_{&store_, {"1.2.3", "abc", "main", "today"}, false, [] { return std::string("m 1\n"); }};
  std::unique_ptr<net::HttpServer> otlp_, query_;
};

TEST_F(OtlpHttpToApi, ProtobufInTraceOut) {
  net::HttpResponse r = Post(testing::ReadFixture("otel-js/trace.pb"), "application/x-protobuf");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/x-protobuf");
  EXPECT_EQ(r.body, "");  // an empty ExportTraceServiceResponse: no partial success
  ExpectFixtureServedExactly();
  net::HttpResponse v1 = Get(std::string("/api/traces/") + kTraceHex);
  EXPECT_EQ(v1.content_type, "application/json");
  EXPECT_EQ(v1.body.rfind("{\"batches\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\"", 0), 0u) << v1.body;
  EXPECT_NE(v1.body.find("\"spanId\":\"BRWBvzy1XBM=\""), std::string::npos);  // base64 of 051581bf3cb55c13
  EXPECT_NE(v1.body.find("\"kind\":\"SPAN_KIND_SERVER\""), std::string::npos);
  EXPECT_NE(v1.body.find("\"startTimeUnixNano\":\"1700000000123456789\""), std::string::npos);
  net::HttpResponse v2 = Get(std::string("/api/v2/traces/") + kTraceHex);
  EXPECT_EQ(v2.body.rfind("{\"trace\":{\"resourceSpans\":[", 0), 0u) << v2.body.substr(0, 80);
}

TEST_F(OtlpHttpToApi, JsonAndGzipBodies) {
  net::HttpResponse r = Post(testing::ReadFixture("otel-js/trace.json"), "application/json");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "{}");
  ExpectFixtureServedExactly();
  model::Batch b;
  ASSERT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &b).ok());
  b.spans[0].trace_id.bytes[0] ^= 1;  // a second trace, sent gzipped
  r = Post(net::Gzip(otlp::EncodeProtobuf(b)), "application/x-protobuf", "gzip");
  EXPECT_EQ(r.status, 200u);
  b.spans[0].trace_id.bytes[0] ^= 1;
  model::TraceId other = b.spans[0].trace_id;
  other.bytes[0] ^= 1;
  EXPECT_EQ(Get("/api/traces/" + other.ToHex()).status, 200u);
}

TEST_F(OtlpHttpToApi, PartialSuccessForInvalidSpans) {
  model::Batch b;
  ASSERT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), &b).ok());
  b.spans[1].span_id = model::SpanId();  // all zero: invalid
  net::HttpResponse r = Post(otlp::EncodeProtobuf(b), "application/x-protobuf");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body, ingest::EncodeExportResponse({3, 1, "1 span(s) refused: trace_id or span_id missing, all zero or of the wrong length"},
                                                 ingest::Encoding::kProtobuf));
  model::Batch got;
  net::HttpResponse t = Get(std::string("/api/traces/") + kTraceHex, "application/protobuf");
  ASSERT_TRUE(otlp::DecodeProtobuf(t.body, &got).ok());
  EXPECT_EQ(got.spans.size(), 3u);
}

struct BadRequest {
  const char* name;
  std::string method, body, type, encoding;
  unsigned status;
  std::string body_contains;
};

TEST_F(OtlpHttpToApi, BadInputGetsAClearAnswerAndLosesNothing) {
  ASSERT_EQ(Post(testing::ReadFixture("otel-js/trace.pb"), "application/x-protobuf").status, 200u);
  const BadRequest cases[] = {
      {"garbage protobuf", "POST", "\x0a\x05" "abc", "application/x-protobuf", "", 400,
       "otlp protobuf: length 5 runs past the end of its message (3 bytes left) (at byte 2)"},
      {"garbage json", "POST", "{\"resourceSpans\":[{]}", "application/json", "", 400, "otlp json: "},
      {"wrong type", "POST", "x", "text/plain", "", 415, "unsupported Content-Type 'text/plain'"},
      {"wrong method", "GET", "", "application/x-protobuf", "", 405, "method GET not allowed"},
      {"oversize", "POST", std::string(100001, '\0'), "application/x-protobuf", "", 413, "exceeds the limit"},
      {"gzip bomb", "POST", net::Gzip(std::string(200000, '\0')), "application/x-protobuf", "gzip", 413,
       "decompressed body exceeds the limit of 100000 bytes"},
      {"bad gzip", "POST", "not gzip", "application/x-protobuf", "gzip", 400, "gzip: "},
      {"unknown encoding", "POST", "x", "application/x-protobuf", "br", 415, "unsupported Content-Encoding 'br'"},
  };
  for (const auto& c : cases) {
    net::HttpCallOptions o;
    o.headers = {{"Content-Type", c.type}};
    if (!c.encoding.empty()) o.headers.emplace_back("Content-Encoding", c.encoding);
    auto r = net::HttpCall("127.0.0.1", otlp_->port(), c.method, "/v1/traces", c.body, o);
    ASSERT_TRUE(r.ok()) << c.name;
    EXPECT_EQ(r->status, c.status) << c.name;
    EXPECT_NE(r->body.find(c.body_contains), std::string::npos) << c.name << ": " << r->body;
  }
  ExpectFixtureServedExactly();
}

TEST_F(OtlpHttpToApi, QueryApiAnswersInTempoShapes) {
  ASSERT_EQ(Post(testing::ReadFixture("otel-js/trace.pb"), "application/x-protobuf").status, 200u);
  EXPECT_EQ(Get("/api/traces/zz").status, 400u);
  EXPECT_EQ(Get("/api/traces/zz").body, "trace ID 'zz' is not hex\n");
  EXPECT_EQ(Get("/api/traces/" + std::string(33, 'a')).status, 400u);
  net::HttpResponse missing = Get("/api/traces/abc");  // left-padded: 000…0abc, not stored
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.body, "");
  // Outside the time range: the trace's spans are at 1700000000-1700000001.
  EXPECT_EQ(Get(std::string("/api/traces/") + kTraceHex + "?start=1800000000&end=1800000100").status, 404u);
  EXPECT_EQ(Get(std::string("/api/traces/") + kTraceHex + "?start=1699999999&end=1700000002").status, 200u);
  EXPECT_EQ(Get(std::string("/api/traces/") + kTraceHex + "?start=yesterday").status, 400u);
  EXPECT_EQ(Get("/api/echo").body, "echo");
  EXPECT_EQ(Get("/ready").status, 200u);
  EXPECT_EQ(Get("/api/status/buildinfo").body,
            "{\"version\":\"1.2.3\",\"revision\":\"abc\",\"branch\":\"main\",\"buildUser\":\"rubato\","
            "\"buildDate\":\"today\",\"goVersion\":\"none (C++20)\"}");
  EXPECT_EQ(Get("/metrics").body, "m 1\n");
}

TEST_F(OtlpHttpToApi, TruncatedTraceIsMarkedPartialInV2) {
  ASSERT_EQ(Post(testing::ReadFixture("otel-js/trace.pb"), "application/x-protobuf").status, 200u);
  store_.MarkTruncated("single-tenant", *model::TraceId::FromHex(kTraceHex));
  std::string body = Get(std::string("/api/v2/traces/") + kTraceHex).body;
  EXPECT_NE(body.find("]}]}]},\"status\":\"PARTIAL\",\"message\":\"trace exceeded the per-trace size limit"),
            std::string::npos)
      << body.substr(body.size() - 200);
  EXPECT_EQ(body.back(), '}');
}

}  // namespace
}  // namespace rubato

namespace rubato {
namespace {

TEST_F(OtlpHttpToApi, JsonSpanWithBadIdIsRefusedAlone) {
  std::string json = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
    {"traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"051581bf3cb55c13","name":"kept"},
    {"traceId":"5b8aa5a2d2c872e8321cf3","spanId":"051581bf3cb55c14","name":"short id"}]}]}]})";
  net::HttpResponse r = Post(json, "application/json");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.body,
            "{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\"1 span(s) refused: trace_id or span_id "
            "missing, all zero or of the wrong length\"}}");
  EXPECT_EQ(registry_.Render().find("rubato_spans_rejected_total{reason=\"invalid_id\"} 1\n") == std::string::npos,
            false);
  EXPECT_EQ(Get(std::string("/api/traces/") + kTraceHex).status, 200u);
}

}  // namespace
}  // namespace rubato
