// StartTracedServer over real sockets: SERVER spans, their names, exact
// attributes, extracted context, status rules, exclusions and failures.
#include "sdk/http/traced_server.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "net/http_client.h"
#include "tests/sdk/http/span_capture.h"

namespace rubato::sdk::http {
namespace {

using testing::Attrs;
using testing::CapturedSpan;
using testing::RawRequest;
using testing::TestTracing;

constexpr char kTraceId[] = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr char kParentId[] = "00f067aa0ba902b7";
const std::string kTraceparent = std::string("00-") + kTraceId + "-" + kParentId + "-01";

// The context a handler saw, to check the SERVER span was current.
struct Seen {
  std::mutex mu;
  std::string trace_id, span_id;
};

class TracedServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    router.Handle("GET", "/stock/{item}", [this](net::HttpRequest&, const PathParams& p, net::HttpResponse& resp) {
      {
        std::lock_guard lock(seen_.mu);
        seen_.trace_id = Context::Current().span_context().trace_id.ToHex();
        seen_.span_id = Context::Current().span_context().span_id.ToHex();
      }
      GetTracer("test").StartSpan("inner").End();  // a child of the SERVER span, via the current context
      if (p.Get("item") == "missing") {
        resp.status = 404;
        resp.body = "no such item";
        return;
      }
      resp.body = "{\"item\":\"" + std::string(p.Get("item")) + "\"}";
    });
    router.Handle("POST", "/stock/{item}/reserve", [](net::HttpRequest&, const PathParams&, net::HttpResponse& resp) {
      resp.status = 503;
    });
    router.Handle("GET", "/boom", [](net::HttpRequest&, const PathParams&, net::HttpResponse& resp) {
      resp.headers.emplace_back("X-Partial", "1");
      throw std::runtime_error("boom");
    });
    router.Handle("GET", "/boom-int", [](net::HttpRequest&, const PathParams&, net::HttpResponse&) { throw 7; });
    router.Handle("GET", "/health", [](net::HttpRequest&, const PathParams&, net::HttpResponse& resp) {
      resp.body = "ok";
    });
    router.Handle("GET", "/metrics", [](net::HttpRequest&, const PathParams&, net::HttpResponse&) {
      throw std::runtime_error("metrics broke");
    });
    auto server = StartTracedServer({}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
  }
  void TearDown() override { server_->Stop(); }

  uint16_t port() const { return server_->port(); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port()); }

  net::HttpResponse Get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {},
                        const std::string& method = "GET") {
    bool has_host = false;
    for (const auto& [k, v] : headers) has_host |= k == "Host";
    if (!has_host) headers.emplace_back("Host", host());
    auto resp = net::HttpCall("127.0.0.1", port(), method, target, "", {headers, std::chrono::seconds(10)});
    EXPECT_TRUE(resp.ok()) << resp.status().message();
    return resp.ok() ? std::move(resp).value() : net::HttpResponse{};
  }

  // Waits for the one span with that name.
  CapturedSpan SpanNamed(size_t total, std::string_view name) {
    auto spans = tracing_.spans().WaitFor(total);
    EXPECT_EQ(spans.size(), total);
    const CapturedSpan* s = testing::FindSpan(spans, name);
    EXPECT_NE(s, nullptr) << "no span named " << name;
    return s ? *s : CapturedSpan{};
  }

  TestTracing tracing_;
  Seen seen_;
  std::unique_ptr<net::HttpServer> server_;
};

TEST_F(TracedServerTest, ValidTraceparentContinuesTheTraceWithExactAttributes) {
  net::HttpResponse resp = Get("/stock/book?verbose=1&x=%20",
                               {{"traceparent", kTraceparent}, {"User-Agent", "rubato-test/1.0"}});
  EXPECT_EQ(resp.status, 200u);
  EXPECT_EQ(resp.body, R"({"item":"book"})");

  CapturedSpan span = SpanNamed(2, "GET /stock/{item}");
  EXPECT_EQ(span.kind, model::SpanKind::kServer);
  EXPECT_EQ(span.scope, "rubato.http.server");
  EXPECT_EQ(span.trace_id.ToHex(), kTraceId);
  EXPECT_EQ(span.parent_span_id.ToHex(), kParentId);
  EXPECT_EQ(span.status, model::StatusCode::kUnset);
  EXPECT_TRUE(span.events.empty());
  const Attrs expected = {
      {"http.request.method", std::string("GET")},
      {"url.path", std::string("/stock/book")},
      {"url.query", std::string("verbose=1&x=%20")},
      {"url.scheme", std::string("http")},
      {"http.route", std::string("/stock/{item}")},
      {"http.response.status_code", int64_t{200}},
      {"server.address", std::string("127.0.0.1")},
      {"server.port", int64_t{port()}},
      {"client.address", std::string("127.0.0.1")},
      {"user_agent.original", std::string("rubato-test/1.0")},
      {"network.protocol.version", std::string("1.1")},
  };
  EXPECT_EQ(span.attributes, expected);

  // The handler ran with the SERVER span current, so its span is a child.
  {
    std::lock_guard lock(seen_.mu);
    EXPECT_EQ(seen_.trace_id, kTraceId);
    EXPECT_EQ(seen_.span_id, span.span_id.ToHex());
  }
  CapturedSpan inner = SpanNamed(2, "inner");
  EXPECT_EQ(inner.trace_id.ToHex(), kTraceId);
  EXPECT_EQ(inner.parent_span_id, span.span_id);
}

