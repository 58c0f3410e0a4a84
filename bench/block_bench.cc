// Blocks end to end through a LocalBackend (src/store/block/, docs/format/block.md):
// writes one block of the standard workload (1,024,000 spans by default;
// RUBATO_BENCH_BATCHES=n for n × 1,024) into a temporary folder for each
// row-group size benchmarked, then times FindTrace for random present IDs
// (each lookup timed on its own: p50/p99/max as counters, in µs) and for
// random absent IDs, warm (the files were just written, so they are in the
// page cache). Also reports bytes per span of data, index and bloom, the
// write speed, and the reader's memory. BM_WriteBlock times WriteBlock alone
// (sort, encode, compress, write) at zstd levels 1, 3 (the cut's default)
// and 9, in spans per second of the writing thread's CPU time and of wall
// time. Figures: docs/performance.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <unistd.h>

#include "store/backend/local_backend.h"
#include "store/block/block_reader.h"
#include "store/block/block_writer.h"
#include "store/block/chunk.h"
#include "store/block/index.h"
#include "workload/generator.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using rubato::model::Batch;
using rubato::model::TraceId;
using namespace rubato::store;

struct Corpus {
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<TraceId> ids;  // every trace ID, shuffled
  uint64_t spans = 0;
};

const Corpus& TheCorpus() {
  static const Corpus* c = [] {
    auto* c = new Corpus();
    const char* env = std::getenv("RUBATO_BENCH_BATCHES");
    int n = env ? std::atoi(env) : 1000;
    rubato::workload::Generator gen(rubato::workload::Options{});
    for (int i = 0; i < n; ++i) {
      c->batches.push_back(std::make_unique<Batch>());
      gen.Next(c->batches.back().get());
      c->spans += c->batches.back()->spans.size();
      for (const auto& s : c->batches.back()->spans) c->ids.push_back(s.trace_id);
    }
    std::sort(c->ids.begin(), c->ids.end());
    c->ids.erase(std::unique(c->ids.begin(), c->ids.end()), c->ids.end());
    std::shuffle(c->ids.begin(), c->ids.end(), std::mt19937_64(42));
    return c;
  }();
  return *c;
}

// One written block per row-group size, kept for the life of the process.
struct Written {
  fs::path dir;
  std::unique_ptr<backend::LocalBackend> backend;
  std::unique_ptr<block::BlockReader> reader;
  block::BlockMeta meta;
  double write_seconds = 0;
  ~Written() { fs::remove_all(dir); }
};

Written* BlockWith(uint32_t row_group_spans) {
  static std::map<uint32_t, std::unique_ptr<Written>> blocks;
  auto& w = blocks[row_group_spans];
  if (w) return w.get();
  const Corpus& c = TheCorpus();
  w = std::make_unique<Written>();
  w->dir = fs::temp_directory_path() /
           ("rubato_block_bench_" + std::to_string(::getpid()) + "_" + std::to_string(row_group_spans));
  fs::remove_all(w->dir);
  w->backend = std::make_unique<backend::LocalBackend>(w->dir.string());
  block::BlockWriterOptions o;
  o.backend = w->backend.get();
  o.tenant = "single-tenant";
  o.row_group_spans = row_group_spans;
  std::vector<const Batch*> ptrs;
  for (const auto& b : c.batches) ptrs.push_back(b.get());
  auto t0 = Clock::now();
  auto meta = block::WriteBlock(o, ptrs);
  w->write_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  if (!meta.ok()) {
    std::fprintf(stderr, "write: %s\n", meta.status().message().c_str());
    std::abort();
  }
  w->meta = *meta;
  auto reader = block::BlockReader::Open(w->backend.get(), "single-tenant", meta->block_id);
  if (!reader.ok()) {
    std::fprintf(stderr, "open: %s\n", reader.status().message().c_str());
    std::abort();
  }
  w->reader = std::move(reader).value();
  return w.get();
}

