// Spans that go through the batch processor's staging (copied into chunks,
// or held as records) leave exactly as the simple processor, which reads the
// record itself, exports them: one provider feeds both, span by span.
#include <gtest/gtest.h>

#include <span>
#include <string>

#include "sdk/trace/span_chunk.h"
#include "sdk/trace/tracer_provider.h"
#include "tests/sdk/trace/memory_exporter.h"

namespace rubato::sdk {
namespace {

using testing::ExportedSpan;
using testing::ExportLog;
using testing::MemoryExporter;

void ExpectSame(const ExportedSpan& a, const ExportedSpan& b, size_t i) {
  EXPECT_EQ(a.name, b.name) << i;
  EXPECT_EQ(a.trace_id, b.trace_id) << i;
  EXPECT_EQ(a.span_id, b.span_id) << i;
  EXPECT_EQ(a.parent_span_id, b.parent_span_id) << i;
  EXPECT_EQ(a.trace_state, b.trace_state) << i;
  EXPECT_EQ(a.kind, b.kind) << i;
  EXPECT_EQ(a.status, b.status) << i;
  EXPECT_EQ(a.status_message, b.status_message) << i;
  EXPECT_EQ(a.start, b.start) << i;
  EXPECT_EQ(a.end, b.end) << i;
  EXPECT_EQ(a.flags, b.flags) << i;
  EXPECT_EQ(a.attributes, b.attributes) << i;
  EXPECT_EQ(a.dropped_attributes, b.dropped_attributes) << i;
  EXPECT_EQ(a.dropped_events, b.dropped_events) << i;
  EXPECT_EQ(a.dropped_links, b.dropped_links) << i;
  ASSERT_EQ(a.events.size(), b.events.size()) << i;
  for (size_t e = 0; e < a.events.size(); ++e) {
    EXPECT_EQ(a.events[e].name, b.events[e].name) << i;
    EXPECT_EQ(a.events[e].attributes, b.events[e].attributes) << i;
  }
  ASSERT_EQ(a.links.size(), b.links.size()) << i;
  for (size_t l = 0; l < a.links.size(); ++l) EXPECT_EQ(a.links[l].span_id, b.links[l].span_id) << i;
  EXPECT_EQ(a.scope_name, b.scope_name) << i;
  EXPECT_EQ(a.resource, b.resource) << i;
}

// Every kind of span, 19 of them: common ones (each value type, a status
// code, given times), and ones only a record can carry.
void RecordEveryKind(const Tracer& tracer, int round) {
  const uint64_t t = 1000 + static_cast<uint64_t>(round) * 10;
  for (int i = 0; i < 10; ++i) {
    Span s = tracer.StartSpan("common", {.kind = SpanKind::kClient, .start_time_unix_nano = t});
    s.SetAttribute("str", "v" + std::to_string(i)).SetAttribute("int", i).SetAttribute("dbl", 0.5 * i);
    s.SetAttribute("flag", i % 2 == 0).SetStatus(StatusCode::kError);
    s.End(t + 5);
  }
  tracer.StartSpan("same-length-keys").SetAttribute("aa", 1).SetAttribute("bb", 2).SetAttribute("aa", 3).End(t);
  tracer.StartSpan("event").AddEvent("e", {{"k", "v"}}, t).End(t);
  tracer.StartSpan("status-message").SetStatus(StatusCode::kError, "broken").End(t);
  const int64_t list[] = {1, 2, 3};
  tracer.StartSpan("array").SetAttribute("list", std::span<const int64_t>(list)).End(t);
  Span parent = tracer.StartSpan("parent");
  tracer.StartSpan("link").AddLink(parent.context()).End(t);
  parent.End(t);
  tracer.StartSpan(std::string(3000, 'n')).End(t);  // copied, once the record has room
  tracer.StartSpan(std::string(SpanChunk::kMaxCopiedStringBytes + 1, 'h')).End(t);  // held
  Span dropped = tracer.StartSpan("dropped");
  for (int i = 0; i < 6; ++i) dropped.SetAttribute("attr" + std::to_string(i), i);
  dropped.End(t);
}

TEST(StagedFidelityTest, StagedSpansLeaveExactlyAsRecorded) {
  auto staged = std::make_shared<ExportLog>();
  auto direct = std::make_shared<ExportLog>();
  TracerProviderOptions options;
  options.resource.attributes = {{"service.name", "fidelity"}};
  options.limits.attribute_count = 5;
  BatchProcessorOptions batch;
  batch.max_queue_size = 4096;
  batch.max_export_batch_size = 512;
  batch.schedule_delay = std::chrono::hours(1);
  // The batch processor first: it copies and lets go of a record the simple
  // one still holds.
  options.processors.push_back(BatchSpanProcessor(std::make_unique<MemoryExporter>(staged), batch));
  options.processors.push_back(SimpleSpanProcessor(std::make_unique<MemoryExporter>(direct)));
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("fidelity-scope", "1");
  for (int round = 0; round < 8; ++round) RecordEveryKind(tracer, round);  // 152 spans: several chunks
  ASSERT_TRUE(provider.ForceFlush().ok());

  std::lock_guard a(staged->mu);
  std::lock_guard b(direct->mu);
  ASSERT_EQ(staged->spans.size(), 152u);
  ASSERT_EQ(direct->spans.size(), 152u);
  EXPECT_EQ(staged->export_sizes, (std::vector<size_t>{152}));
  for (size_t i = 0; i < 152; ++i) ExpectSame(staged->spans[i], direct->spans[i], i);
  // Spot checks that the comparison covers what matters.
  EXPECT_EQ(staged->spans[3].attributes.at("str"), "v3");
  EXPECT_EQ(staged->spans[10].attributes.at("aa"), "3");
  EXPECT_EQ(staged->spans[12].status_message, "broken");
  EXPECT_EQ(staged->spans[13].attributes.at("list"), "[1,2,3]");
  EXPECT_EQ(staged->spans[18].dropped_attributes, 1u);
  EXPECT_EQ(staged->spans[19 + 16].name, std::string(3000, 'n'));
}

}  // namespace
}  // namespace rubato::sdk
