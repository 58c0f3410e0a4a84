// The row-group codec (src/store/block/row_group*.cc) on the standard
// workload: bytes per span of every column after zstd (level 9, as the block
// writer stores them), and the cost of DecodeRows for one trace (what a
// trace-by-ID lookup pays once the chunks are decompressed) and for a whole
// row group (compaction, search). Figures: docs/performance.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/block/chunk.h"
#include "store/block/row_group.h"
#include "workload/generator.h"

namespace {

using rubato::model::Batch;
using namespace rubato::store::block;

constexpr int kBatches = 100;             // 102,400 spans
constexpr uint32_t kRowGroupSpans = 10000;  // BlockWriterOptions' default
constexpr int kZstdLevel = 9;             // BlockWriterOptions' default

bool SpanLess(const SpanRef& a, const SpanRef& b) {
  const rubato::model::Span& x = a.span();
  const rubato::model::Span& y = b.span();
  if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

// The standard workload, sorted as a block stores it and cut into row groups
// of whole traces, as the block writer cuts them.
struct Corpus {
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<SpanRef> spans;
  std::vector<std::pair<size_t, size_t>> groups;  // [begin, end) in spans

  Corpus() {
    rubato::workload::Generator gen(rubato::workload::Options{});
    for (int i = 0; i < kBatches; ++i) {
      batches.push_back(std::make_unique<Batch>());
      gen.Next(batches.back().get());
      for (uint32_t s = 0; s < batches.back()->spans.size(); ++s) spans.push_back({batches.back().get(), s});
    }
    std::sort(spans.begin(), spans.end(), SpanLess);
    size_t begin = 0;
    for (size_t i = 0; i < spans.size();) {
      size_t j = i;
      while (j < spans.size() && spans[j].span().trace_id == spans[i].span().trace_id) ++j;
      if (j - begin > kRowGroupSpans && i > begin) {
        groups.push_back({begin, i});
        begin = i;
      }
      i = j;
    }
    groups.push_back({begin, spans.size()});
  }
  std::span<const SpanRef> Group(size_t g) const {
    return std::span<const SpanRef>(spans).subspan(groups[g].first, groups[g].second - groups[g].first);
  }
};

const Corpus& TheCorpus() {
  static const Corpus* c = new Corpus();
  return *c;
}

// Encodes every row group and stores each column as the writer does; reports
// the stored bytes per span of each column and of the whole data file.
void BM_RowGroupSize(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  std::map<uint16_t, uint64_t> per_column;
  uint64_t total = 0;
  for (auto _ : state) {
    per_column.clear();
    total = 8;  // the data file's header
    for (size_t g = 0; g < c.groups.size(); ++g) {
      EncodedRowGroup rg;
      EncodeRowGroup(c.Group(g), &rg);
      for (int col = 0; col < kColumnCount; ++col) {
        std::string chunk;
        AppendChunk(kAllColumns[col], rg.columns[col], kZstdLevel, &chunk);
        per_column[kAllColumns[col]] += chunk.size();
        total += chunk.size();
      }
    }
  }
  double spans = static_cast<double>(c.spans.size());
  for (auto [col, bytes] : per_column) state.counters[ColumnName(col)] = static_cast<double>(bytes) / spans;
  state.counters["data_B/span"] = static_cast<double>(total) / spans;
  state.counters["row_groups"] = static_cast<double>(c.groups.size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(c.spans.size()));
}
BENCHMARK(BM_RowGroupSize)->Unit(benchmark::kMillisecond)->Iterations(1);

// One row group's columns, raw (decompressed), with its traces.
struct Decoded {
  RawColumns raw;
  std::vector<TraceEntry> traces;
};

const Decoded& MiddleGroup() {
  static const Decoded* d = [] {
    const Corpus& c = TheCorpus();
    EncodedRowGroup rg;
    EncodeRowGroup(c.Group(c.groups.size() / 2), &rg);
    auto* out = new Decoded();
    for (int col = 0; col < kColumnCount; ++col) {
      std::string chunk;  // through the real chunk path, so the bytes are what a reader sees
      AppendChunk(kAllColumns[col], rg.columns[col], kZstdLevel, &chunk);
      out->raw.columns[col] = std::move(DecodeChunk(kAllColumns[col], chunk)).value();
    }
    out->traces = rg.traces;
    return out;
  }();
  return *d;
}

// A lookup's decode: the rows of one trace, chosen across the whole row group
// (traces late in the group are the costly ones when earlier rows are walked).
void BM_DecodeOneTrace(benchmark::State& state) {
  const Decoded& d = MiddleGroup();
  size_t i = 0;
  for (auto _ : state) {
    const TraceEntry& t = d.traces[(i * 7919) % d.traces.size()];
    ++i;
    Batch out;
    auto s = DecodeRows(d.raw, t.id, t.first_row, t.span_count, &out);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(out.spans.data());
  }
}
BENCHMARK(BM_DecodeOneTrace)->Unit(benchmark::kMicrosecond);

// The last trace of the group: the worst case for walking earlier rows.
void BM_DecodeLastTrace(benchmark::State& state) {
  const Decoded& d = MiddleGroup();
  const TraceEntry& t = d.traces.back();
  for (auto _ : state) {
    Batch out;
    auto s = DecodeRows(d.raw, t.id, t.first_row, t.span_count, &out);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(out.spans.data());
  }
}
BENCHMARK(BM_DecodeLastTrace)->Unit(benchmark::kMicrosecond);

// Every row of the group (compaction and search read row groups whole).
// DecodeRows takes one trace ID, so the rows all carry the first trace's
// ID: the cost is the same.
void BM_DecodeRowGroup(benchmark::State& state) {
  const Decoded& d = MiddleGroup();
  uint32_t rows = d.traces.back().first_row + d.traces.back().span_count;
  for (auto _ : state) {
    Batch out;
    auto s = DecodeRows(d.raw, d.traces[0].id, 0, rows, &out);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(out.spans.data());
  }
  state.SetItemsProcessed(state.iterations() * rows);
}
BENCHMARK(BM_DecodeRowGroup)->Unit(benchmark::kMicrosecond);

// Decompressing one row group's chunks: what a lookup pays before DecodeRows.
void BM_DecompressRowGroup(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  EncodedRowGroup rg;
  EncodeRowGroup(c.Group(c.groups.size() / 2), &rg);
  std::vector<std::string> chunks(kColumnCount);
  for (int col = 0; col < kColumnCount; ++col) AppendChunk(kAllColumns[col], rg.columns[col], kZstdLevel, &chunks[col]);
  for (auto _ : state) {
    for (int col = 0; col < kColumnCount; ++col) {
      auto raw = DecodeChunk(kAllColumns[col], chunks[col]);
      benchmark::DoNotOptimize(raw);
    }
  }
}
BENCHMARK(BM_DecompressRowGroup)->Unit(benchmark::kMicrosecond);

// Encoding speed (what a block cut or a compaction pays per row group, before zstd).
void BM_EncodeRowGroup(benchmark::State& state) {
  const Corpus& c = TheCorpus();
  auto group = c.Group(c.groups.size() / 2);
  for (auto _ : state) {
    EncodedRowGroup rg;
    EncodeRowGroup(group, &rg);
    benchmark::DoNotOptimize(rg.columns[0].data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(group.size()));
}
BENCHMARK(BM_EncodeRowGroup)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
