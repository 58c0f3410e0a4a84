// Tempo's search endpoints over real sockets (src/api/search_api.cc through
// TempoApi): /api/search with TraceQL and with the legacy parameters, tags
// and tag values v1 and v2, parameter errors, tenants, and `rubato search`'s
// parser reading the answer.
#include "api/search_api.h"

#include <gtest/gtest.h>

#include "api/tempo_api.h"
#include "net/http_client.h"
#include "query/traceql/plan.h"
#include "tests/query/search/search_fixture.h"
#include "trace_view/search_results.h"

namespace rubato::api {
namespace {

using query::search::testing::kSecond;
using query::search::testing::kT0;
using query::search::testing::TraceHex;

class SearchApiTest : public query::search::testing::SearchDataset {
 protected:
  void SetUp() override {
    SearchDataset::SetUp();
    // No background warmer: it would build catalogs while a test's search
    // runs, and whether a block is pruned by its catalog would then depend on
    // timing (the metrics below count the blocks read).
    api_ = std::make_unique<TempoApi>(db_.get(), BuildInfo{"1", "r", "main", "today"}, /*multitenancy=*/true, nullptr,
                                      SearchApiOptions{.warm_catalogs = false});
    auto server = net::HttpServer::Start({}, [this](net::HttpRequest& req, net::HttpResponse& resp) {
      api_->Handle(req, resp);
    });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
  }
  void TearDown() override {
    db_->SetBlockEvents({});
    server_.reset();
    api_.reset();
  }

  net::HttpResponse Get(const std::string& target, const std::string& tenant = "t", const std::string& method = "GET") {
    net::HttpCallOptions o;
    if (!tenant.empty()) o.headers = {{"X-Scope-OrgID", tenant}};
    auto r = net::HttpCall("127.0.0.1", server_->port(), method, target, "", o);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : net::HttpResponse{};
  }
  // The body up to its "metrics" (they carry byte counts of the block encoding).
  static std::string Traces(const std::string& body) { return body.substr(0, body.find(",\"metrics\":")); }
  // Trace numbers in answer order, read back by `rubato search`'s parser.
  static std::vector<std::string> Hits(const std::string& body) {
    auto hits = trace_view::ParseSearchResponse(body);
    EXPECT_TRUE(hits.ok()) << hits.status().message();
    std::vector<std::string> out;
    if (hits.ok()) {
      for (const auto& h : *hits) out.push_back(h.trace_id.substr(h.trace_id.size() - 2));
    }
    return out;
  }

