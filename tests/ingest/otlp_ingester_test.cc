// Limits are never silent: refusals come back as partial success or a
// retryable status, show in /metrics by reason, and mark the trace partial.
#include "ingest/otlp_ingester.h"

#include <gtest/gtest.h>

#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "store/memory_store.h"
#include "tests/otlp/fixture_file.h"

namespace rubato::ingest {
namespace {

std::string Fixture() { return testing::ReadFixture("otel-js/trace.pb"); }  // one trace, 4 spans

TEST(OtlpIngesterTest, TraceTooLargeKeepsFirstSpansAndMarksTrace) {
  store::MemoryStore store;
  metrics::Registry registry;
  LimitsConfig limits;
  limits.max_bytes_per_trace = 700;  // room for the first two spans of the fixture only
  OtlpIngester ingester(&store, &registry, limits);
  auto r = ingester.Export("single-tenant", Fixture(), Encoding::kProtobuf);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->accepted_spans, 2);
  EXPECT_EQ(r->rejected_spans, 2);
  EXPECT_EQ(r->error_message,
            "2 span(s) refused: the trace exceeds max_bytes_per_trace; spans already accepted are kept and the "
            "trace is marked partial");
  auto found = store.FindTrace("single-tenant", *model::TraceId::FromHex("5b8aa5a2d2c872e8321cf37308d69df2"), {});
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->truncated);
  EXPECT_EQ(found->batch.spans.size(), 2u);
  std::string text = registry.Render();
  EXPECT_NE(text.find("rubato_spans_rejected_total{reason=\"trace_too_large\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("rubato_spans_accepted_total 2\n"), std::string::npos);
}

TEST(OtlpIngesterTest, RateLimitIsRetryableAndCounted) {
  store::MemoryStore store;
  metrics::Registry registry;
  LimitsConfig limits;
  limits.rate_limit_bytes = 1000;
  limits.burst_size_bytes = 3000;  // the fixture is 2246 bytes: one fits, the second does not
  OtlpIngester ingester(&store, &registry, limits);
  ASSERT_TRUE(ingester.Export("t", Fixture(), Encoding::kProtobuf).ok());
  auto r = ingester.Export("t", Fixture(), Encoding::kProtobuf);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), rubato::StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), "rate limited: tenant t is over its ingestion rate limit; retry in 2 s");
  EXPECT_NE(registry.Render().find("rubato_spans_rejected_total{reason=\"rate_limited\"} 4\n"), std::string::npos);
}

TEST(OtlpIngesterTest, LiveTracesExceededRefusesNewTracesOnly) {
  store::MemoryStore store;
  metrics::Registry registry;
  LimitsConfig limits;
  limits.max_live_traces = 1;
  OtlpIngester ingester(&store, &registry, limits);
  ASSERT_EQ(ingester.Export("t", Fixture(), Encoding::kProtobuf)->rejected_spans, 0);
  model::Batch b;
  ASSERT_TRUE(otlp::DecodeProtobuf(Fixture(), &b).ok());
  b.spans[0].trace_id.bytes[0] ^= 1;  // one span of a second trace, three of the live one
  auto r = ingester.Export("t", otlp::EncodeProtobuf(b), Encoding::kProtobuf);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted_spans, 3);
  EXPECT_EQ(r->rejected_spans, 1);
  EXPECT_NE(r->error_message.find("max_traces_per_user"), std::string::npos);
}

}  // namespace
}  // namespace rubato::ingest