TEST_F(TracedServerTest, ServerAddressFromHostHeaderElseTheBoundSocket) {
  Get("/stock/pen", {{"Host", "shop.example:8443"}});
  CapturedSpan a = SpanNamed(2, "GET /stock/{item}");
  EXPECT_EQ(std::get<std::string>(a.attributes.at("server.address")), "shop.example");
  EXPECT_EQ(std::get<int64_t>(a.attributes.at("server.port")), 8443);
  EXPECT_EQ(a.attributes.count("user_agent.original"), 0u);
  EXPECT_EQ(a.attributes.count("url.query"), 0u);

  std::string raw = RawRequest(port(), "GET /stock/pen HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 200")) << raw;
  auto spans = tracing_.spans().WaitFor(4);
  ASSERT_EQ(spans.size(), 4u);
  const CapturedSpan& b = spans[3].name == "inner" ? spans[2] : spans[3];
  EXPECT_EQ(b.name, "GET /stock/{item}");
  EXPECT_EQ(std::get<std::string>(b.attributes.at("server.address")), "127.0.0.1");
  EXPECT_EQ(std::get<int64_t>(b.attributes.at("server.port")), port());
}

TEST_F(TracedServerTest, InvalidTraceparentStartsANewTrace) {
  const std::string cases[] = {
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",     // no flags
      "garbage",
  };
  size_t expected_spans = 0;
  for (const std::string& traceparent : cases) {
    SCOPED_TRACE(traceparent);
    Get("/stock/book", {{"traceparent", traceparent}});
    expected_spans += 2;
    auto spans = tracing_.spans().WaitFor(expected_spans);
    ASSERT_EQ(spans.size(), expected_spans);
    const CapturedSpan& s = spans[expected_spans - 1].name == "inner" ? spans[expected_spans - 2] : spans.back();
    EXPECT_EQ(s.name, "GET /stock/{item}");
    EXPECT_TRUE(s.parent_span_id.IsZero());
    EXPECT_FALSE(s.trace_id.IsZero());
    EXPECT_NE(s.trace_id.ToHex(), kTraceId);
  }
}

TEST_F(TracedServerTest, DuplicateTraceparentHeadersStartANewTrace) {
  std::string raw = RawRequest(port(),
                               "GET /stock/book HTTP/1.1\r\nHost: " + host() + "\r\ntraceparent: " + kTraceparent +
                                   "\r\ntraceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\r\n"
                                   "Connection: close\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 200")) << raw;
  CapturedSpan s = SpanNamed(2, "GET /stock/{item}");
  EXPECT_TRUE(s.parent_span_id.IsZero());
  EXPECT_NE(s.trace_id.ToHex(), kTraceId);
  EXPECT_NE(s.trace_id.ToHex(), "0af7651916cd43dd8448eb211c80319c");
}

TEST_F(TracedServerTest, ExcludedPathsAreServedWithoutASpan) {
  net::HttpResponse health = Get("/health", {{"traceparent", kTraceparent}});
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok");
  // Excluded paths get the same crash protection.
  net::HttpResponse metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 500u);
  EXPECT_EQ(metrics.body, "internal error: metrics broke\n");
  // Spans are exported synchronously at End, so a span for /health would be here first.
  Get("/stock/after");
  auto spans = tracing_.spans().WaitFor(2);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(testing::FindSpan(spans, "GET /health"), nullptr);
  EXPECT_NE(testing::FindSpan(spans, "GET /stock/{item}"), nullptr);
  EXPECT_NE(testing::FindSpan(spans, "inner"), nullptr);
}

TEST_F(TracedServerTest, ServerErrorIsErrorStatusClientErrorIsUnset) {
  net::HttpResponse r503 = Get("/stock/book/reserve", {}, "POST");
  EXPECT_EQ(r503.status, 503u);
  CapturedSpan s = SpanNamed(1, "POST /stock/{item}/reserve");
  EXPECT_EQ(s.status, model::StatusCode::kError);
  EXPECT_EQ(std::get<int64_t>(s.attributes.at("http.response.status_code")), 503);
  EXPECT_EQ(std::get<std::string>(s.attributes.at("error.type")), "503");

  net::HttpResponse r404 = Get("/stock/missing");
  EXPECT_EQ(r404.status, 404u);
  auto spans = tracing_.spans().WaitFor(3);
  ASSERT_EQ(spans.size(), 3u);
  const CapturedSpan& m = spans[2].name == "inner" ? spans[1] : spans[2];
  EXPECT_EQ(m.name, "GET /stock/{item}");
  EXPECT_EQ(m.status, model::StatusCode::kUnset);
  EXPECT_EQ(std::get<int64_t>(m.attributes.at("http.response.status_code")), 404);
  EXPECT_EQ(m.attributes.count("error.type"), 0u);
}

