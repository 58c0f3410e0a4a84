// Block writer and reader through a LocalBackend (src/store/block/,
// docs/format/block.md): round trip of every trace, whole row groups, bloom
// false positives, duplicates, very small and very large traces, concurrent
// lookups and invisible blocks. Corruption: block_corruption_test.cc.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "model/batch_compare.h"
#include "store/block/block_reader.h"
#include "store/block/bloom.h"
#include "store/block/block_writer.h"
#include "tests/block/block_test_util.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::store::block {
namespace {

namespace fs = std::filesystem;
using model::Batch;
using testing_support::AllOf;
using testing_support::AppendCanonical;
using testing_support::TempDir;

class BlockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    workload::Generator gen(workload::Options{});
    for (int i = 0; i < 20; ++i) {
      batches_.push_back(std::make_unique<Batch>());
      gen.Next(batches_.back().get());
    }
    batches_.push_back(std::make_unique<Batch>(testing_support::HandBatch()));
    dir_ = new TempDir("main");
    backend_ = new backend::LocalBackend(dir_->path().string());
    BlockWriterOptions o;
    o.backend = backend_;
    o.tenant = "single-tenant";
    o.row_group_spans = 4000;  // several row groups
    o.wal_seq_end = 77;
    std::vector<const Batch*> ptrs;
    for (auto& b : batches_) ptrs.push_back(b.get());
    auto meta = WriteBlock(o, ptrs);
    ASSERT_TRUE(meta.ok()) << meta.status().message();
    meta_ = *meta;
    for (auto& b : batches_) {
      for (uint32_t i = 0; i < b->spans.size(); ++i) by_trace_[b->spans[i].trace_id].push_back({b.get(), i});
    }
  }
  static void TearDownTestSuite() {
    delete backend_;
    delete dir_;
    batches_.clear();
    by_trace_.clear();
  }
  static std::unique_ptr<BlockReader> OpenReader() {
    auto r = BlockReader::Open(backend_, "single-tenant", meta_.block_id);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  static std::vector<std::unique_ptr<Batch>> batches_;
  static TempDir* dir_;
  static backend::LocalBackend* backend_;
  static BlockMeta meta_;
  static std::map<model::TraceId, std::vector<SpanRef>> by_trace_;
};
std::vector<std::unique_ptr<Batch>> BlockTest::batches_;
TempDir* BlockTest::dir_;
backend::LocalBackend* BlockTest::backend_;
BlockMeta BlockTest::meta_;
std::map<model::TraceId, std::vector<SpanRef>> BlockTest::by_trace_;

TEST_F(BlockTest, LayoutAndMeta) {
  fs::path block = dir_->path() / "single-tenant" / meta_.block_id;
  for (const char* f : {"data", "index", "bloom", "meta.json"}) EXPECT_TRUE(fs::exists(block / f)) << f;
  EXPECT_EQ(fs::file_size(block / "data"), meta_.data_bytes);
  EXPECT_EQ(fs::file_size(block / "index"), meta_.index_bytes);
  EXPECT_EQ(fs::file_size(block / "bloom"), meta_.bloom_bytes);
  EXPECT_EQ(meta_.traces, by_trace_.size());
  EXPECT_EQ(meta_.spans, 20u * 1024 + 3);
  EXPECT_GE(meta_.row_groups, 5u);
  EXPECT_EQ(meta_.tenant, "single-tenant");
  EXPECT_EQ(meta_.wal_seq_end, 77u);
  EXPECT_EQ(meta_.min_trace_id, by_trace_.begin()->first);
  EXPECT_EQ(meta_.max_trace_id, by_trace_.rbegin()->first);
  uint64_t min_time = UINT64_MAX, max_time = 0;
  for (auto& b : batches_) {
    for (const model::Span& s : b->spans) {
      min_time = std::min(min_time, s.start_time_unix_nano);
      max_time = std::max(max_time, s.end_time_unix_nano);
    }
  }
  EXPECT_EQ(meta_.min_time, min_time);
  EXPECT_EQ(meta_.max_time, max_time);
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->meta().ToJson(), meta_.ToJson());
  EXPECT_EQ(reader->row_group_count(), meta_.row_groups);
}

