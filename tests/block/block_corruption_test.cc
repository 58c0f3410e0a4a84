// Damaged blocks: any flipped byte of data, index or bloom is an Internal
// error naming the block, never a crash, a wrong answer or a huge allocation;
// a backend that fails mid-write leaves nothing visible. Also meta.json's
// round trip and its field-naming parse errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "store/block/block_concat.h"
#include "store/block/block_reader.h"
#include "store/block/block_writer.h"
#include "tests/block/block_test_util.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::store::block {
namespace {

namespace fs = std::filesystem;
using model::Batch;
using testing_support::TempDir;

void FlipByte(const fs::path& file, uint64_t at) {
  int fd = ::open(file.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  char c;
  ASSERT_EQ(::pread(fd, &c, 1, static_cast<off_t>(at)), 1);
  c = static_cast<char>(c ^ 0x5A);
  ASSERT_EQ(::pwrite(fd, &c, 1, static_cast<off_t>(at)), 1);
  ::close(fd);
}

// Opens the block and reads everything in it; returns the errors seen.
std::vector<Status> ReadEverything(backend::Backend* backend, const std::string& block_id,
                                   const std::vector<model::TraceId>& ids) {
  std::vector<Status> errors;
  auto reader = BlockReader::Open(backend, "t1", block_id);
  if (!reader.ok()) return {reader.status()};
  for (const model::TraceId& id : ids) {
    auto found = (*reader)->FindTrace(id);
    if (!found.ok()) errors.push_back(found.status());
  }
  for (uint32_t g = 0; g < (*reader)->row_group_count(); ++g) {
    auto rg = (*reader)->ReadRowGroup(g);
    if (!rg.ok()) errors.push_back(rg.status());
  }
  return errors;
}

class BlockCorruption : public ::testing::TestWithParam<const char*> {};

TEST_P(BlockCorruption, EveryFlippedByteIsAnErrorNamingTheBlock) {
  // "bloom-v1": the resident filter of the blocks older releases wrote.
  const std::string param = GetParam();
  const bool v1 = param == "bloom-v1";
  const std::string object = v1 ? "bloom" : param;
  TempDir dir("corrupt_" + param);
  backend::LocalBackend backend(dir.path().string());
  // Two row groups: the hand batch (every value kind) and a few workload traces.
  Batch hand = testing_support::HandBatch();
  Batch work;
  workload::Generator(workload::Options{.spans_per_batch = 40}).Next(&work);
  std::vector<const Batch*> ptrs = {&hand, &work};
  auto meta = testing_support::WriteTestBlock(&backend, "t1", ptrs, 25, v1 ? 1 : 3);
  ASSERT_TRUE(meta.ok()) << meta.status().message();
  ASSERT_GE(meta->row_groups, 2u);
  std::vector<model::TraceId> ids;
  for (const Batch* b : ptrs) {
    for (const model::Span& s : b->spans) {
      if (std::find(ids.begin(), ids.end(), s.trace_id) == ids.end()) ids.push_back(s.trace_id);
    }
  }
  ASSERT_TRUE(ReadEverything(&backend, meta->block_id, ids).empty());

  fs::path file = dir.path() / "t1" / meta->block_id / object;
  uint64_t size = fs::file_size(file);
  for (uint64_t at = 0; at < size; ++at) {
    FlipByte(file, at);
    std::vector<Status> errors = ReadEverything(&backend, meta->block_id, ids);
    FlipByte(file, at);
    ASSERT_FALSE(errors.empty()) << GetParam() << ": flipped byte " << at << " of " << size << " went unnoticed";
    for (const Status& s : errors) {
      ASSERT_EQ(s.code(), StatusCode::kInternal) << GetParam() << " byte " << at << ": " << s.message();
      ASSERT_NE(s.message().find(meta->block_id), std::string::npos) << s.message();
    }
  }
  ASSERT_TRUE(ReadEverything(&backend, meta->block_id, ids).empty());
}

INSTANTIATE_TEST_SUITE_P(Files, BlockCorruption, ::testing::Values("data", "index", "bloom", "bloom-v1"));

TEST(BlockTruncation, ShortObjectsAreErrors) {
  TempDir dir("truncated");
  backend::LocalBackend backend(dir.path().string());
  Batch hand = testing_support::HandBatch();
  const Batch* ptr = &hand;
  BlockWriterOptions o;
  o.backend = &backend;
  o.tenant = "t1";
  auto meta = WriteBlock(o, std::span(&ptr, 1));
  ASSERT_TRUE(meta.ok());
  for (const char* name : {"data", "index", "bloom"}) {
    fs::path file = dir.path() / "t1" / meta->block_id / name;
    std::string keep = backend.Read("t1/" + meta->block_id + "/" + name).value();
    fs::resize_file(file, keep.size() / 2);
    backend::LocalBackend fresh(dir.path().string());  // no cached descriptor or size
    auto errors = ReadEverything(&fresh, meta->block_id, {hand.spans[0].trace_id});
    ASSERT_FALSE(errors.empty()) << name;
    EXPECT_EQ(errors[0].code(), StatusCode::kInternal) << errors[0].message();
    ASSERT_TRUE(backend.Put("t1/" + meta->block_id + "/" + name, keep).ok());
  }
}

// Fails every write once `budget` bytes have gone through, as a full disk does.
class FailingBackend : public backend::LocalBackend {
 public:
  FailingBackend(std::string root, uint64_t budget) : LocalBackend(std::move(root)), budget_(budget) {}
  Status Put(std::string_view key, std::string_view bytes) override {
    if (!Spend(bytes.size())) return Status::Unavailable(std::string(key) + ": No space left on device");
    return LocalBackend::Put(key, bytes);
  }
  Result<std::unique_ptr<backend::ObjectWriter>> Create(std::string_view key) override {
    auto w = LocalBackend::Create(key);
    if (!w.ok()) return w;
    return std::unique_ptr<backend::ObjectWriter>(new Writer(this, std::move(w).value()));
  }

 private:
  struct Writer : backend::ObjectWriter {
    Writer(FailingBackend* b, std::unique_ptr<backend::ObjectWriter> w) : b(b), w(std::move(w)) {}
    Status Append(std::string_view bytes) override {
      if (!b->Spend(bytes.size())) return Status::Unavailable("No space left on device");
      return w->Append(bytes);
    }
    Status Close() override { return w->Close(); }
    uint64_t bytes_written() const override { return w->bytes_written(); }
    FailingBackend* b;
    std::unique_ptr<backend::ObjectWriter> w;
  };
  bool Spend(uint64_t n) {
    if (n > budget_) return false;
    budget_ -= n;
    return true;
  }
  uint64_t budget_;
};

TEST(BlockWriteFailure, FullDiskIsUnavailableAndLeavesNoVisibleBlock) {
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<const Batch*> ptrs;
  workload::Generator gen(workload::Options{});
  for (int i = 0; i < 4; ++i) {
    batches.push_back(std::make_unique<Batch>());
    gen.Next(batches.back().get());
    ptrs.push_back(batches.back().get());
  }
  auto write = [&](backend::Backend* backend) { return testing_support::WriteTestBlock(backend, "t1", ptrs, 1000); };
  uint64_t total = 0;  // every byte written, meta.json included
  {
    TempDir dir("full");
    FailingBackend backend(dir.path().string(), UINT64_MAX);
    auto meta = write(&backend);
    ASSERT_TRUE(meta.ok()) << meta.status().message();
    total = meta->total_bytes() + meta->ToJson().size();
  }
  // Out of space in data, index, bloom, and at the very last byte (meta.json).
  for (uint64_t budget : {uint64_t{0}, uint64_t{5'000}, total / 2, total - 300, total - 1}) {
    TempDir dir("full_" + std::to_string(budget));
    FailingBackend backend(dir.path().string(), budget);
    auto meta = write(&backend);
    ASSERT_FALSE(meta.ok()) << "budget " << budget;
    EXPECT_EQ(meta.status().code(), StatusCode::kUnavailable) << meta.status().message();
    std::vector<std::string> blocks = backend.List("t1").value();
    for (const std::string& id : blocks) {
      EXPECT_EQ(BlockReader::Open(&backend, "t1", id).status().code(), StatusCode::kNotFound);
      std::vector<std::string> files = backend.List("t1/" + id).value();
      for (const std::string& f : files) EXPECT_NE(f, "meta.json");
    }
  }
}

TEST(BlockMetaJson, RoundTripsEveryField) {
  BlockMeta m;
  m.block_id = "9f1c0000-0000-4000-8000-000000000001";
  m.tenant = "single-tenant";
  m.min_time = 1'704'067'200'123'456'789ull;
  m.max_time = 1'704'067'260'000'000'001ull;
  m.min_trace_id.bytes.fill(0x01);
  m.max_trace_id.bytes.fill(0xfe);
  m.traces = 85123;
  m.spans = 1021476;
  m.row_groups = 100;
  m.data_bytes = 24512345;
  m.index_bytes = 1702464;
  m.bloom_bytes = 122880;
  m.compaction_level = 2;
  m.wal_seq_end = 123456789012ull;
  m.compacted_from = {"a", "b"};
  m.created_at = 1'704'067'300'000'000'000ull;
  m.dedicated_columns = {"http.route"};
  std::string json = m.ToJson();
  EXPECT_NE(json.find("\"minTime\": \"2024-01-01T00:00:00.123456789Z\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"walSeqEnd\": 123456789012"), std::string::npos) << json;
  auto back = BlockMeta::Parse(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->ToJson(), json);
  EXPECT_EQ(back->min_time, m.min_time);
  EXPECT_EQ(back->wal_seq_end, m.wal_seq_end);
  EXPECT_EQ(back->compacted_from, m.compacted_from);
}

TEST(BlockMetaJson, ErrorsNameTheField) {
  BlockMeta m;
  m.block_id = "x";
  std::string good = m.ToJson();
  auto with = [&](const std::string& from, const std::string& to) {
    std::string j = good;
    size_t at = j.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return j.replace(at, from.size(), to);
  };
  struct Case { std::string from, to, field; };
  for (const Case& c : std::vector<Case>{
           {"\"rubato-block\"", "\"tempo\"", "format"},
           {"\"version\": 1", "\"version\": 4", "version"},
           {"\"version\": 1", "\"version\": 2", "runs"},  // version 2 needs its run table
           {"\"dedicatedColumns\": []", "\"dedicatedColumns\": [], \"runs\": []", "runs"},  // only in version 2
           {"\"spans\": 0", "\"spans\": -1", "spans"},
           {"\"traces\": 0,", "", "traces"},
           {"\"minTime\": \"1970-01-01T00:00:00.000000000Z\"", "\"minTime\": \"yesterday\"", "minTime"},
           {"\"maxTraceID\": \"00000000000000000000000000000000\"", "\"maxTraceID\": \"xyz\"", "maxTraceID"},
           {"\"dedicatedColumns\": []", "\"dedicatedColumns\": [1]", "dedicatedColumns"},
       }) {
    auto r = BlockMeta::Parse(with(c.from, c.to));
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("\"" + c.field + "\""), std::string::npos) << r.status().message();
  }
  EXPECT_FALSE(BlockMeta::Parse("{").ok());
  EXPECT_FALSE(BlockMeta::Parse("[]").ok());
}


// Concatenation copies bytes without checking them, so a damaged row group
// of an input is carried into its run of the output as it is: still caught
// by its checksum there, naming the output block and the row group, and the
// other row groups and runs still read back. (Refusing the input would leave
// it uncompacted for good.)
TEST(BlockCorruptionConcat, ADamagedRowGroupStaysConfinedToItsRun) {
  TempDir dir("corrupt_concat");
  backend::LocalBackend backend(dir.path().string());
  workload::Generator gen{workload::Options{}};
  std::vector<std::unique_ptr<Batch>> batches;
  std::vector<BlockMeta> metas;
  std::vector<std::vector<model::TraceId>> ids(2);
  for (int block = 0; block < 2; ++block) {
    std::vector<const Batch*> ptrs;
    for (int i = 0; i < 3; ++i) {
      batches.push_back(std::make_unique<Batch>());
      gen.Next(batches.back().get());
      ptrs.push_back(batches.back().get());
    }
    auto meta = testing_support::WriteTestBlock(&backend, "t1", ptrs, 1000);
    ASSERT_TRUE(meta.ok()) << meta.status().message();
    metas.push_back(*meta);
  }
  auto a = BlockReader::Open(&backend, "t1", metas[0].block_id);
  auto b = BlockReader::Open(&backend, "t1", metas[1].block_id);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_GE((*a)->row_group_count(), 3u);
  // Damage the middle of row group 1 of the first input, after opening it.
  auto page = (*a)->ReadIndexPage(1);
  ASSERT_TRUE(page.ok());
  std::vector<model::TraceId> damaged;
  for (const IndexEntry& e : page->traces) damaged.push_back(e.id);
  FlipByte(dir.path() / "t1" / metas[0].block_id / "data", (page->data_begin() + page->data_end()) / 2);

  auto out = ConcatBlocks(&backend, "t1", {a->get(), b->get()});
  ASSERT_TRUE(out.ok()) << out.status().message();
  auto r = BlockReader::Open(&backend, "t1", out->block_id);
  ASSERT_TRUE(r.ok()) << r.status().message();
  uint32_t bad = 0;
  for (uint32_t g = 0; g < (*r)->row_group_count(); ++g) {
    auto rg = (*r)->ReadRowGroup(g);
    if (g == 1) {
      ASSERT_FALSE(rg.ok());
      EXPECT_EQ(rg.status().code(), StatusCode::kInternal);
      EXPECT_NE(rg.status().message().find(out->block_id), std::string::npos) << rg.status().message();
      EXPECT_NE(rg.status().message().find("row group 1"), std::string::npos) << rg.status().message();
      ++bad;
    } else {
      EXPECT_TRUE(rg.ok()) << g << ": " << rg.status().message();
    }
  }
  EXPECT_EQ(bad, 1u);
  for (const model::TraceId& id : damaged) {
    EXPECT_EQ((*r)->FindTrace(id).status().code(), StatusCode::kInternal) << id.ToHex();
  }
  uint32_t found = 0;
  for (const auto& batch : batches) {
    for (const model::Span& s : batch->spans) {
      if (std::find(damaged.begin(), damaged.end(), s.trace_id) != damaged.end()) continue;
      auto t = (*r)->FindTrace(s.trace_id);
      ASSERT_TRUE(t.ok()) << s.trace_id.ToHex() << ": " << t.status().message();
      ++found;
    }
  }
  EXPECT_GT(found, 0u);
}

}  // namespace
}  // namespace rubato::store::block
