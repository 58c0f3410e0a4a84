// The batch span processor: full batches, drop-and-count, ForceFlush,
// Shutdown, the schedule delay, and what it refuses to export.
#include <gtest/gtest.h>

#include <thread>

#include "sdk/trace/tracer_provider.h"
#include "tests/sdk/trace/memory_exporter.h"

namespace rubato::sdk {
namespace {

using std::chrono::milliseconds;
using testing::ExportLog;
using testing::MemoryExporter;

struct BatchSetup {
  explicit BatchSetup(BatchProcessorOptions options, std::unique_ptr<Sampler> sampler = nullptr) {
    TracerProviderOptions o;
    o.sampler = std::move(sampler);
    o.processors.push_back(BatchSpanProcessor(std::make_unique<MemoryExporter>(log), options));
    provider = std::make_unique<TracerProvider>(std::move(o));
    tracer = provider->GetTracer("batch-test");
  }
  void EndSpans(int n) {
    for (int i = 0; i < n; ++i) tracer.StartSpan("op").SetAttribute("i", i);
  }
  std::vector<size_t> sizes() {
    std::lock_guard lock(log->mu);
    return log->export_sizes;
  }

  std::shared_ptr<ExportLog> log = std::make_shared<ExportLog>();
  std::unique_ptr<TracerProvider> provider;
  Tracer tracer;
};

BatchProcessorOptions Options(size_t queue, size_t batch, milliseconds delay = std::chrono::hours(1)) {
  BatchProcessorOptions o;
  o.max_queue_size = queue;
  o.max_export_batch_size = batch;
  o.schedule_delay = delay;
  o.export_timeout = milliseconds(30000);
  return o;
}

TEST(BatchProcessorTest, ExportsFullBatchesAsSoonAsTheyAreQueued) {
  BatchSetup s(Options(4096, 512));  // room for everything: no drop whatever the timing
  s.EndSpans(2048 + 100);
  // The schedule delay is an hour: only full batches can have left.
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() >= 2048; }));
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{512, 512, 512, 512}));
  EXPECT_EQ(s.provider->DroppedSpans(), 0u);
  // The 100 left over wait for the delay, or a flush.
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{512, 512, 512, 512, 100}));
}

TEST(BatchProcessorTest, AFullQueueDropsAndCountsWithoutBlocking) {
  BatchSetup s(Options(8, 4));
  s.log->hold = true;
  s.EndSpans(4);  // one full batch: the worker takes it and blocks in Export
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->in_export == 1; }));
  s.EndSpans(8);  // fills the queue
  EXPECT_EQ(s.provider->DroppedSpans(), 0u);
  s.EndSpans(5);  // nowhere to go: dropped at once
  EXPECT_EQ(s.provider->DroppedSpans(), 5u);
  s.log->Release();
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{4, 4, 4}));
  EXPECT_EQ(s.log->SpanCount(), 12u);
}

TEST(BatchProcessorTest, ForceFlushExportsEverythingQueuedAndFlushesTheExporter) {
  BatchSetup s(Options(2048, 512));
  s.EndSpans(10);
  ASSERT_TRUE(s.provider->ForceFlush(milliseconds(20000)).ok());
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{10}));
  std::lock_guard lock(s.log->mu);
  EXPECT_EQ(s.log->flushes, 1);
  EXPECT_EQ(s.log->spans[9].attributes.at("i"), "9");
}

TEST(BatchProcessorTest, ForceFlushReportsATimeout) {
  BatchSetup s(Options(2048, 512));
  s.log->hold = true;
  s.EndSpans(1);
  Status st = s.provider->ForceFlush(milliseconds(50));
  EXPECT_EQ(st.code(), rubato::StatusCode::kUnavailable);
  EXPECT_EQ(st.message(), "ForceFlush timed out after 50 ms");
  s.log->Release();
  EXPECT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.log->SpanCount(), 1u);
}

TEST(BatchProcessorTest, ShutdownExportsEverythingThenSpansAreNoOps) {
  BatchSetup s(Options(2048, 512));
  s.EndSpans(700);
  s.provider->Shutdown();
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{512, 188}));
  {
    std::lock_guard lock(s.log->mu);
    EXPECT_EQ(s.log->shutdowns, 1);
  }
  Span late = s.tracer.StartSpan("after-shutdown");
  EXPECT_FALSE(late.IsRecording());
  late.End();
  s.provider->Shutdown();  // idempotent
  EXPECT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.log->SpanCount(), 700u);
}

TEST(BatchProcessorTest, SpanOpenAtShutdownIsNotExported) {
  BatchSetup s(Options(2048, 512));
  Span open = s.tracer.StartSpan("open");
  s.provider->Shutdown();
  open.End();
  EXPECT_EQ(s.log->SpanCount(), 0u);
}

TEST(BatchProcessorTest, TheScheduleDelayExportsPartialBatches) {
  BatchSetup s(Options(2048, 512, milliseconds(20)));
  s.EndSpans(3);
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() == 3; }));
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{3}));
}

TEST(BatchProcessorTest, ShutdownGivesUpOnAStuckExporterAfterTheExportTimeout) {
  BatchProcessorOptions o = Options(2048, 512);
  o.export_timeout = milliseconds(50);
  BatchSetup s(o);
  s.log->hold = true;
  s.EndSpans(3);
  s.provider->Shutdown();  // returns although the export never finishes
  s.provider.reset();
  s.log->Release();  // the abandoned worker finishes its export and stops
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() == 3; }));
}

class RecordOnly final : public Sampler {
 public:
  SamplingDecision ShouldSample(const Context&, const model::TraceId&, std::string_view, SpanKind) const override {
    return SamplingDecision::kRecordOnly;
  }
  std::string Description() const override { return "RecordOnly"; }
};

TEST(BatchProcessorTest, RecordedButUnsampledSpansAreNotExported) {
  BatchSetup s(Options(2048, 512), std::make_unique<RecordOnly>());
  Span span = s.tracer.StartSpan("recorded");
  EXPECT_TRUE(span.IsRecording());
  EXPECT_FALSE(span.context().IsSampled());
  span.End();
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.log->SpanCount(), 0u);
}

TEST(BatchProcessorTest, ManyThreadsLoseNothingWithARoomyQueue) {
  BatchSetup s(Options(1 << 16, 512));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&] { s.EndSpans(5000); });
  for (auto& th : threads) th.join();
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.log->SpanCount(), 20000u);
  for (size_t size : s.sizes()) EXPECT_LE(size, 512u);
  EXPECT_EQ(s.provider->DroppedSpans(), 0u);
}

TEST(BatchProcessorTest, OptionsAreClampedToSaneValues) {
  BatchSetup s(Options(4, 100));  // batch > queue: clamped to 4
  s.EndSpans(4);
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() == 4; }));
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{4}));
}

}  // namespace
}  // namespace rubato::sdk