TEST_F(TracedServerTest, UnmatchedRequestsAreTracedWithTheMethodAsName) {
  net::HttpResponse nf = Get("/nowhere/42");
  EXPECT_EQ(nf.status, 404u);
  EXPECT_EQ(nf.body, "no route for GET /nowhere/42\n");
  CapturedSpan s = SpanNamed(1, "GET");
  EXPECT_EQ(s.attributes.count("http.route"), 0u);
  EXPECT_EQ(std::get<std::string>(s.attributes.at("url.path")), "/nowhere/42");
  EXPECT_EQ(s.status, model::StatusCode::kUnset);

  net::HttpResponse na = Get("/stock/book", {}, "DELETE");
  EXPECT_EQ(na.status, 405u);
  EXPECT_EQ(na.body, "method DELETE not allowed on /stock/book (allowed: GET)\n");
  bool has_allow = false;
  for (const auto& [k, v] : na.headers) has_allow |= (k == "Allow" && v == "GET");
  EXPECT_TRUE(has_allow);
  CapturedSpan d = SpanNamed(2, "DELETE");
  EXPECT_EQ(std::get<int64_t>(d.attributes.at("http.response.status_code")), 405);

  // An unknown method: "_OTHER" with the original kept, and "HTTP" as the name.
  std::string raw = RawRequest(port(), "PURGE /stock/book HTTP/1.1\r\nHost: " + host() + "\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(raw.starts_with("HTTP/1.1 405")) << raw;
  CapturedSpan p = SpanNamed(3, "HTTP");
  EXPECT_EQ(std::get<std::string>(p.attributes.at("http.request.method")), "_OTHER");
  EXPECT_EQ(std::get<std::string>(p.attributes.at("http.request.method_original")), "PURGE");
}

TEST_F(TracedServerTest, ThrowingHandlerAnswers500AndRecordsTheException) {
  net::HttpResponse resp = Get("/boom");
  EXPECT_EQ(resp.status, 500u);
  EXPECT_EQ(resp.body, "internal error: boom\n");
  for (const auto& [k, v] : resp.headers) EXPECT_NE(k, "X-Partial");  // a half-built response is discarded
  CapturedSpan s = SpanNamed(1, "GET /boom");
  EXPECT_EQ(s.status, model::StatusCode::kError);
  EXPECT_EQ(s.status_message, "boom");
  EXPECT_EQ(std::get<std::string>(s.attributes.at("error.type")), "std::runtime_error");
  EXPECT_EQ(std::get<int64_t>(s.attributes.at("http.response.status_code")), 500);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].name, "exception");
  EXPECT_EQ(std::get<std::string>(s.events[0].attributes.at("exception.type")), "std::runtime_error");
  EXPECT_EQ(std::get<std::string>(s.events[0].attributes.at("exception.message")), "boom");

  net::HttpResponse odd = Get("/boom-int");
  EXPECT_EQ(odd.status, 500u);
  EXPECT_EQ(odd.body, "internal error: a non-standard exception was thrown\n");
  CapturedSpan o = SpanNamed(2, "GET /boom-int");
  EXPECT_EQ(std::get<std::string>(o.attributes.at("error.type")), "unknown");

  // And the server still serves.
  EXPECT_EQ(Get("/stock/book").status, 200u);
}

TEST(TracedServerNoProviderTest, WithoutAProviderRequestsAreServedAndContextStillFlows) {
  Router router;
  std::string seen;
  router.Handle("GET", "/x", [&](net::HttpRequest&, const PathParams&, net::HttpResponse& resp) {
    seen = Context::Current().span_context().trace_id.ToHex();
  });
  auto server = StartTracedServer({}, std::move(router));
  ASSERT_TRUE(server.ok());
  auto resp = net::HttpCall("127.0.0.1", (*server)->port(), "GET", "/x", "", {{{"traceparent", kTraceparent}}});
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 200u);
  EXPECT_EQ(seen, kTraceId);
  (*server)->Stop();
}

TEST(TracedServerStartTest, BusyPortIsAnError) {
  auto first = StartTracedServer({}, Router());
  ASSERT_TRUE(first.ok());
  TracedServerOptions options;
  options.http.port = (*first)->port();
  auto second = StartTracedServer(options, Router());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find(std::to_string((*first)->port())), std::string::npos)
      << second.status().message();
  (*first)->Stop();
}

}  // namespace
}  // namespace rubato::sdk::http
