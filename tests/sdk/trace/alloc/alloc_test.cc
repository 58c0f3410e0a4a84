// Zero heap allocations per span in steady state: this binary replaces the
// global operator new with one that counts, warms a provider up, then counts
// what a second run of the same spans allocates (on every thread, the batch
// processor's worker included).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>

#include "sdk/trace/tracer_provider.h"

namespace {
std::atomic<uint64_t> allocations{0};
}  // namespace

// GCC pairs these replacements up with malloc/free and warns; they are a pair.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size != 0 ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace rubato::sdk {
namespace {

// Discards batches; can hold the worker so that warm-up fills the queue.
class NullExporter final : public SpanExporter {
 public:
  explicit NullExporter(std::atomic<bool>* hold, std::atomic<uint64_t>* spans) : hold_(hold), spans_(spans) {}
  Status Export(const model::Batch& batch) override {
    while (hold_->load()) std::this_thread::yield();
    spans_->fetch_add(batch.spans.size());
    return Status::Ok();
  }

 private:
  std::atomic<bool>* hold_;
  std::atomic<uint64_t>* spans_;
};

void RecordSpans(const Tracer& tracer, int n) {
  for (int i = 0; i < n; ++i) {
    Span span = tracer.StartSpan("GET /stock/{item}", {.kind = SpanKind::kServer});
    span.SetAttribute("http.request.method", "GET")
        .SetAttribute("http.route", "/stock/{item}")
        .SetAttribute("http.response.status_code", 200)
        .SetAttribute("inventory.ratio", 0.5)
        .SetAttribute("cache.hit", true);
    span.AddEvent("looked-up", {{"item", "book"}});
    auto scope = span.MakeCurrent();
    tracer.StartSpan("slow_lookup").SetAttribute("inventory.demand", "high");
  }
}

TEST(AllocationTest, SteadyStateSpansAllocateNothing) {
  std::atomic<bool> hold{false};
  std::atomic<uint64_t> exported{0};
  TracerProviderOptions options;
  options.resource.attributes = {{"service.name", "alloc-test"}};
  BatchProcessorOptions batch;
  batch.max_queue_size = 4096;
  batch.max_export_batch_size = 512;
  batch.schedule_delay = std::chrono::hours(1);
  options.processors.push_back(BatchSpanProcessor(std::make_unique<NullExporter>(&hold, &exported), batch));
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("alloc", "1");

  // Bursts of 2000 spans, flushed: at most 2000 queued plus the 512 the
  // worker converts are ever out of the pool, fewer than the warm-up's peak.
  auto bursts = [&](int n) {
    for (int i = 0; i < n; ++i) {
      RecordSpans(tracer, 1000);
      ASSERT_TRUE(provider.ForceFlush().ok());
    }
  };
  // Warm-up: grow the pool past that (a full queue of 4096 while the
  // exporter is held, then drops), then the batch buffers.
  hold = true;
  RecordSpans(tracer, 6000);
  hold = false;
  ASSERT_TRUE(provider.ForceFlush().ok());
  bursts(10);

  uint64_t before = allocations.load();
  bursts(20);
  uint64_t after = allocations.load();
  EXPECT_EQ(after - before, 0u) << "allocations for 40000 spans in steady state";
  EXPECT_GT(exported.load(), 40000u);
}

TEST(AllocationTest, UnsampledSpansNeverTouchThePool) {
  TracerProviderOptions options;
  options.sampler = AlwaysOffSampler();
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("off");
  RecordSpans(tracer, 10);
  uint64_t before = allocations.load();
  RecordSpans(tracer, 10000);
  EXPECT_EQ(allocations.load() - before, 0u);
}

}  // namespace
}  // namespace rubato::sdk