TEST_F(BlockTest, EveryTraceRoundTrips) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  size_t spans = 0;
  for (const auto& [id, refs] : by_trace_) {
    auto found = reader->FindTrace(id);
    ASSERT_TRUE(found.ok()) << id.ToHex() << ": " << found.status().message();
    Batch want, got;
    AppendCanonical(refs, &want);
    AppendCanonical(AllOf(*found), &got);
    ASSERT_EQ(model::DescribeDifference(want, got), "") << "trace " << id.ToHex();
    spans += found->spans.size();
  }
  EXPECT_EQ(spans, meta_.spans);
}

TEST_F(BlockTest, AbsentTracesAreNotFound) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  std::vector<model::TraceId> probes(3);
  probes[0].bytes.fill(0x00);  // below every ID
  probes[1].bytes.fill(0xFF);  // above every ID
  probes[2] = by_trace_.begin()->first;
  probes[2].bytes[15] ^= 1;  // between two stored IDs
  for (const model::TraceId& id : probes) {
    auto found = reader->FindTrace(id);
    ASSERT_FALSE(found.ok()) << id.ToHex();
    EXPECT_EQ(found.status().code(), StatusCode::kNotFound) << found.status().message();
  }
  // Absent IDs that pass the bloom filter still end in the index page.
  std::mt19937_64 rng(7);
  int bloom_passes = 0;
  for (int i = 0; i < 20000; ++i) {
    model::TraceId id;
    for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
    if (by_trace_.count(id) || !reader->MayContain(id)) continue;
    ++bloom_passes;
    auto found = reader->FindTrace(id);
    ASSERT_EQ(found.status().code(), StatusCode::kNotFound) << found.status().message();
  }
  EXPECT_GT(bloom_passes, 0);
}

TEST_F(BlockTest, BloomHasNoFalseNegativesAndFewFalsePositives) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  for (const auto& [id, refs] : by_trace_) ASSERT_TRUE(reader->MayContain(id)) << id.ToHex();
  std::mt19937_64 rng(42);
  int positives = 0;
  const int kProbes = 100'000;
  for (int i = 0; i < kProbes; ++i) {
    model::TraceId id;
    for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
    id.bytes[0] = by_trace_.begin()->first.bytes[0] + static_cast<uint8_t>(1 + i % 200);  // inside [min, max]
    if (by_trace_.count(id) == 0 && reader->MayContain(id)) ++positives;
  }
  double rate = static_cast<double>(positives) / kProbes;
  std::printf("bloom false-positive rate: %.4f%% over %d random IDs (%zu traces)\n", rate * 100, kProbes,
              by_trace_.size());
  EXPECT_LE(rate, 0.002);  // 16 bits an ID, k = 7: 0.07 % expected
}

// Readers take the filter's remainders by multiplication; they must be the
// remainders the writer took by division, for every value and size.
TEST(BloomFastModTest, EqualsTheRemainder) {
  std::mt19937_64 rng(7);
  std::vector<uint32_t> divisors = {1, 2, 3, 7, 8, 255, 256, 65535, 65536 * 8, 524287, 524288, UINT32_MAX};
  for (int i = 0; i < 200; ++i) divisors.push_back(static_cast<uint32_t>(rng()) | 1u);
  for (uint32_t d : divisors) {
    const uint64_t m = FastModMultiplier(d);
    for (uint32_t x : {0u, 1u, d - 1, d, d + 1, UINT32_MAX, UINT32_MAX - 1}) ASSERT_EQ(FastMod(x, m, d), x % d) << x << " " << d;
    for (int k = 0; k < 2000; ++k) {
      uint32_t x = static_cast<uint32_t>(rng());
      ASSERT_EQ(FastMod(x, m, d), x % d) << x << " " << d;
    }
  }
}

