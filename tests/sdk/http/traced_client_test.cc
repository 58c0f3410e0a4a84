// TracedCall over real sockets: CLIENT spans, injected headers (a new
// parent-id per call), status rules, and transport failures.
#include "sdk/http/traced_client.h"

#include <gtest/gtest.h>

#include "sdk/http/traced_server.h"
#include "tests/sdk/http/span_capture.h"

namespace rubato::sdk::http {
namespace {

using testing::Attrs;
using testing::CapturedSpan;
using testing::CapturingServer;
using testing::TestTracing;

std::string Base(uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

TEST(TracedClientTest, ClientSpanIsAChildOfTheCallerAndItsIdIsTheInjectedParent) {
  TestTracing tracing;
  CapturingServer downstream(201);
  const std::string url = Base(downstream.port()) + "/orders?x=1";
  model::TraceId caller_trace;
  model::SpanId caller_span;
  {
    Span caller = GetTracer("test").StartSpan("caller");
    caller_trace = caller.context().trace_id;
    caller_span = caller.context().span_id;
    ContextScope scope = caller.MakeCurrent();
    ClientCallOptions options;
    options.headers = {{"Content-Type", "application/json"}, {"X-Custom", "yes"}};
    for (int i = 0; i < 2; ++i) {
      auto resp = TracedCall("POST", url, R"({"n":1})", options);
      ASSERT_TRUE(resp.ok()) << resp.status().message();
      EXPECT_EQ(resp->status, 201u);
      EXPECT_EQ(resp->body, "captured");
    }
    // The caller's context is current again after the calls.
    EXPECT_EQ(Context::Current().span_context().span_id, caller_span);
  }
  auto spans = tracing.spans().WaitFor(3);
  ASSERT_EQ(spans.size(), 3u);
  auto requests = downstream.WaitFor(2);
  ASSERT_EQ(requests.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    const CapturedSpan& client = spans[i];
    EXPECT_EQ(client.name, "POST");
    EXPECT_EQ(client.scope, "rubato.http.client");
    EXPECT_EQ(client.kind, model::SpanKind::kClient);
    EXPECT_EQ(client.trace_id, caller_trace);
    EXPECT_EQ(client.parent_span_id, caller_span);
    EXPECT_EQ(client.status, model::StatusCode::kUnset);
    const Attrs expected = {
        {"http.request.method", std::string("POST")},
        {"url.full", url},
        {"server.address", std::string("127.0.0.1")},
        {"server.port", int64_t{downstream.port()}},
        {"http.response.status_code", int64_t{201}},
    };
    EXPECT_EQ(client.attributes, expected);
    const net::HttpRequest& req = requests[i];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.target, "/orders?x=1");
    EXPECT_EQ(req.body, R"({"n":1})");
    EXPECT_EQ(req.Header("x-custom"), "yes");
    EXPECT_EQ(req.Header("traceparent"), testing::TraceparentOf(client));
    EXPECT_EQ(client.flags & SpanContext::kSampled, SpanContext::kSampled);
  }
  EXPECT_NE(spans[0].span_id, spans[1].span_id);  // a new parent-id on each call
  EXPECT_EQ(spans[2].name, "caller");
}

TEST(TracedClientTest, WithoutACurrentSpanTheClientSpanIsARoot) {
  TestTracing tracing;
  CapturingServer downstream;
  auto resp = TracedCall("GET", Base(downstream.port()) + "/stock/book");
  ASSERT_TRUE(resp.ok()) << resp.status().message();
  auto spans = tracing.spans().WaitFor(1);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].name, "GET");
  EXPECT_TRUE(spans[0].parent_span_id.IsZero());
  auto requests = downstream.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].Header("traceparent"), testing::TraceparentOf(spans[0]));
}

TEST(TracedClientTest, ClientAndServerErrorsAreErrorStatus) {
  TestTracing tracing;
  for (unsigned code : {404u, 500u}) {
    CapturingServer downstream(code);
    auto resp = TracedCall("GET", Base(downstream.port()) + "/x");
    ASSERT_TRUE(resp.ok()) << resp.status().message();  // an HTTP answer is not a transport failure
    EXPECT_EQ(resp->status, code);
  }
  auto spans = tracing.spans().WaitFor(2);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(std::get<std::string>(spans[0].attributes.at("error.type")), "404");
  EXPECT_EQ(std::get<int64_t>(spans[0].attributes.at("http.response.status_code")), 404);
  EXPECT_EQ(spans[1].status, model::StatusCode::kError);
  EXPECT_EQ(std::get<std::string>(spans[1].attributes.at("error.type")), "500");
}

