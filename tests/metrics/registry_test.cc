#include "metrics/registry.h"

#include <gtest/gtest.h>

namespace rubato::metrics {
namespace {

TEST(RegistryTest, RendersPrometheusTextExactly) {
  Registry r;
  r.GetCounter("rubato_requests_total", "Requests.", {{"protocol", "http"}, {"result", "ok"}})->Add(3);
  r.GetCounter("rubato_requests_total", "ignored", {{"protocol", "grpc"}, {"result", "ok"}})->Add();
  r.GetGauge("rubato_live_traces", "Live traces.")->Set(7);
  Histogram* h = r.GetHistogram("rubato_duration_seconds", "Durations.", {{"protocol", "http"}}, {0.1, 1});
  h->Observe(0.05);
  h->Observe(0.1);  // le is inclusive
  h->Observe(5);
  EXPECT_EQ(r.Render(),
            "# HELP rubato_duration_seconds Durations.\n"
            "# TYPE rubato_duration_seconds histogram\n"
            "rubato_duration_seconds_bucket{protocol=\"http\",le=\"0.1\"} 2\n"
            "rubato_duration_seconds_bucket{protocol=\"http\",le=\"1\"} 2\n"
            "rubato_duration_seconds_bucket{protocol=\"http\",le=\"+Inf\"} 3\n"
            "rubato_duration_seconds_sum{protocol=\"http\"} 5.15\n"
            "rubato_duration_seconds_count{protocol=\"http\"} 3\n"
            "# HELP rubato_live_traces Live traces.\n"
            "# TYPE rubato_live_traces gauge\n"
            "rubato_live_traces 7\n"
            "# HELP rubato_requests_total Requests.\n"
            "# TYPE rubato_requests_total counter\n"
            "rubato_requests_total{protocol=\"grpc\",result=\"ok\"} 1\n"
            "rubato_requests_total{protocol=\"http\",result=\"ok\"} 3\n");
}

TEST(RegistryTest, SameNameAndLabelsGiveSameMetric) {
  Registry r;
  Counter* a = r.GetCounter("c", "h", {{"k", "v"}});
  EXPECT_EQ(a, r.GetCounter("c", "h", {{"k", "v"}}));
  EXPECT_NE(a, r.GetCounter("c", "h", {{"k", "w"}}));
  EXPECT_THROW(r.GetGauge("c", "h"), std::logic_error);
}

TEST(RegistryTest, EscapesLabelValues) {
  EXPECT_EQ(RenderLabels({{"a", "x\"y\\z\nw"}}), "{a=\"x\\\"y\\\\z\\nw\"}");
  EXPECT_EQ(RenderLabels({}), "");
}

}  // namespace
}  // namespace rubato::metrics

namespace rubato::metrics {
namespace {

TEST(RegistryTest, CounterFuncsJoinTheirFamily) {
  Registry r;
  r.GetCounter("req_total", "Requests.", {{"protocol", "http"}})->Add(2);
  uint64_t grpc = 5;
  r.AddCounterFunc("req_total", "Requests.", {{"protocol", "grpc"}}, [&] { return grpc; });
  grpc = 6;
  EXPECT_EQ(r.Render(),
            "# HELP req_total Requests.\n# TYPE req_total counter\n"
            "req_total{protocol=\"grpc\"} 6\nreq_total{protocol=\"http\"} 2\n");
}

}  // namespace
}  // namespace rubato::metrics
