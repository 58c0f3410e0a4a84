#include "ingest/limits.h"

#include <gtest/gtest.h>

namespace rubato::ingest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A batch of `n` spans, span i in trace (i % traces), each with a name of `name_bytes`.
void Build(model::Batch* b, int n, int traces, size_t name_bytes) {
  b->AddResource({});
  b->AddScope("s", "1");
  std::string_view name = b->Own(std::string(name_bytes, 'x'));
  for (int i = 0; i < n; ++i) {
    model::Span s;
    s.trace_id.bytes[0] = static_cast<uint8_t>(1 + i % traces);
    s.span_id.bytes[0] = static_cast<uint8_t>(1 + i);
    s.name = name;
    b->AddSpan(s);
  }
}

TEST(IngestLimiterTest, TokenBucketAdmitsBurstThenRate) {
  LimitsConfig c;
  c.rate_limit_bytes = 1000;
  c.burst_size_bytes = 2000;
  IngestLimiter l(c);
  auto t0 = Clock::now();
  EXPECT_EQ(l.AdmitBytes("a", 1500, t0), 0);
  EXPECT_DOUBLE_EQ(l.AdmitBytes("a", 1000, t0), 0.5);  // 500 left, 500 more needed at 1000 B/s
  EXPECT_EQ(l.AdmitBytes("b", 1500, t0), 0);           // tenants are separate
  EXPECT_EQ(l.AdmitBytes("a", 1000, t0 + milliseconds(500)), 0);
  EXPECT_EQ(l.AdmitBytes("a", 5000, t0 + seconds(10)), 0);  // larger than the burst: passes on a full bucket
  EXPECT_GT(l.AdmitBytes("a", 1, t0 + seconds(10)), 0);
}

TEST(IngestLimiterTest, MaxBytesPerTraceKeepsEarlierSpans) {
  model::Batch b;
  Build(&b, 5, 1, 40);
  uint64_t one = EstimateSpanBytes(b, b.spans[0]);
  EXPECT_EQ(one, 100u);  // 60 fixed + 40 of name
  LimitsConfig c;
  c.max_bytes_per_trace = 3 * one;
  IngestLimiter l(c);
  std::vector<SpanVerdict> v;
  l.AdmitSpans("t", b, std::vector<bool>(5, true), Clock::now(), &v);
  EXPECT_EQ(v, (std::vector<SpanVerdict>{SpanVerdict::kAccept, SpanVerdict::kAccept, SpanVerdict::kAccept,
                                         SpanVerdict::kTraceTooLarge, SpanVerdict::kTraceTooLarge}));
}

TEST(IngestLimiterTest, LiveTracesLimitAndIdleRelease) {
  model::Batch b;
  Build(&b, 4, 4, 1);  // four traces
  LimitsConfig c;
  c.max_live_traces = 2;
  c.trace_idle_period = seconds(10);
  IngestLimiter l(c);
  std::vector<SpanVerdict> v;
  std::vector<bool> valid = {true, false, true, true};  // invalid spans take no slot
  auto t0 = Clock::now();
  l.AdmitSpans("t", b, valid, t0, &v);
  EXPECT_EQ(v, (std::vector<SpanVerdict>{SpanVerdict::kAccept, SpanVerdict::kAccept, SpanVerdict::kAccept,
                                         SpanVerdict::kLiveTracesExceeded}));
  EXPECT_EQ(l.live_traces("t"), 2u);
  l.AdmitSpans("t", b, std::vector<bool>(4, true), t0 + seconds(11) + seconds(1), &v);  // all idle: freed
  EXPECT_EQ(v[0], SpanVerdict::kAccept);
  EXPECT_EQ(v[3], SpanVerdict::kLiveTracesExceeded);
}

}  // namespace
}  // namespace rubato::ingest