TEST_F(BlockTest, ReadRowGroupCoversEverySpanExactlyOnce) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  std::set<std::pair<model::TraceId, model::SpanId>> seen;
  model::TraceId prev;
  size_t traces = 0;
  for (uint32_t g = 0; g < reader->row_group_count(); ++g) {
    auto rg = reader->ReadRowGroup(g);
    ASSERT_TRUE(rg.ok()) << rg.status().message();
    uint32_t row = 0;
    for (const TraceEntry& t : rg->traces) {
      EXPECT_TRUE(traces == 0 || prev < t.id);
      prev = t.id;
      ++traces;
      EXPECT_EQ(t.first_row, row);
      row += t.span_count;
      const auto& refs = by_trace_.at(t.id);
      ASSERT_EQ(t.span_count, refs.size());
      uint64_t start = UINT64_MAX, end = 0;
      for (const SpanRef& r : refs) {
        start = std::min(start, r.span().start_time_unix_nano);
        end = std::max(end, r.span().end_time_unix_nano);
      }
      EXPECT_EQ(t.start, start);
      EXPECT_EQ(t.end, end);
      Batch want, got;
      AppendCanonical(refs, &want);
      std::vector<SpanRef> rows;
      for (uint32_t r = t.first_row; r < t.first_row + t.span_count; ++r) rows.push_back({&rg->batch, r});
      AppendCanonical(rows, &got);
      ASSERT_EQ(model::DescribeDifference(want, got), "") << "trace " << t.id.ToHex();
    }
    EXPECT_EQ(row, rg->batch.spans.size());
    for (const model::Span& s : rg->batch.spans) {
      EXPECT_TRUE(seen.insert({s.trace_id, s.span_id}).second) << "span twice: " << s.span_id.ToHex();
    }
  }
  EXPECT_EQ(seen.size(), meta_.spans);
  EXPECT_EQ(traces, meta_.traces);
  EXPECT_FALSE(reader->ReadRowGroup(reader->row_group_count()).ok());
}

