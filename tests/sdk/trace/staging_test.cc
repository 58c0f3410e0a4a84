// The batch processor's per-thread staging (chunk_stages.h), on with a
// queue of at least 16 chunks: spans leave exactly as recorded, copied or
// held; staged spans are exported by ForceFlush and Shutdown, when their
// thread has exited too, and within the schedule delay when no span follows;
// a chunk that finds the queue full is dropped and counted exactly; a thread
// outlives providers.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "sdk/trace/span_chunk.h"
#include "sdk/trace/tracer_provider.h"
#include "tests/sdk/trace/memory_exporter.h"

namespace rubato::sdk {
namespace {

using testing::ExportLog;
using testing::MemoryExporter;
constexpr int kChunk = static_cast<int>(SpanChunk::kMaxSpans);

using std::chrono::milliseconds;

struct Staged {
  Staged(size_t queue, size_t batch, milliseconds delay = std::chrono::hours(1)) {
    BatchProcessorOptions o;
    o.max_queue_size = queue;
    o.max_export_batch_size = batch;
    o.schedule_delay = delay;
    TracerProviderOptions options;
    options.processors.push_back(BatchSpanProcessor(std::make_unique<MemoryExporter>(log), o));
    provider = std::make_unique<TracerProvider>(std::move(options));
    tracer = provider->GetTracer("staging-test");
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

TEST(StagingTest, ForceFlushExportsWhatAnExitedThreadStaged) {
  Staged s(4096, 512);
  std::thread([&] { s.EndSpans(kChunk + 36); }).join();  // one chunk pushed, 36 staged
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{kChunk + 36}));
  std::lock_guard lock(s.log->mu);
  EXPECT_EQ(s.log->spans.back().attributes.at("i"), std::to_string(kChunk + 35));
}

TEST(StagingTest, ALoneStagedSpanLeavesWithinTheScheduleDelay) {
  Staged s(4096, 512, milliseconds(100));
  auto start = std::chrono::steady_clock::now();
  s.EndSpans(1);
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() == 1; }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(100) + std::chrono::seconds(2));
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{1}));
}

TEST(StagingTest, SpansOfAThreadThatStopsProducingLeaveWithinTheScheduleDelay) {
  Staged s(4096, 512, milliseconds(100));
  std::mutex mu;
  std::condition_variable cv;
  bool produced = false, finish = false;
  std::thread idle([&] {
    s.EndSpans(kChunk + 10);  // one chunk handed over, 10 staged
    std::unique_lock lock(mu);
    produced = true;
    cv.notify_all();
    cv.wait(lock, [&] { return finish; });  // alive, ending nothing more
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return produced; });
  }
  EXPECT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() == kChunk + 10; }));
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{kChunk + 10}));
  {
    std::lock_guard lock(mu);
    finish = true;
  }
  cv.notify_all();
  idle.join();
}

TEST(StagingTest, ShutdownExportsStagedSpansOfEveryThread) {
  Staged s(4096, 512);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) threads.emplace_back([&] { s.EndSpans(10); });
  for (auto& th : threads) th.join();
  s.EndSpans(5);  // this thread's stage: never full, never exited
  s.provider->Shutdown();
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{35}));
}

TEST(StagingTest, AChunkThatFindsTheQueueFullIsDroppedAndCounted) {
  Staged s(16 * kChunk, kChunk);
  s.log->hold = true;
  s.EndSpans(kChunk);  // one chunk, a full batch: the worker takes it and blocks
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->in_export == 1; }));
  s.EndSpans(16 * kChunk);  // fills the queue
  EXPECT_EQ(s.provider->DroppedSpans(), 0u);
  s.EndSpans(kChunk);  // nowhere to go
  EXPECT_EQ(s.provider->DroppedSpans(), static_cast<uint64_t>(kChunk));
  s.EndSpans(7);  // staged, not dropped
  EXPECT_EQ(s.provider->DroppedSpans(), static_cast<uint64_t>(kChunk));
  s.log->Release();
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.log->SpanCount(), static_cast<size_t>(17 * kChunk + 7));
  for (size_t size : s.sizes()) EXPECT_LE(size, static_cast<size_t>(kChunk));
}

TEST(StagingTest, AChunkPartlyExportedThatFindsTheQueueFullIsDroppedAndCounted) {
  Staged s(16 * kChunk, kChunk);
  s.log->hold = true;
  s.EndSpans(10);  // staged
  // The flush takes the 10 from the stage, then waits in the held export.
  EXPECT_EQ(s.provider->ForceFlush(milliseconds(50)).code(), rubato::StatusCode::kUnavailable);
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->in_export == 1; }));
  std::thread([&] { s.EndSpans(16 * kChunk); }).join();  // another thread fills the queue
  EXPECT_EQ(s.provider->DroppedSpans(), 0u);
  s.EndSpans(kChunk - 10);  // fills this thread's chunk, 10 of it exported: nowhere to go
  EXPECT_EQ(s.provider->DroppedSpans(), static_cast<uint64_t>(kChunk - 10));
  s.EndSpans(5);  // staged in a new chunk
  s.log->Release();
  ASSERT_TRUE(s.provider->ForceFlush().ok());
  EXPECT_EQ(s.log->SpanCount(), static_cast<size_t>(10 + 16 * kChunk + 5));
  EXPECT_EQ(s.provider->DroppedSpans(), static_cast<uint64_t>(kChunk - 10));
}

TEST(StagingTest, AThreadOutlivesProvidersItStagedFor) {
  std::thread([] {
    for (int round = 0; round < 5; ++round) {
      auto s = std::make_unique<Staged>(4096, 512);
      s->EndSpans(kChunk + 3);
      ASSERT_TRUE(s->provider->ForceFlush().ok());
      EXPECT_EQ(s->log->SpanCount(), static_cast<size_t>(kChunk + 3));
      s->EndSpans(2);  // still staged when the provider shuts down
      std::shared_ptr<ExportLog> log = s->log;
      s.reset();
      EXPECT_EQ(log->SpanCount(), static_cast<size_t>(kChunk + 5));  // Shutdown exported them
    }
  }).join();
}

TEST(StagingTest, SmallQueuesPushEachSpanAtOnce) {
  Staged s(16 * kChunk - 1, 512);  // too small to stage
  s.EndSpans(512);
  ASSERT_TRUE(s.log->WaitUntil([&] { return s.log->spans.size() == 512; }));
  EXPECT_EQ(s.sizes(), (std::vector<size_t>{512}));
}

}  // namespace
}  // namespace rubato::sdk