  std::unique_ptr<TempoApi> api_;
  std::unique_ptr<net::HttpServer> server_;
};

using Strings = std::vector<std::string>;

// A compaction output's catalog is the union of its inputs', made when it
// replaces them: values stay answerable and nothing is decoded again.
TEST_F(SearchApiTest, CompactionOutputCatalogIsMergedFromItsInputs) {
  db_->SetBlockEvents(api_->search().CatalogEvents());
  Put(query::search::testing::TraceBatch(
      20, 400, {{1, 0, "order-service", "GET /cut", 0, 10, model::SpanKind::kServer, model::StatusCode::kUnset,
                 {query::search::testing::S("cut.marker", "in-a-block")}}}));
  Cut();
  net::HttpResponse r = Get("/api/v2/search/tag/span.cut.marker/values");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, "{\"tagValues\":[{\"type\":\"string\",\"value\":\"in-a-block\"}]}");
  EXPECT_EQ(api_->search().catalog_stats().built_by_decoding, 4u);  // each block once
  bool did = false;
  ASSERT_TRUE(db_->CompactOnce(&did).ok());
  ASSERT_TRUE(did);
  EXPECT_EQ(api_->search().catalog_stats().built_by_merging, 1u);
  EXPECT_EQ(Get("/api/v2/search/tag/span.cut.marker/values").body, r.body);
  EXPECT_EQ(api_->search().catalog_stats().built_by_decoding, 4u);
}

TEST_F(SearchApiTest, TraceQLSearchInTemposShape) {
  net::HttpResponse r = Get("/api/search?q=" + net::UrlEncode("{ span.http.status_code = 500 }"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.content_type, "application/json");
  std::string set = "{\"spans\":[{\"spanID\":\"ab00000000000403\",\"name\":\"POST /charge\",\"startTimeUnixNano\":\"" +
                    std::to_string(kT0 + 110 * kSecond + 30'000'000) +
                    "\",\"durationNanos\":\"40000000\",\"attributes\":[{\"key\":\"http.status_code\",\"value\":"
                    "{\"intValue\":\"500\"}}]}],\"matched\":1}";
  EXPECT_EQ(Traces(r.body),
            "{\"traces\":[{\"traceID\":\"5ea7c000000000000000000000000004\",\"rootServiceName\":\"order-service\","
            "\"rootTraceName\":\"POST /orders\",\"startTimeUnixNano\":\"" +
                std::to_string(kT0 + 110 * kSecond) + "\",\"durationMs\":400,\"spanSet\":" + set + ",\"spanSets\":[" +
                set +
                "],\"serviceStats\":{\"inventory-service\":{\"spanCount\":1},\"order-service\":{\"spanCount\":1},"
                "\"payment-service\":{\"spanCount\":1,\"errorCount\":1}}}]");
  // Every unit read (no early stop: one match among 11 pieces). The column
  // prefilter tests all 33 spans but decodes and evaluates only the 3 pieces
  // it cannot rule out (the head's traces and the block candidates).
  std::string m = r.body.substr(r.body.find("\"metrics\":"));
  EXPECT_NE(m.find("\"inspectedTraces\":3,"), std::string::npos) << m;
  EXPECT_NE(m.find("\"totalBlocks\":3,\"completedJobs\":4,\"totalJobs\":4,\"totalBlockBytes\":\""), std::string::npos) << m;
  EXPECT_NE(m.find("\"inspectedSpans\":\"33\"}}"), std::string::npos) << m;
  EXPECT_NE(m.find("\"inspectedBytes\":\""), std::string::npos) << m;
}

TEST_F(SearchApiTest, RubatoSearchReadsTheAnswer) {
  net::HttpResponse r = Get("/api/search?q=" + net::UrlEncode("{ }") + "&limit=3");
  ASSERT_EQ(r.status, 200u);
  auto hits = trace_view::ParseSearchResponse(r.body);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_EQ(hits->size(), 3u);
  EXPECT_EQ((*hits)[0].trace_id, TraceHex(8));
  EXPECT_EQ((*hits)[0].root_service, "order-service");
  EXPECT_EQ((*hits)[0].root_name, "POST /orders");
  EXPECT_EQ((*hits)[0].start_unix_nano, kT0 + 310 * kSecond);
  EXPECT_EQ((*hits)[0].duration_ms, 800u);
  EXPECT_EQ((*hits)[2].trace_id, TraceHex(10));
  EXPECT_EQ((*hits)[2].root_name, "nightly-batch");
  EXPECT_EQ(trace_view::RenderSearchHits(*hits).substr(0, 8), "TRACE ID");
}

TEST_F(SearchApiTest, LimitSpssAndTimeRange) {
  EXPECT_EQ(Hits(Get("/api/search?q=%7B%7D&limit=2").body), (Strings{"08", "07"}));
  EXPECT_EQ(Hits(Get("/api/search?q=%7B%7D&start=" + std::to_string(kT0 / kSecond + 90) +
                     "&end=" + std::to_string(kT0 / kSecond + 150)).body),
            (Strings{"04", "03"}));
  net::HttpResponse spss = Get("/api/search?q=" + net::UrlEncode("{ name = \"batch-item\" }") + "&spss=1");
  EXPECT_NE(spss.body.find("\"spanSets\":[{\"spans\":[{\"spanID\":\"ab00000000000a02\""), std::string::npos) << spss.body;
  EXPECT_NE(spss.body.find("}],\"matched\":5}]"), std::string::npos) << spss.body;
}

TEST_F(SearchApiTest, LegacyTagsAndDurations) {
  std::string tags = net::UrlEncode("service.name=payment-service http.status_code=500");
  EXPECT_EQ(Hits(Get("/api/search?tags=" + tags).body), (Strings{"04"}));
  EXPECT_EQ(Hits(Get("/api/search?tags=error%3Dtrue").body), (Strings{"04"}));
  EXPECT_EQ(Hits(Get("/api/search?tags=" + net::UrlEncode("name=\"send-email\"")).body), (Strings{"08"}));
  EXPECT_EQ(Hits(Get("/api/search?minDuration=450ms&maxDuration=0.95s").body), (Strings{"08", "07", "06", "05", "09"}));
  EXPECT_EQ(Hits(Get("/api/search?tags=root.service.name%3Dorder-service&minDuration=1s").body), (Strings{"0a"}));
}

TEST_F(SearchApiTest, BadRequestsNameTheProblem) {
  std::string bad = "{ .a = }";
  auto compiled = query::traceql::Plan::Compile(bad);
  ASSERT_FALSE(compiled.ok());
  net::HttpResponse r = Get("/api/search?q=" + net::UrlEncode(bad));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.body, compiled.status().message() + "\n");
  EXPECT_EQ(r.body.substr(0, 4), "1:8:");
  struct Case {
    std::string target, body;
  };
  const Case cases[] = {
      {"/api/search?limit=abc", "invalid limit 'abc': want a positive integer\n"},
      {"/api/search?limit=100001", "limit 100001 is over the maximum of 100000\n"},
      {"/api/search?spss=101", "spss 101 is over the maximum of 100\n"},
      {"/api/search?start=-5", "invalid start '-5': want Unix seconds\n"},
      {"/api/search?start=20&end=10", "start (20) is after end (10)\n"},
      {"/api/search?minDuration=abc", "minDuration: invalid duration 'abc': expected a number\n"},
      {"/api/search?maxDuration=5", "maxDuration: invalid duration '5': missing unit (ns, us, ms, s, m, h)\n"},
      {"/api/search?minDuration=2s&maxDuration=1s", "minDuration is greater than maxDuration\n"},
      {"/api/search?tags=foo", "tags: 'foo' has no value (want key=value)\n"},
      {"/api/search/tags?scope=spans",
       "invalid scope 'spans': want span, resource, event, link, instrumentation, intrinsic or none\n"},
      {"/api/v2/search/tag/span:nope/values", "unknown intrinsic 'span:nope'\n"},
      {"/api/search/tag/x/values?limit=-1", "invalid limit '-1': want a positive integer\n"},
  };
  for (const Case& c : cases) {
    net::HttpResponse got = Get(c.target);
    EXPECT_EQ(got.status, 400u) << c.target;
    EXPECT_EQ(got.body, c.body) << c.target;
  }
  EXPECT_EQ(Get("/api/search", "t", "POST").status, 405u);
  EXPECT_EQ(Get("/api/search", "").status, 401u);  // multi-tenant: X-Scope-OrgID is required
  EXPECT_EQ(Get("/api/search/nope").status, 404u);
}

TEST_F(SearchApiTest, OtherTenantsSeeNothing) {
  EXPECT_EQ(Traces(Get("/api/search", "other").body), "{\"traces\":[]");
  EXPECT_EQ(Get("/api/search/tags", "other").body, "{\"tagNames\":[]}");
}

TEST_F(SearchApiTest, TagNamesV1AndV2) {
  EXPECT_EQ(Get("/api/search/tags").body,
            "{\"tagNames\":[\"http.method\",\"http.status_code\",\"item\",\"messaging.system\",\"service.name\"]}");
  EXPECT_EQ(Get("/api/search/tags?scope=resource").body, "{\"tagNames\":[\"service.name\"]}");
  EXPECT_EQ(Get("/api/search/tags?scope=span&end=" + std::to_string(kT0 / kSecond + 250)).body,
            "{\"tagNames\":[\"http.method\",\"http.status_code\",\"item\"]}");
  std::string intrinsic =
      "{\"name\":\"intrinsic\",\"tags\":[\"duration\",\"event:name\",\"event:timeSinceStart\","
      "\"instrumentation:name\",\"instrumentation:version\",\"kind\",\"name\",\"rootName\",\"rootServiceName\","
      "\"span:duration\",\"span:kind\",\"span:name\",\"span:status\",\"span:statusMessage\",\"status\","
      "\"statusMessage\",\"trace:duration\",\"trace:rootName\",\"trace:rootService\",\"traceDuration\"]}";
  EXPECT_EQ(Get("/api/v2/search/tags").body,
            "{\"scopes\":[{\"name\":\"span\",\"tags\":[\"http.method\",\"http.status_code\",\"item\","
            "\"messaging.system\"]},{\"name\":\"resource\",\"tags\":[\"service.name\"]}," +
                intrinsic + "]}");
  EXPECT_EQ(Get("/api/v2/search/tags?scope=intrinsic").body, "{\"scopes\":[" + intrinsic + "]}");
  EXPECT_EQ(Get("/api/v2/search/tags?scope=span&q=" + net::UrlEncode("{ name = \"send-email\" }")).body,
            "{\"scopes\":[{\"name\":\"span\",\"tags\":[\"messaging.system\"]}]}");
  // What autocomplete sends while typing does not compile: it restricts nothing.
  EXPECT_EQ(Get("/api/v2/search/tags?scope=resource&q=" + net::UrlEncode("{ name = ")).body,
            "{\"scopes\":[{\"name\":\"resource\",\"tags\":[\"service.name\"]}]}");
}

TEST_F(SearchApiTest, TagValuesV1AndV2) {
  EXPECT_EQ(Get("/api/search/tag/service.name/values").body,
            "{\"tagValues\":[\"inventory-service\",\"notification-service\",\"order-service\",\"payment-service\"]}");
  EXPECT_EQ(Get("/api/search/tag/http.status_code/values").body, "{\"tagValues\":[\"200\",\"201\",\"500\",\"502\"]}");
  EXPECT_EQ(Get("/api/search/tag/error/values").body, "{\"tagValues\":[\"true\"]}");
  EXPECT_EQ(Get("/api/v2/search/tag/span.http.status_code/values?limit=2").body,
            "{\"tagValues\":[{\"type\":\"int\",\"value\":\"200\"},{\"type\":\"int\",\"value\":\"201\"}]}");
  EXPECT_EQ(Get("/api/v2/search/tag/status/values").body,
            "{\"tagValues\":[{\"type\":\"keyword\",\"value\":\"error\"},{\"type\":\"keyword\",\"value\":\"ok\"},"
            "{\"type\":\"keyword\",\"value\":\"unset\"}]}");
  EXPECT_EQ(Get("/api/v2/search/tag/duration/values").body, "{\"tagValues\":[]}");
  EXPECT_EQ(Get("/api/v2/search/tag/resource.service.name/values?q=" +
                net::UrlEncode("{ span.http.status_code >= 500 }"))
                .body,
            "{\"tagValues\":[{\"type\":\"string\",\"value\":\"order-service\"},"
            "{\"type\":\"string\",\"value\":\"payment-service\"}]}");
  EXPECT_EQ(Get("/api/v2/search/tag/" + net::UrlEncode("span.\"messaging.system\"") + "/values").body,
            "{\"tagValues\":[{\"type\":\"string\",\"value\":\"kafka\"}]}");
  EXPECT_EQ(Get("/api/v2/search/tag/name/values?start=" + std::to_string(kT0 / kSecond + 305)).body,
            "{\"tagValues\":[{\"type\":\"string\",\"value\":\"GET /stock\"},{\"type\":\"string\",\"value\":"
            "\"POST /charge\"},{\"type\":\"string\",\"value\":\"POST /orders\"},{\"type\":\"string\",\"value\":"
            "\"send-email\"}]}");
}

}  // namespace
}  // namespace rubato::api
