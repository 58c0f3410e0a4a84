// OTLP codec throughput on the standard workload (shared/bench/workload.md):
// Rubato's zero-copy protobuf decoder against libprotobuf, with and without an
// arena, on the very same bytes. Run and read as docs/performance.md says.
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "model/batch.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "workload/generator.h"
#ifdef RUBATO_HAVE_JSON_CODEC
#include "otlp/json_decoder.h"
#include "otlp/json_encoder.h"
#endif

namespace {

using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using rubato::model::Batch;

constexpr uint32_t kSpansPerBatch = 1024;
// Several distinct batches, cycled, so that one batch's bytes do not sit in the
// branch predictor's history; 16 × ~390 KB also exceeds the L2 cache, as a
// stream of requests would.
constexpr int kBatches = 16;

struct Corpus {
  std::vector<Batch> batches;  // as generated, for the encoder
  std::vector<std::string> protobuf;
  std::vector<std::string> json;
};

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "bench_otlp_decode: %s\n", why.c_str());
  std::abort();
}

size_t LibprotobufSpanCount(const ExportTraceServiceRequest& req) {
  size_t n = 0;
  for (const auto& rs : req.resource_spans()) {
    for (const auto& ss : rs.scope_spans()) n += static_cast<size_t>(ss.spans_size());
  }
  return n;
}

// Generated once. Guards the comparison: every decoder must see every span.
const Corpus& GetCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    rubato::workload::Generator gen({.seed = 1, .spans_per_batch = kSpansPerBatch});
    for (int i = 0; i < kBatches; ++i) {
      Batch b;
      gen.Next(&b);
      c.protobuf.push_back(rubato::otlp::EncodeProtobuf(b));
#ifdef RUBATO_HAVE_JSON_CODEC
      c.json.push_back(rubato::otlp::EncodeJson(b));
#endif
      c.batches.push_back(std::move(b));
    }
    Batch ours;
    for (size_t i = 0; i < c.protobuf.size(); ++i) {
      rubato::Status s = rubato::otlp::DecodeProtobufView(c.protobuf[i], &ours);
      if (!s.ok()) Die("rubato cannot decode batch " + std::to_string(i) + ": " + s.message());
      ExportTraceServiceRequest theirs;
      if (!theirs.ParseFromString(c.protobuf[i])) Die("libprotobuf cannot parse batch " + std::to_string(i));
      if (ours.spans.size() != LibprotobufSpanCount(theirs) || ours.spans.size() != kSpansPerBatch) {
        Die("span counts differ on batch " + std::to_string(i) + ": rubato " + std::to_string(ours.spans.size()) +
            ", libprotobuf " + std::to_string(LibprotobufSpanCount(theirs)));
      }
#ifdef RUBATO_HAVE_JSON_CODEC
      s = rubato::otlp::DecodeJson(c.json[i], &ours);
      if (!s.ok() || ours.spans.size() != kSpansPerBatch) Die("JSON round trip fails on batch " + std::to_string(i));
#endif
    }
    return c;
  }();
  return corpus;
}

// Spans per second and bytes per second, from what the loop got through.
void Report(benchmark::State& state, size_t bytes) {
  state.counters["spans_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kSpansPerBatch, benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_DecodeRubato(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  Batch batch;  // reused: its pools stop growing after the first batches
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.protobuf[i++ % kBatches];
    rubato::Status s = rubato::otlp::DecodeProtobufView(in, &batch);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(batch.spans.data());
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeRubato);

// As the server ingests: each request's bytes are adopted by a new Batch that
// outlives the call (the head keeps it), so nothing is reused across requests.
// DecodeProtobuf decodes into per-thread pools and copies them out at their
// exact size.
void BM_DecodeRubatoOwned(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.protobuf[i++ % kBatches];
    auto batch = std::make_shared<Batch>();
    rubato::Status s = rubato::otlp::DecodeProtobuf(std::string(in), batch.get());
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(batch->spans.data());
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeRubatoOwned);

// The same, decoding straight into the new Batch (what DecodeProtobuf did
// before it used per-thread pools): every pool grows by doubling.
void BM_DecodeRubatoOwnedGrowing(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.protobuf[i++ % kBatches];
    auto batch = std::make_shared<Batch>();
    std::string copy(in);  // (DecodeProtobufView clears the batch, and with it an adopted buffer)
    rubato::Status s = rubato::otlp::DecodeProtobufView(copy, batch.get());
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(batch->spans.data());
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeRubatoOwnedGrowing);

// libprotobuf at its best: one arena, Reset between requests, over a reused
// initial block large enough for a whole request, so steady state calls no malloc.
void BM_DecodeLibprotobufArena(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  google::protobuf::ArenaOptions options;
  std::vector<char> block(16 << 20);
  options.initial_block = block.data();
  options.initial_block_size = block.size();
  google::protobuf::Arena arena(options);
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.protobuf[i++ % kBatches];
    auto* req = google::protobuf::Arena::CreateMessage<ExportTraceServiceRequest>(&arena);
    if (!req->ParseFromArray(in.data(), static_cast<int>(in.size()))) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(req);
    arena.Reset();
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeLibprotobufArena);

// The other usual way: a fresh arena per request (its blocks come from malloc).
void BM_DecodeLibprotobufFreshArena(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.protobuf[i++ % kBatches];
    google::protobuf::Arena arena;
    auto* req = google::protobuf::Arena::CreateMessage<ExportTraceServiceRequest>(&arena);
    if (!req->ParseFromArray(in.data(), static_cast<int>(in.size()))) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(req);
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeLibprotobufFreshArena);

// No arena: one message reused, so libprotobuf recycles its cleared sub-messages
// (a fresh message per request would be slower still).
void BM_DecodeLibprotobuf(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  ExportTraceServiceRequest req;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.protobuf[i++ % kBatches];
    if (!req.ParseFromArray(in.data(), static_cast<int>(in.size()))) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(&req);
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeLibprotobuf);

void BM_EncodeRubato(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  rubato::otlp::ReverseWriter writer(1 << 20);  // reused: grows once, then never
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    rubato::otlp::EncodeProtobuf(c.batches[i++ % kBatches], &writer);
    benchmark::DoNotOptimize(writer.view().data());
    bytes += writer.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_EncodeRubato);

#ifdef RUBATO_HAVE_JSON_CODEC
void BM_DecodeJson(benchmark::State& state) {
  const Corpus& c = GetCorpus();
  Batch batch;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& in = c.json[i++ % kBatches];
    rubato::Status s = rubato::otlp::DecodeJson(in, &batch);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(batch.spans.data());
    bytes += in.size();
  }
  Report(state, bytes);
}
BENCHMARK(BM_DecodeJson);
#endif

}  // namespace

BENCHMARK_MAIN();
