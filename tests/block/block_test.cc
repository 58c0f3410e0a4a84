// Block writer and reader (src/store/block/, docs/format/block.md): round trip
// of every trace, bloom false positives, corruption and invisible blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "model/batch_compare.h"
#include "model/span_copy.h"
#include "store/block/block_reader.h"
#include "store/block/block_writer.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::store::block {
namespace {

namespace fs = std::filesystem;
using model::Batch;

fs::path TempRoot(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("rubato_block_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

bool SpanLess(const model::Span& x, const model::Span& y) {
  if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

// Spans in block order, each with its own copied resource and scope, so two
// batches compare equal whatever resources and scopes they shared.
void AppendCanonical(const std::vector<SpanRef>& refs, Batch* out) {
  std::vector<SpanRef> sorted = refs;
  std::sort(sorted.begin(), sorted.end(), [](const SpanRef& a, const SpanRef& b) { return SpanLess(a.span(), b.span()); });
  for (const SpanRef& r : sorted) {
    uint32_t i = r.index;
    model::CopySpans(*r.batch, std::span<const uint32_t>(&i, 1), out);
  }
}

std::vector<SpanRef> AllOf(const Batch& b) {
  std::vector<SpanRef> refs;
  for (uint32_t i = 0; i < b.spans.size(); ++i) refs.push_back({&b, i});
  return refs;
}

class BlockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    workload::Generator gen(workload::Options{});
    for (int i = 0; i < 20; ++i) {
      batches_.push_back(std::make_unique<Batch>());
      gen.Next(batches_.back().get());
    }
    batches_.push_back(std::make_unique<Batch>(testing_support::HandBatch()));
    root_ = TempRoot("main");
    BlockWriter w({root_.string(), "single-tenant"});
    for (auto& b : batches_) w.Add(*b);
    auto info = w.Finish();
    ASSERT_TRUE(info.ok()) << info.status().message();
    info_ = *info;
    for (auto& b : batches_) {
      for (uint32_t i = 0; i < b->spans.size(); ++i) by_trace_[b->spans[i].trace_id].push_back({b.get(), i});
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(root_);
    batches_.clear();
    by_trace_.clear();
  }

  static std::vector<std::unique_ptr<Batch>> batches_;
  static fs::path root_;
  static BlockInfo info_;
  static std::map<model::TraceId, std::vector<SpanRef>> by_trace_;
};
std::vector<std::unique_ptr<Batch>> BlockTest::batches_;
fs::path BlockTest::root_;
BlockInfo BlockTest::info_;
std::map<model::TraceId, std::vector<SpanRef>> BlockTest::by_trace_;

TEST_F(BlockTest, LayoutAndMeta) {
  EXPECT_EQ(info_.path, (root_ / "single-tenant" / info_.block_id).string());
  for (const char* f : {"data", "index", "bloom", "meta.json"}) EXPECT_TRUE(fs::exists(fs::path(info_.path) / f)) << f;
  EXPECT_EQ(info_.traces, by_trace_.size());
  EXPECT_GE(info_.row_groups, 2u);
  std::ifstream in(fs::path(info_.path) / "meta.json");
  std::string meta((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(meta.find("\"dedicatedColumns\": []"), std::string::npos) << meta;
  EXPECT_NE(meta.find("\"spans\": " + std::to_string(info_.spans)), std::string::npos) << meta;
}

TEST_F(BlockTest, EveryTraceRoundTrips) {
  auto reader = BlockReader::Open(info_.path);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  size_t spans = 0;
  for (const auto& [id, refs] : by_trace_) {
    auto found = (*reader)->FindTrace(id);
    ASSERT_TRUE(found.ok()) << id.ToHex() << ": " << found.status().message();
    Batch want, got;
    AppendCanonical(refs, &want);
    AppendCanonical(AllOf(*found), &got);
    ASSERT_EQ(model::DescribeDifference(want, got), "") << "trace " << id.ToHex();
    spans += found->spans.size();
  }
  EXPECT_EQ(spans, info_.spans);
}

TEST_F(BlockTest, UnknownTraceIsNotFound) {
  auto reader = BlockReader::Open(info_.path);
  ASSERT_TRUE(reader.ok());
  model::TraceId id;
  id.bytes.fill(0xAB);
  auto found = (*reader)->FindTrace(id);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kNotFound);
}

TEST_F(BlockTest, BloomHasNoFalseNegativesAndFewFalsePositives) {
  auto reader = BlockReader::Open(info_.path);
  ASSERT_TRUE(reader.ok());
  for (const auto& [id, refs] : by_trace_) ASSERT_TRUE((*reader)->MayContain(id)) << id.ToHex();
  std::mt19937_64 rng(42);
  int positives = 0;
  const int kProbes = 100'000;
  for (int i = 0; i < kProbes; ++i) {
    model::TraceId id;
    for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
    if (by_trace_.count(id) == 0 && (*reader)->MayContain(id)) ++positives;
  }
  double rate = static_cast<double>(positives) / kProbes;
  std::printf("bloom false-positive rate: %.4f%% over %d random IDs (%zu traces)\n", rate * 100, kProbes,
              by_trace_.size());
  EXPECT_LE(rate, 0.01);
}

TEST(BlockCorruption, FlippedByteInDataChunkIsAnErrorNamingBlockAndColumn) {
  Batch batch = testing_support::HandBatch();
  fs::path root = TempRoot("corrupt");
  BlockWriter w({root.string(), "t1"});
  w.Add(batch);
  auto info = w.Finish();
  ASSERT_TRUE(info.ok()) << info.status().message();
  auto reader = BlockReader::Open(info->path);
  ASSERT_TRUE(reader.ok());
  const ChunkRef* target = nullptr;
  for (const ChunkRef& c : (*reader)->index().row_groups[0].chunks) if (c.column == kAttrGeneric) target = &c;
  ASSERT_NE(target, nullptr);
  {
    std::fstream f(fs::path(info->path) / "data", std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(target->offset + target->length / 2));
    char c = 0;
    f.get(c);
    f.seekp(static_cast<std::streamoff>(target->offset + target->length / 2));
    f.put(static_cast<char>(c ^ 0x5A));
  }
  auto found = (*reader)->FindTrace(batch.spans[0].trace_id);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kInternal);
  EXPECT_NE(found.status().message().find(info->block_id), std::string::npos) << found.status().message();
  EXPECT_NE(found.status().message().find("attr.generic"), std::string::npos) << found.status().message();
  EXPECT_NE(found.status().message().find("checksum"), std::string::npos) << found.status().message();
  fs::remove_all(root);
}

TEST(BlockVisibility, FolderWithoutMetaIsNotABlock) {
  Batch batch = testing_support::HandBatch();
  fs::path root = TempRoot("nometa");
  BlockWriter w({root.string(), "t1"});
  w.Add(batch);
  auto info = w.Finish();
  ASSERT_TRUE(info.ok());
  fs::remove(fs::path(info->path) / "meta.json");
  auto reader = BlockReader::Open(info->path);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(BlockReader::Open((root / "missing").string()).ok());
  fs::remove_all(root);
}

// Not a pass/fail goal: prints bytes per span on the standard workload (goal ≤ 25).
TEST(BlockSize, BytesPerSpanOnStandardWorkload) {
  workload::Generator gen(workload::Options{});
  std::vector<std::unique_ptr<Batch>> batches;
  fs::path root = TempRoot("size");
  BlockWriter w({root.string(), "single-tenant"});
  for (int i = 0; i < 100; ++i) {
    batches.push_back(std::make_unique<Batch>());
    gen.Next(batches.back().get());
    w.Add(*batches.back());
  }
  auto info = w.Finish();
  ASSERT_TRUE(info.ok());
  double total = static_cast<double>(info->data_bytes + info->index_bytes + info->bloom_bytes);
  std::printf("block: %llu spans, %llu traces, %llu row groups; data %llu + index %llu + bloom %llu B = %.2f B/span\n",
              static_cast<unsigned long long>(info->spans), static_cast<unsigned long long>(info->traces),
              static_cast<unsigned long long>(info->row_groups), static_cast<unsigned long long>(info->data_bytes),
              static_cast<unsigned long long>(info->index_bytes), static_cast<unsigned long long>(info->bloom_bytes),
              total / static_cast<double>(info->spans));
  auto reader = BlockReader::Open(info->path);
  ASSERT_TRUE(reader.ok());
  std::map<uint16_t, uint64_t> per_column;
  for (const RowGroupDir& rg : (*reader)->index().row_groups) {
    for (const ChunkRef& c : rg.chunks) per_column[c.column] += c.length;
  }
  for (auto [col, bytes] : per_column) {
    std::printf("  %-22s %6.2f B/span\n", ColumnName(col), static_cast<double>(bytes) / static_cast<double>(info->spans));
  }
  RecordProperty("bytes_per_span_x100", static_cast<int>(total * 100 / static_cast<double>(info->spans)));
  fs::remove_all(root);
}

}  // namespace
}  // namespace rubato::store::block
