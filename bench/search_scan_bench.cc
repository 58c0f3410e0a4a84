// Search's prefilter (src/store/block/row_group_scan.h) on one block of the
// standard workload (1,024,000 spans by default; RUBATO_BENCH_BATCHES=n for
// n × 1,024), 10,000-span row groups, written to a temporary folder and read
// warm. For issue 5's example queries (their filters built by hand as
// query/search/prefilter.cc builds them), spans per second of:
//   BM_FullDecode     ReadRowGroup of every row group (what search did before);
//   BM_Scan           ScanRowGroup of every row group: the candidate traces;
//   BM_ScanAndDecode  the same, then ReadTraces of the candidates only.
// Threads(2) splits the row groups between two threads (the 2-core figure:
// the all_spans/s counter; items_per_second is per thread).
// Counters: candidates (share of traces), read_B/span (stored bytes fetched),
// raw_B/span (bytes decompressed). BM_ReadTraces decodes one trace at the
// start, middle or end of each row group (ReadTraces' cost model).
// Figures: docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <unistd.h>

#include "store/backend/local_backend.h"
#include "store/block/block_reader.h"
#include "store/block/block_writer.h"
#include "store/block/row_group_scan.h"
#include "workload/generator.h"

namespace {

namespace fs = std::filesystem;
using rubato::model::Batch;
using namespace rubato::store;
using block::SpanField;
using block::SpanPredicate;
using block::SpansetFilter;
using block::TraceFilter;
using block::ValueTest;

struct Block {
  fs::path dir;
  std::unique_ptr<backend::LocalBackend> backend;
  std::unique_ptr<block::BlockReader> reader;
  std::vector<block::IndexPage> pages;  // for BM_ReadTraces
  uint64_t spans = 0, traces = 0;
  ~Block() { fs::remove_all(dir); }
};

const Block& TheBlock() {
  static Block* b = [] {
    auto* b = new Block();
    const char* env = std::getenv("RUBATO_BENCH_BATCHES");
    int n = env ? std::atoi(env) : 1000;
    std::vector<std::unique_ptr<Batch>> batches;
    rubato::workload::Generator gen(rubato::workload::Options{});
    for (int i = 0; i < n; ++i) {
      batches.push_back(std::make_unique<Batch>());
      gen.Next(batches.back().get());
    }
    b->dir = fs::temp_directory_path() / ("rubato_search_scan_bench_" + std::to_string(::getpid()));
    fs::remove_all(b->dir);
    b->backend = std::make_unique<backend::LocalBackend>(b->dir.string());
    block::BlockWriterOptions o;
    o.backend = b->backend.get();
    o.tenant = "single-tenant";
    std::vector<const Batch*> ptrs;
    for (const auto& batch : batches) ptrs.push_back(batch.get());
    auto meta = block::WriteBlock(o, ptrs);
    if (!meta.ok()) {
      std::fprintf(stderr, "write: %s\n", meta.status().message().c_str());
      std::abort();
    }
    b->reader = block::BlockReader::Open(b->backend.get(), "single-tenant", meta->block_id).value();
    b->spans = meta->spans;
    b->traces = meta->traces;
    for (uint32_t g = 0; g < b->reader->row_group_count(); ++g) b->pages.push_back(b->reader->ReadIndexPage(g).value());
    return b;
  }();
  return *b;
}

ValueTest StrEq(const char* s) {
  ValueTest t;
  t.string_equals = s;
  return t;
}
SpanPredicate P(SpanField f, ValueTest t, std::string key = "") { return SpanPredicate{f, std::move(key), std::move(t)}; }

// Issue 5's example queries, as BuildPrefilter translates them.
TraceFilter Query(int64_t q) {
  TraceFilter f;
  switch (q) {
    case 0: {  // { resource.service.name = "inventory-service" && span.inventory.demand = "high" }
      ValueTest high = StrEq("high");
      high.other_types = true;
      f.spans = SpansetFilter::Spans({P(SpanField::kResourceAttribute, StrEq("inventory-service"), "service.name"),
                                      P(SpanField::kSpanAttribute, high, "inventory.demand")});
      break;
    }
    case 1: {  // { duration > 250ms }
      ValueTest t;
      t.integer = [](int64_t d) { return d > 250'000'000; };
      f.spans = SpansetFilter::Spans({P(SpanField::kDuration, t)});
      break;
    }
    case 2: {  // { span.http.response.status_code >= 500 }
      ValueTest t;
      t.integer = [](int64_t v) { return v >= 500; };
      t.real = [](double v) { return v >= 500; };
      t.other_types = true;
      f.spans = SpansetFilter::Spans({P(SpanField::kSpanAttribute, t, "http.response.status_code")});
      break;
    }
    case 3: {  // { resource.service.name = "order-service" } >> { name = "slow_lookup" }
      std::vector<SpansetFilter> kids;
      kids.push_back(SpansetFilter::Spans({P(SpanField::kResourceAttribute, StrEq("order-service"), "service.name")}));
      kids.push_back(SpansetFilter::Spans({P(SpanField::kName, StrEq("slow_lookup"))}));
      f.spans = SpansetFilter::Node(SpansetFilter::Kind::kDescendant, std::move(kids));
      break;
    }
    default: {  // { } | count() > 20
      SpansetFilter count = SpansetFilter::Node(SpansetFilter::Kind::kMinCount, {});
      count.children.push_back(SpansetFilter::Spans({}));
      count.count = 21;
      f.spans = std::move(count);
    }
  }
  return f;
}
const char* QueryName(int64_t q) {
  static const char* names[] = {"service_and_demand", "duration_gt_250ms", "status_code_ge_500",
                                "order_descendant_slow_lookup", "count_gt_20"};
  return names[q];
}

// Runs `per_group` on this thread's share of the row groups; items are spans.
template <typename F>
void OverRowGroups(benchmark::State& state, F per_group) {
  const Block& b = TheBlock();
  uint32_t groups = b.reader->row_group_count();
  int64_t spans = 0, candidates = 0, traces = 0;
  block::ScanStats stats;
  for (auto _ : state) {
    for (uint32_t g = static_cast<uint32_t>(state.thread_index()); g < groups;
         g += static_cast<uint32_t>(state.threads())) {
      auto c = per_group(g, &stats);
      if (c < 0) {
        state.SkipWithError("scan failed");
        return;
      }
      candidates += c;
      spans += b.pages[g].rows;
      traces += static_cast<int64_t>(b.pages[g].traces.size());
    }
  }
  state.SetItemsProcessed(spans);
  // items_per_second is per thread; this is all threads together per second
  // of wall time (each thread's spans × threads over the threads' summed time).
  state.counters["all_spans/s"] =
      benchmark::Counter(static_cast<double>(spans) * state.threads(), benchmark::Counter::kIsRate);
  double s = static_cast<double>(spans);
  // Per thread, averaged over the threads.
  auto avg = [](double v) { return benchmark::Counter(v, benchmark::Counter::kAvgThreads); };
  state.counters["candidates_%"] = avg(100.0 * static_cast<double>(candidates) / static_cast<double>(traces));
  state.counters["read_B/span"] = avg(static_cast<double>(stats.bytes_read) / s);
  state.counters["raw_B/span"] = avg(static_cast<double>(stats.bytes_decoded) / s);
}

void BM_FullDecode(benchmark::State& state) {
  const Block& b = TheBlock();
  OverRowGroups(state, [&](uint32_t g, block::ScanStats*) -> int64_t {
    auto rg = b.reader->ReadRowGroup(g);
    if (!rg.ok()) return -1;
    benchmark::DoNotOptimize(rg->batch.spans.data());
    return static_cast<int64_t>(rg->traces.size());
  });
}

void BM_Scan(benchmark::State& state) {
  const Block& b = TheBlock();
  TraceFilter f = Query(state.range(0));
  state.SetLabel(QueryName(state.range(0)));
  OverRowGroups(state, [&](uint32_t g, block::ScanStats* stats) -> int64_t {
    auto c = block::ScanRowGroup(*b.reader, g, f, stats);
    return c.ok() ? static_cast<int64_t>(c->size()) : -1;
  });
}

void BM_ScanAndDecode(benchmark::State& state) {
  const Block& b = TheBlock();
  TraceFilter f = Query(state.range(0));
  state.SetLabel(QueryName(state.range(0)));
  OverRowGroups(state, [&](uint32_t g, block::ScanStats* stats) -> int64_t {
    auto page = b.reader->ReadIndexPage(g);
    if (!page.ok()) return -1;
    auto c = block::ScanRowGroup(*b.reader, g, *page, f, stats);
    if (!c.ok()) return -1;
    auto rg = b.reader->ReadTraces(g, *page, *c);
    if (!rg.ok()) return -1;
    benchmark::DoNotOptimize(rg->batch.spans.data());
    return static_cast<int64_t>(c->size());
  });
}

// One trace decoded per row group: Arg 0 the first trace, 1 the middle one, 2 the last.
void BM_ReadTraces(benchmark::State& state) {
  const Block& b = TheBlock();
  uint32_t g = 0;
  for (auto _ : state) {
    const block::IndexPage& page = b.pages[g];
    uint32_t n = static_cast<uint32_t>(page.traces.size());
    uint32_t t = state.range(0) == 0 ? 0 : state.range(0) == 1 ? n / 2 : n - 1;
    auto rg = b.reader->ReadTraces(g, page, std::vector<uint32_t>{t});
    if (!rg.ok()) state.SkipWithError(rg.status().message().c_str());
    benchmark::DoNotOptimize(rg->batch.spans.data());
    g = (g + 1) % b.reader->row_group_count();
  }
}

void Queries(benchmark::internal::Benchmark* b) {
  for (int q = 0; q < 5; ++q) b->Arg(q);
}

BENCHMARK(BM_FullDecode)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Scan)->Apply(Queries)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScanAndDecode)->Apply(Queries)->Threads(1)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadTraces)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