TEST(TracedClientTest, ClosedPortIsUnavailableWithErrorType) {
  TestTracing tracing;
  uint16_t closed_port;
  {
    CapturingServer gone;
    closed_port = gone.port();
  }
  const std::string url = Base(closed_port) + "/notify";
  auto resp = TracedCall("POST", url, "{}");
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), ::rubato::StatusCode::kUnavailable);
  EXPECT_NE(resp.status().message().find("POST " + url), std::string::npos) << resp.status().message();
  auto spans = tracing.spans().WaitFor(1);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(std::get<std::string>(spans[0].attributes.at("error.type")), "connection_refused");
  EXPECT_EQ(spans[0].attributes.count("http.response.status_code"), 0u);
}

TEST(TracedClientTest, TimeoutIsUnavailableWithErrorTypeTimeout) {
  TestTracing tracing;
  CapturingServer slow(200, std::chrono::milliseconds(500));
  ClientCallOptions options;
  options.timeout = std::chrono::milliseconds(100);
  auto resp = TracedCall("POST", Base(slow.port()) + "/notify", "{}", options);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().code(), ::rubato::StatusCode::kUnavailable);
  auto spans = tracing.spans().WaitFor(1);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status, model::StatusCode::kError);
  EXPECT_EQ(std::get<std::string>(spans[0].attributes.at("error.type")), "timeout");
}

TEST(TracedClientTest, BadInputIsInvalidArgumentWithoutASpan) {
  TestTracing tracing;
  auto bad_url = TracedCall("GET", "localhost:8002/stock");
  ASSERT_FALSE(bad_url.ok());
  EXPECT_EQ(bad_url.status().code(), ::rubato::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_url.status().message(), "bad URL \"localhost:8002/stock\": it must start with http://");
  auto bad_method = TracedCall("FETCH", "http://127.0.0.1:1/");
  ASSERT_FALSE(bad_method.ok());
  EXPECT_EQ(bad_method.status().message(), "unsupported HTTP method \"FETCH\"");
  ClientCallOptions options;
  options.headers = {{"X-Evil", "a\r\nInjected: 1"}};
  auto bad_header = TracedCall("GET", "http://127.0.0.1:1/", "", options);
  ASSERT_FALSE(bad_header.ok());
  EXPECT_EQ(bad_header.status().message(),
            "bad header \"X-Evil\": names are tokens, values have no CR, LF or NUL");
  EXPECT_TRUE(tracing.spans().Snapshot().empty());
}

// Two traced services: A's handler calls B. One trace: A SERVER → A CLIENT → B SERVER.
TEST(TracedClientTest, ServerToServerChainIsOneTrace) {
  TestTracing tracing;
  Router b_routes;
  b_routes.Handle("GET", "/stock/{item}", [](net::HttpRequest&, const PathParams&, net::HttpResponse& resp) {
    resp.body = "5";
  });
  auto b = StartTracedServer({}, std::move(b_routes));
  ASSERT_TRUE(b.ok());
  const std::string b_url = Base((*b)->port()) + "/stock/book";
  Router a_routes;
  a_routes.Handle("POST", "/orders", [&](net::HttpRequest&, const PathParams&, net::HttpResponse& resp) {
    auto stock = TracedCall("GET", b_url);
    resp.status = stock.ok() ? 201 : 502;
  });
  auto a = StartTracedServer({}, std::move(a_routes));
  ASSERT_TRUE(a.ok());

  auto resp = TracedCall("POST", Base((*a)->port()) + "/orders", "{}");
  ASSERT_TRUE(resp.ok()) << resp.status().message();
  EXPECT_EQ(resp->status, 201u);
  auto spans = tracing.spans().WaitFor(4);
  ASSERT_EQ(spans.size(), 4u);
  // End order: B SERVER, A's CLIENT GET, A SERVER, the test's CLIENT POST.
  const CapturedSpan& b_server = spans[0];
  const CapturedSpan& a_client = spans[1];
  const CapturedSpan& a_server = spans[2];
  const CapturedSpan& root = spans[3];
  EXPECT_EQ(b_server.name, "GET /stock/{item}");
  EXPECT_EQ(a_client.name, "GET");
  EXPECT_EQ(a_server.name, "POST /orders");
  EXPECT_EQ(root.name, "POST");
  for (const CapturedSpan& s : spans) EXPECT_EQ(s.trace_id, root.trace_id) << s.name;
  EXPECT_TRUE(root.parent_span_id.IsZero());
  EXPECT_EQ(a_server.parent_span_id, root.span_id);
  EXPECT_EQ(a_client.parent_span_id, a_server.span_id);
  EXPECT_EQ(b_server.parent_span_id, a_client.span_id);
  (*a)->Stop();
  (*b)->Stop();
}

}  // namespace
}  // namespace rubato::sdk::http
