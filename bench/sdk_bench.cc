// The tracing SDK's costs (docs/sdk.md): a span started, given 5 attributes
// and ended, on one and two threads, through a batch processor to an
// exporter that discards; and the batch processor's throughput (spans
// exported per second, conversion to model::Batch included).
#include <benchmark/benchmark.h>

#include <atomic>
#include <memory>

#include "sdk/trace/tracer_provider.h"

namespace {

using namespace rubato::sdk;

class NullExporter final : public SpanExporter {
 public:
  explicit NullExporter(std::atomic<uint64_t>* exported) : exported_(exported) {}
  rubato::Status Export(const rubato::model::Batch& batch) override {
    exported_->fetch_add(batch.spans.size(), std::memory_order_relaxed);
    return rubato::Status::Ok();
  }

 private:
  std::atomic<uint64_t>* exported_;
};

struct Setup {
  explicit Setup(size_t queue) {
    TracerProviderOptions options;
    options.resource.attributes = {{"service.name", "bench"}};
    BatchProcessorOptions batch;
    batch.max_queue_size = queue;
    options.processors.push_back(BatchSpanProcessor(std::make_unique<NullExporter>(&exported), batch));
    provider = std::make_unique<TracerProvider>(std::move(options));
    tracer = provider->GetTracer("bench", "1.0");
  }
  std::atomic<uint64_t> exported{0};
  std::unique_ptr<TracerProvider> provider;
  Tracer tracer;
};

void SpanWithFiveAttributes(const Tracer& tracer) {
  Span span = tracer.StartSpan("GET /stock/{item}", {.kind = SpanKind::kServer});
  span.SetAttribute("http.request.method", "GET")
      .SetAttribute("http.route", "/stock/{item}")
      .SetAttribute("http.response.status_code", 200)
      .SetAttribute("server.port", 8002)
      .SetAttribute("inventory.item", "book");
}

// The default queue (2048): what an application gets. When the worker falls
// behind, spans are dropped (and counted): reported as "dropped".
void BM_Span5Attributes(benchmark::State& state) {
  static Setup* setup = nullptr;
  if (state.thread_index() == 0) setup = new Setup(2048);
  for (auto _ : state) SpanWithFiveAttributes(setup->tracer);
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    (void)setup->provider->ForceFlush();
    state.counters["dropped"] = static_cast<double>(setup->provider->DroppedSpans());
    delete setup;
    setup = nullptr;
  }
}
BENCHMARK(BM_Span5Attributes)->Threads(1)->Threads(2);

// No processor: the span is recorded, then its record goes straight back to
// the pool on the same thread. The cost of recording alone, without the
// hand-off to the batch processor's thread.
void BM_Span5AttributesNoProcessor(benchmark::State& state) {
  TracerProvider provider({});
  Tracer tracer = provider.GetTracer("bench");
  for (auto _ : state) SpanWithFiveAttributes(tracer);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Span5AttributesNoProcessor);

// Unsampled spans (always_off): the cost of a span that is not recorded.
void BM_UnsampledSpan(benchmark::State& state) {
  TracerProviderOptions options;
  options.sampler = AlwaysOffSampler();
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("bench");
  for (auto _ : state) SpanWithFiveAttributes(tracer);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UnsampledSpan);

// OTEL_SDK_DISABLED=true.
void BM_DisabledSpan(benchmark::State& state) {
  TracerProviderOptions options;
  options.disabled = true;
  TracerProvider provider(std::move(options));
  Tracer tracer = provider.GetTracer("bench");
  for (auto _ : state) SpanWithFiveAttributes(tracer);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DisabledSpan);

// Throughput: one thread ends 1 M spans as fast as it can into a queue of
// the argument's size (2048 is the default); timed (wall clock) until the
// exporter has seen everything that was not dropped. items_per_second counts
// exported spans only. With one producer this is bounded by the producer's
// speed as much as by the processor's.
void BM_BatchProcessorThroughput(benchmark::State& state) {
  constexpr int kSpans = 1 << 20;
  uint64_t exported = 0, dropped = 0;
  for (auto _ : state) {
    Setup setup(static_cast<size_t>(state.range(0)));
    for (int i = 0; i < kSpans; ++i) SpanWithFiveAttributes(setup.tracer);
    (void)setup.provider->ForceFlush();
    exported += setup.exported.load();
    dropped += setup.provider->DroppedSpans();
    state.PauseTiming();  // the provider's teardown is not the processor's work
    setup.provider.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(exported));
  state.counters["dropped_pct"] = 100.0 * static_cast<double>(dropped) / static_cast<double>(exported + dropped);
}
BENCHMARK(BM_BatchProcessorThroughput)->Arg(2048)->Arg(65536)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