TEST_F(BlockTest, ConcurrentLookups) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  std::vector<model::TraceId> ids;
  for (const auto& [id, refs] : by_trace_) ids.push_back(id);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < ids.size(); i += 3) {
        auto found = reader->FindTrace(ids[i]);
        if (!found.ok() || found->spans.size() != by_trace_.at(ids[i]).size()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(BlockTest, MemoryPerOpenBlockIsBloomAndDirectory) {
  auto reader = OpenReader();
  ASSERT_NE(reader, nullptr);
  // Bloom ≈ 1.25 B a trace, directory 24 B a row group, plus a constant.
  size_t want_max = meta_.bloom_bytes + 24 * meta_.row_groups + 4096;
  EXPECT_LE(reader->memory_bytes(), want_max);
}

// Small writes with a hand-made trace order, for the tests below.
struct SmallBlock {
  TempDir dir;
  backend::LocalBackend backend;
  explicit SmallBlock(const std::string& name) : dir(name), backend(dir.path().string()) {}
  BlockWriterOptions Options(uint32_t row_group_spans = 10000) {
    BlockWriterOptions o;
    o.backend = &backend;
    o.tenant = "t1";
    o.row_group_spans = row_group_spans;
    return o;
  }
};

model::Span MakeSpan(Batch& b, const model::TraceId& trace, uint64_t span, uint64_t start, const char* name) {
  model::Span s;
  s.trace_id = trace;
  for (int i = 0; i < 8; ++i) s.span_id.bytes[i] = static_cast<uint8_t>(span >> (8 * (7 - i)));
  s.name = b.Own(name);
  s.start_time_unix_nano = start;
  s.end_time_unix_nano = start + 1000;
  return s;
}

TEST(BlockWriterTest, DuplicateSpansAreDroppedKeepingTheFirst) {
  SmallBlock sb("dups");
  model::TraceId trace;
  trace.bytes.fill(0x42);
  Batch a, b;
  a.AddResource({});
  a.AddScope(a.Own("s"), {});
  b.AddResource({});
  b.AddScope(b.Own("s"), {});
  a.AddSpan(MakeSpan(a, trace, 1, 100, "first copy"));
  a.AddSpan(MakeSpan(a, trace, 2, 50, "two"));
  a.AddSpan(MakeSpan(a, trace, 1, 100, "same batch, second copy"));
  b.AddSpan(MakeSpan(b, trace, 1, 100, "other batch copy"));
  b.AddSpan(MakeSpan(b, trace, 3, 10, "three"));
  std::vector<const Batch*> ptrs = {&a, &b};
  auto meta = WriteBlock(sb.Options(), ptrs);
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  EXPECT_EQ(meta->spans, 3u);
  auto reader = BlockReader::Open(&sb.backend, "t1", meta->block_id);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  auto found = (*reader)->FindTrace(trace);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->spans.size(), 3u);
  // Block order: start time, then span ID.
  EXPECT_EQ(found->spans[0].name, "three");
  EXPECT_EQ(found->spans[1].name, "two");
  EXPECT_EQ(found->spans[2].name, "first copy");
}

TEST(BlockWriterTest, OneSpanTraceAndFiftyThousandSpanTrace) {
  SmallBlock sb("big");
  model::TraceId small_id, big_id, after_id;
  small_id.bytes.fill(0x10);
  big_id.bytes.fill(0x20);
  after_id.bytes.fill(0x30);
  Batch b;
  b.AddResource({});
  b.AddScope(b.Own("s"), {});
  b.AddSpan(MakeSpan(b, small_id, 1, 5, "alone"));
  std::mt19937_64 rng(3);
  for (uint64_t i = 0; i < 50'000; ++i) b.AddSpan(MakeSpan(b, big_id, 1000 + i, 1'000'000 + rng() % 100'000, "big"));
  b.AddSpan(MakeSpan(b, after_id, 99, 5, "after"));
  BlockWriter w(sb.Options(/*row_group_spans=*/1000));
  std::vector<SpanRef> refs = AllOf(b);
  ASSERT_TRUE(w.AddTrace(std::span(refs).subspan(0, 1)).ok());
  ASSERT_TRUE(w.AddTrace(std::span(refs).subspan(1, 50'000)).ok());
  ASSERT_TRUE(w.AddTrace(std::span(refs).subspan(50'001, 1)).ok());
  EXPECT_EQ(w.spans_added(), 50'002u);
  auto meta = w.Finish();
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  EXPECT_EQ(meta->row_groups, 3u);  // the big trace has a row group of its own
  auto reader = BlockReader::Open(&sb.backend, "t1", meta->block_id);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  for (auto [id, begin, count] : {std::tuple{small_id, 0u, 1u}, {big_id, 1u, 50'000u}, {after_id, 50'001u, 1u}}) {
    auto found = (*reader)->FindTrace(id);
    ASSERT_TRUE(found.ok()) << found.status().message();
    Batch want, got;
    AppendCanonical(std::vector<SpanRef>(refs.begin() + begin, refs.begin() + begin + count), &want);
    AppendCanonical(AllOf(*found), &got);
    EXPECT_EQ(model::DescribeDifference(want, got), "") << id.ToHex();
  }
  auto rg = (*reader)->ReadRowGroup(1);
  ASSERT_TRUE(rg.ok()) << rg.status().message();
  ASSERT_EQ(rg->traces.size(), 1u);
  EXPECT_EQ(rg->traces[0].span_count, 50'000u);
}

TEST(BlockWriterTest, RefusesMisuse) {
  SmallBlock sb("misuse");
  model::TraceId low, high;
  low.bytes.fill(0x01);
  high.bytes.fill(0x02);
  Batch b;
  b.AddResource({});
  b.AddScope(b.Own("s"), {});
  b.AddSpan(MakeSpan(b, high, 1, 5, "h"));
  b.AddSpan(MakeSpan(b, low, 2, 5, "l"));
  std::vector<SpanRef> refs = AllOf(b);
  {
    BlockWriter w(sb.Options());
    EXPECT_EQ(w.Finish().status().code(), StatusCode::kInvalidArgument);  // empty block
  }
  {
    BlockWriter w(sb.Options());
    EXPECT_EQ(w.AddTrace(refs).code(), StatusCode::kInvalidArgument);  // two traces at once
    ASSERT_TRUE(w.AddTrace(std::span(refs).subspan(0, 1)).ok());
    EXPECT_EQ(w.AddTrace(std::span(refs).subspan(1, 1)).code(), StatusCode::kInvalidArgument);  // order
    EXPECT_EQ(w.AddTrace(std::span(refs).subspan(0, 1)).code(), StatusCode::kInvalidArgument);  // twice
  }
  // Writers dropped without Finish leave no object behind (and nothing visible).
  std::vector<std::string> blocks = sb.backend.List("t1").value();
  for (const std::string& id : blocks) EXPECT_TRUE(sb.backend.List("t1/" + id).value().empty()) << id;
}

TEST(BlockWriterTest, AddTraceCopiesSoBatchesMayBeFreed) {
  SmallBlock sb("copies");
  BlockWriter w(sb.Options(/*row_group_spans=*/2000));
  workload::Generator gen(workload::Options{});
  std::map<model::TraceId, Batch> want;
  std::vector<std::unique_ptr<Batch>> inputs;
  for (int i = 0; i < 5; ++i) {
    inputs.push_back(std::make_unique<Batch>());
    gen.Next(inputs.back().get());
  }
  std::map<model::TraceId, std::vector<SpanRef>> by_trace;
  for (auto& b : inputs) {
    for (uint32_t i = 0; i < b->spans.size(); ++i) by_trace[b->spans[i].trace_id].push_back({b.get(), i});
  }
  for (auto& [id, refs] : by_trace) AppendCanonical(refs, &want[id]);
  for (auto& [id, refs] : by_trace) ASSERT_TRUE(w.AddTrace(refs).ok());
  by_trace.clear();
  inputs.clear();  // freed before Finish
  auto meta = w.Finish();
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  auto reader = BlockReader::Open(&sb.backend, "t1", meta->block_id);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  for (auto& [id, batch] : want) {
    auto found = (*reader)->FindTrace(id);
    ASSERT_TRUE(found.ok()) << found.status().message();
    Batch got;
    AppendCanonical(AllOf(*found), &got);
    ASSERT_EQ(model::DescribeDifference(batch, got), "") << id.ToHex();
  }
}

TEST(BlockVisibility, FolderWithoutMetaIsNotABlock) {
  SmallBlock sb("nometa");
  Batch batch = testing_support::HandBatch();
  const Batch* ptr = &batch;
  auto meta = WriteBlock(sb.Options(), std::span(&ptr, 1));
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  ASSERT_TRUE(sb.backend.Delete("t1/" + meta->block_id + "/meta.json").ok());
  auto reader = BlockReader::Open(&sb.backend, "t1", meta->block_id);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find(meta->block_id), std::string::npos);
  EXPECT_EQ(BlockReader::Open(&sb.backend, "t1", "missing").status().code(), StatusCode::kNotFound);
}

// Not a pass/fail goal: prints bytes per span on the standard workload (goal ≤ 25).
TEST(BlockSize, BytesPerSpanOnStandardWorkload) {
  SmallBlock sb("size");
  workload::Generator gen(workload::Options{});
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<const Batch*> ptrs;
  for (int i = 0; i < 100; ++i) {
    batches.push_back(std::make_unique<Batch>());
    gen.Next(batches.back().get());
    ptrs.push_back(batches.back().get());
  }
  auto meta = WriteBlock(sb.Options(), ptrs);
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  double spans = static_cast<double>(meta->spans);
  std::printf("block: %llu spans, %llu traces, %llu row groups; data %.3f + index %.3f + bloom %.3f = %.2f B/span\n",
              static_cast<unsigned long long>(meta->spans), static_cast<unsigned long long>(meta->traces),
              static_cast<unsigned long long>(meta->row_groups), meta->data_bytes / spans, meta->index_bytes / spans,
              meta->bloom_bytes / spans, static_cast<double>(meta->total_bytes()) / spans);
  RecordProperty("bytes_per_span_x100", static_cast<int>(meta->total_bytes() * 100 / meta->spans));
}

}  // namespace
}  // namespace rubato::store::block
