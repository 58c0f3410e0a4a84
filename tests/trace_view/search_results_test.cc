#include "trace_view/search_results.h"

#include <gtest/gtest.h>

namespace rubato::trace_view {
namespace {

// Shaped as Tempo 2.x answers GET /api/search (jsonpb: 64-bit integers quoted).
constexpr const char* kTempoAnswer = R"({
  "traces": [
    {"traceID": "2f3e0cee77ae5dc9c17ade3689eb2e54", "rootServiceName": "order-service",
     "rootTraceName": "POST /orders", "startTimeUnixNano": "1684778327699392724", "durationMs": 342,
     "spanSets": [{"spans": [], "matched": 1}]},
    {"traceID": "b1c2", "rootServiceName": "<root span not yet received>",
     "startTimeUnixNano": 1684778330000000000},
    {"traceID": "c3d4", "rootServiceName": "inventory-service", "rootTraceName": "GET /stock/{item}",
     "startTimeUnixNano": "1684778331000000000", "durationMs": "7"}
  ],
  "metrics": {"inspectedBytes": "1024", "completedJobs": 1, "totalJobs": 1}
})";

TEST(SearchResults, ParsesAndRendersTempoAnswer) {
  auto hits = ParseSearchResponse(kTempoAnswer);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  ASSERT_EQ(hits->size(), 3u);
  EXPECT_EQ((*hits)[0].trace_id, "2f3e0cee77ae5dc9c17ade3689eb2e54");
  EXPECT_EQ((*hits)[0].start_unix_nano, 1684778327699392724ULL);
  EXPECT_EQ((*hits)[0].duration_ms, 342u);
  EXPECT_EQ((*hits)[1].duration_ms, 0u);
  EXPECT_EQ((*hits)[2].duration_ms, 7u);
  EXPECT_EQ(RenderSearchHits(*hits),
            "TRACE ID                          START (UTC)          DURATION  ROOT\n"
            "2f3e0cee77ae5dc9c17ade3689eb2e54  2023-05-22 17:58:47     342ms  order-service: POST /orders\n"
            "b1c2                              2023-05-22 17:58:50      <1ms  <root span not yet received>\n"
            "c3d4                              2023-05-22 17:58:51       7ms  inventory-service: GET /stock/{item}\n"
            "3 traces\n");
}

TEST(SearchResults, NothingMatched) {
  for (const char* body : {R"({"traces":[]})", R"({"metrics":{}})", R"({"traces":null})"}) {
    auto hits = ParseSearchResponse(body);
    ASSERT_TRUE(hits.ok()) << body;
    EXPECT_TRUE(hits->empty());
    EXPECT_EQ(RenderSearchHits(*hits), "no traces matched\n");
  }
}

TEST(SearchResults, OtherShapesAreErrorsSayingWhy) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {"404 page not found", "search answer is not JSON: "},
      {"[1,2]", "search answer is not a JSON object"},
      {R"({"traces":{}})", "search answer: \"traces\" is not an array"},
      {R"({"traces":[7]})", "search answer: traces[0] is not an object"},
      {R"({"traces":[{"rootServiceName":"x"}]})", "search answer: traces[0] has no traceID"},
      {R"({"traces":[{"traceID":"ab","startTimeUnixNano":"soon"}]})",
       "search answer: traces[0].startTimeUnixNano is not a number"},
      {R"({"traces":[{"traceID":"ab","durationMs":true}]})", "search answer: traces[0].durationMs is not a number"},
  };
  for (const auto& c : cases) {
    auto hits = ParseSearchResponse(c.body);
    ASSERT_FALSE(hits.ok()) << c.body;
    EXPECT_EQ(hits.status().message().substr(0, std::string(c.message).size()), c.message) << c.body;
  }
  auto long_id = ParseSearchResponse(R"({"traces":[{"traceID":")" + std::string(65, 'a') + R"("}]})");
  ASSERT_FALSE(long_id.ok());
  EXPECT_EQ(long_id.status().message(), "search answer: traces[0].traceID is 65 characters long (want at most 32)");
}

}  // namespace
}  // namespace rubato::trace_view
