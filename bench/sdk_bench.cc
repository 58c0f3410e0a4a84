// The tracing SDK's costs (docs/sdk.md): a span started, given 5 attributes
// and ended, on one and two threads, through a batch processor to an
// exporter that discards; and the batch processor's throughput (spans
// exported per second, conversion to model::Batch included).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <thread>
#include <vector>

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

// A fixed amount of work for instruction counting (the benchmark library
// picks its own iteration counts, which differ from run to run):
//   bench_sdk --count=MODE:N   MODE: record (no processor), batch (one
//   thread), batch2 (two threads, N each). Instructions per span are the
// difference between two counts (valgrind --tool=callgrind) over the
// difference in N: hardware counters are unavailable in many VMs, and
// instruction counts stay put on a loaded machine where times do not.
int CountMode(std::string_view arg) {
  size_t colon = arg.find(':');
  if (colon == std::string_view::npos) return 2;
  std::string_view mode = arg.substr(0, colon);
  long n = std::strtol(std::string(arg.substr(colon + 1)).c_str(), nullptr, 10);
  if (mode == "record") {
    TracerProvider provider({});
    Tracer tracer = provider.GetTracer("bench");
    for (long i = 0; i < n; ++i) SpanWithFiveAttributes(tracer);
    return 0;
  }
  if (mode != "batch" && mode != "batch2") return 2;
  Setup setup(65536);
  std::vector<std::thread> threads;
  int count = mode == "batch2" ? 2 : 1;
  for (int t = 0; t < count; ++t) {
    threads.emplace_back([&] {
      for (long i = 0; i < n; ++i) SpanWithFiveAttributes(setup.tracer);
    });
  }
  for (std::thread& t : threads) t.join();
  (void)setup.provider->ForceFlush();
  std::printf("exported %llu dropped %llu\n", static_cast<unsigned long long>(setup.exported.load()),
              static_cast<unsigned long long>(setup.provider->DroppedSpans()));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strncmp(argv[1], "--count=", 8) == 0) return CountMode(argv[1] + 8);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