void Percentiles(benchmark::State& state, std::vector<double>& us) {
  if (us.empty()) return;
  std::sort(us.begin(), us.end());
  auto at = [&](double q) { return us[std::min(us.size() - 1, static_cast<size_t>(q * us.size()))]; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = us.back();
}

void SizeCounters(benchmark::State& state, const Written& w) {
  double spans = static_cast<double>(w.meta.spans);
  state.counters["data_B/span"] = static_cast<double>(w.meta.data_bytes) / spans;
  state.counters["index_B/span"] = static_cast<double>(w.meta.index_bytes) / spans;
  state.counters["bloom_B/span"] = static_cast<double>(w.meta.bloom_bytes) / spans;
  state.counters["total_B/span"] = static_cast<double>(w.meta.total_bytes()) / spans;
  state.counters["row_groups"] = static_cast<double>(w.meta.row_groups);
  state.counters["write_kspans/s"] = spans / w.write_seconds / 1000;
  state.counters["reader_KiB"] = static_cast<double>(w.reader->memory_bytes()) / 1024;
}

void BM_FindTracePresent(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  Written* w = BlockWith(static_cast<uint32_t>(state.range(0)));
  std::vector<double> us;
  size_t i = 0;
  for (auto _ : state) {
    const TraceId& id = c.ids[i++ % c.ids.size()];
    auto t0 = Clock::now();
    auto found = w->reader->FindTrace(id);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (!found.ok()) state.SkipWithError(found.status().message().c_str());
    benchmark::DoNotOptimize(found);
  }
  Percentiles(state, us);
  SizeCounters(state, *w);
}

void BM_FindTraceAbsent(benchmark::State& state) {
  Written* w = BlockWith(static_cast<uint32_t>(state.range(0)));
  std::mt19937_64 rng(9);
  std::vector<double> us;
  size_t bloom_passes = 0;
  for (auto _ : state) {
    TraceId id;
    for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
    auto t0 = Clock::now();
    auto found = w->reader->FindTrace(id);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    if (found.ok()) state.SkipWithError("a random ID was found");
    bloom_passes += w->reader->MayContain(id);
  }
  Percentiles(state, us);
  state.counters["bloom_pass_%"] = 100.0 * static_cast<double>(bloom_passes) / static_cast<double>(us.size());
}

// A whole row group decoded (compaction and search read them so).
void BM_ReadRowGroup(benchmark::State& state) {
  Written* w = BlockWith(static_cast<uint32_t>(state.range(0)));
  uint32_t g = 0;
  int64_t rows = 0;
  for (auto _ : state) {
    auto rg = w->reader->ReadRowGroup(g++ % w->reader->row_group_count());
    if (!rg.ok()) state.SkipWithError(rg.status().message().c_str());
    rows += static_cast<int64_t>(rg->batch.spans.size());
  }
  state.SetItemsProcessed(rows);
}

// Where a lookup's time goes, phase by phase, through the same public pieces
// FindTrace uses: index page read + decode, row-group read, chunk CRC +
// zstd, DecodeRows of the trace's rows (mean µs per lookup each).
void BM_FindTracePhases(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  Written* w = BlockWith(static_cast<uint32_t>(state.range(0)));
  std::string prefix = "single-tenant/" + w->meta.block_id + "/";
  uint64_t size = w->meta.index_bytes, need = 0;
  std::string tail = w->backend->Read(prefix + "index").value();
  block::PageDirectory dir = block::PageDirectory::Parse(tail, size, &need).value();
  double t_page = 0, t_read = 0, t_chunks = 0, t_rows = 0;
  size_t i = 0;
  for (auto _ : state) {
    const TraceId& id = c.ids[i++ % c.ids.size()];
    auto t0 = Clock::now();
    int64_t p = dir.PageFor(id, 0, dir.size());
    auto stored = w->backend->ReadRange(prefix + "index", dir.offset(p), dir.length(p));
    auto page = block::DecodeIndexPage(*stored, dir.first_trace(p));
    const block::IndexEntry* e = page->Find(id);
    auto t1 = Clock::now();
    auto bytes = w->backend->ReadRange(prefix + "data", page->data_begin(), page->data_end() - page->data_begin());
    auto t2 = Clock::now();
    block::RawColumns raw;
    for (const block::ChunkRef& ch : page->chunks) {
      raw.columns[block::ColumnSlot(ch.column)] =
          block::DecodeChunk(ch.column, std::string_view(*bytes).substr(ch.offset - page->data_begin(), ch.length))
              .value();
    }
    auto t3 = Clock::now();
    Batch out;
    if (!block::DecodeRows(raw, id, e->first_row, e->span_count, &out).ok()) state.SkipWithError("decode");
    auto t4 = Clock::now();
    auto us = [](auto a, auto b) { return std::chrono::duration<double, std::micro>(b - a).count(); };
    t_page += us(t0, t1);
    t_read += us(t1, t2);
    t_chunks += us(t2, t3);
    t_rows += us(t3, t4);
  }
  double n = static_cast<double>(state.iterations());
  state.counters["index_page_us"] = t_page / n;
  state.counters["data_read_us"] = t_read / n;
  state.counters["crc_zstd_us"] = t_chunks / n;
  state.counters["decode_rows_us"] = t_rows / n;
}

// Writing a whole block of the corpus, as the head's cut does (WriteBlock:
// sort by trace, dedupe, encode, zstd, write and sync). Arg: zstd level.
// items_per_second is spans per second of CPU time (the writing thread's),
// wall_kspans/s includes the fdatasyncs.
void BM_WriteBlock(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  fs::path dir = fs::temp_directory_path() / ("rubato_block_bench_write_" + std::to_string(::getpid()));
  std::vector<const Batch*> ptrs;
  for (const auto& b : c.batches) ptrs.push_back(b.get());
  double wall = 0;
  for (auto _ : state) {
    state.PauseTiming();
    fs::remove_all(dir);
    backend::LocalBackend backend(dir.string());
    block::BlockWriterOptions o;
    o.backend = &backend;
    o.tenant = "single-tenant";
    o.zstd_level = static_cast<int>(state.range(0));
    state.ResumeTiming();
    auto t0 = Clock::now();
    auto meta = block::WriteBlock(o, ptrs);
    wall += std::chrono::duration<double>(Clock::now() - t0).count();
    if (!meta.ok()) state.SkipWithError(meta.status().message().c_str());
  }
  fs::remove_all(dir);
  double spans = static_cast<double>(c.spans) * static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(spans));
  state.counters["wall_kspans/s"] = spans / wall / 1000;
}

void RowGroupSizes(benchmark::internal::Benchmark* b) {
  for (int spans : {2000, 5000, 10000}) b->Arg(spans);
}

BENCHMARK(BM_WriteBlock)->Arg(1)->Arg(3)->Arg(9)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_FindTracePresent)->Apply(RowGroupSizes)->Unit(benchmark::kMicrosecond)->Iterations(5000);
BENCHMARK(BM_FindTraceAbsent)->Apply(RowGroupSizes)->Unit(benchmark::kMicrosecond)->Iterations(20000);
BENCHMARK(BM_FindTracePhases)->Apply(RowGroupSizes)->Unit(benchmark::kMicrosecond)->Iterations(3000);
BENCHMARK(BM_ReadRowGroup)->Apply(RowGroupSizes)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
