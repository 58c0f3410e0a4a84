// The storage engine (src/store/trace_db*): what is acknowledged comes back
// exactly once across restarts, cuts, compactions and crashes at the seams
// between them; disk failures are retryable; corrupt blocks are skipped.
#include "store/trace_db.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "model/batch_compare.h"
#include "model/span_copy.h"
#include "otlp/protobuf_decoder.h"
#include "store/backend/local_backend.h"
#include "store/compaction.h"
#include "tests/otlp/fixture_file.h"
#include "tests/wal/wal_test_util.h"
#include "workload/generator.h"

namespace rubato::store {
namespace {

namespace fs = std::filesystem;
using wal::testing::FaultyOps;
using wal::testing::TempDir;

const model::TraceId kFixtureTrace = *model::TraceId::FromHex("5b8aa5a2d2c872e8321cf37308d69df2");

std::shared_ptr<model::Batch> Fixture() {
  auto b = std::make_shared<model::Batch>();
  EXPECT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), b.get()).ok());
  return b;
}

uint64_t NowNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Workload batches stamped "now", so retention keeps them; same seed, same spans.
std::vector<std::shared_ptr<model::Batch>> Workload(int batches, uint64_t seed = 1) {
  workload::Options o;
  o.seed = seed;
  o.base_time_unix_nano = NowNs() / 1'000'000'000 * 1'000'000'000;
  workload::Generator gen(o);
  std::vector<std::shared_ptr<model::Batch>> out;
  for (int i = 0; i < batches; ++i) {
    auto b = std::make_shared<model::Batch>();
    gen.Next(b.get());
    out.push_back(std::move(b));
  }
  return out;
}

// trace → its span IDs, as sent.
using Expected = std::map<model::TraceId, std::multiset<model::SpanId>>;
void Expect(const std::vector<std::shared_ptr<model::Batch>>& batches, Expected* e) {
  for (const auto& b : batches)
    for (const model::Span& s : b->spans) (*e)[s.trace_id].insert(s.span_id);
}

// Every trace comes back with exactly its spans, none twice.
void CheckAll(const TraceDb& db, const Expected& expected, const std::string& tenant = "t") {
  size_t checked = 0;
  for (const auto& [id, spans] : expected) {
    auto found = db.FindTrace(tenant, id, {});
    ASSERT_TRUE(found.ok()) << id.ToHex() << ": " << found.status().message();
    std::multiset<model::SpanId> got;
    for (const model::Span& s : found->batch.spans) got.insert(s.span_id);
    std::set<model::SpanId> unique(spans.begin(), spans.end());
    ASSERT_EQ(got, std::multiset<model::SpanId>(unique.begin(), unique.end())) << id.ToHex();
    ++checked;
  }
  EXPECT_EQ(checked, expected.size());
}

class TraceDbTest : public ::testing::Test {
 protected:
  TraceDbOptions Options() {
    TraceDbOptions o;
    o.wal_dir = dir_.path() + "/wal";
    o.blocks_dir = dir_.path() + "/blocks";
    o.background = false;
    o.compaction_cycle = std::chrono::nanoseconds(0);  // compact any two blocks: the tests make few
    o.log = [](std::string_view) {};
    return o;
  }
  std::unique_ptr<TraceDb> OpenDb(TraceDbOptions o) {
    auto db = TraceDb::Open(std::move(o));
    EXPECT_TRUE(db.ok()) << db.status().message();
    return db.ok() ? std::move(db).value() : nullptr;
  }
  std::unique_ptr<TraceDb> OpenDb() { return OpenDb(Options()); }
  size_t FilesUnder(const std::string& sub) {
    size_t n = 0;
    if (!fs::exists(dir_.path() + "/" + sub)) return 0;
    for (auto& e : fs::recursive_directory_iterator(dir_.path() + "/" + sub)) n += e.is_regular_file();
    return n;
  }
  TempDir dir_;
};

TEST_F(TraceDbTest, AcknowledgedBatchComesBackAfterRestartExactlyOnce) {
  {
    auto db = OpenDb();
    ASSERT_TRUE(db->Append("t", Fixture()).ok());
  }  // the process "dies": only the WAL remains
  auto db = OpenDb();
  EXPECT_EQ(db->stats().replayed_records, 1u);
  auto found = db->FindTrace("t", kFixtureTrace, {});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(model::DescribeDifference(*Fixture(), found->batch), "");  // every field, exactly once
  EXPECT_FALSE(db->FindTrace("other", kFixtureTrace, {}).ok());       // the tenant came back too
}

TEST_F(TraceDbTest, DiskFailureIsRetryableAndNothingIsAcknowledged) {
  FaultyOps ops;
  {
    TraceDbOptions o = Options();
    o.wal_file_ops = &ops;
    auto db = OpenDb(o);
    ops.sync_errno = ENOSPC;
    Status s = db->Append("t", Fixture());
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.message();
    EXPECT_FALSE(db->FindTrace("t", kFixtureTrace, {}).ok());  // not in the head either
    ops.sync_errno = 0;                                          // space is back: the next try works
    ASSERT_TRUE(db->Append("t", Fixture()).ok());
  }
  auto db = OpenDb();
  EXPECT_EQ(db->stats().replayed_records, 1u);  // only the acknowledged one
  EXPECT_EQ(db->FindTrace("t", kFixtureTrace, {})->batch.spans.size(), 4u);
}

TEST_F(TraceDbTest, CutMovesTheHeadIntoABlockAndTruncatesTheWal) {
  auto batches = Workload(20);
  Expected expected;
  Expect(batches, &expected);
  auto db = OpenDb();
  for (auto& b : batches) ASSERT_TRUE(db->Append("t", b).ok());
  EXPECT_EQ(db->head_spans(), 20u * 1024);
  ASSERT_TRUE(db->CutBlocks(false).ok());
  EXPECT_EQ(db->head_spans(), 0u);
  EXPECT_EQ(db->head_bytes(), 0u);
  EXPECT_EQ(db->block_totals().blocks, 1u);
  EXPECT_EQ(db->block_totals().spans, 20u * 1024);
  CheckAll(*db, expected);
  db.reset();
  db = OpenDb();
  EXPECT_EQ(db->stats().replayed_records, 0u);  // the WAL no longer holds them
  EXPECT_EQ(db->head_spans(), 0u);
  CheckAll(*db, expected);
}

TEST_F(TraceDbTest, CrashBetweenCutAndWalTruncationServesEachSpanOnce) {
  auto batches = Workload(8);
  Expected expected;
  Expect(batches, &expected);
  {
    auto db = OpenDb();
    for (auto& b : batches) ASSERT_TRUE(db->Append("t", b).ok());
  }
  fs::copy(dir_.path() + "/wal", dir_.path() + "/wal-before-cut");
  {
    auto db = OpenDb();
    ASSERT_TRUE(db->CutBlocks(false).ok());
  }
  // The crash: the block is visible but the WAL still holds its records.
  fs::remove_all(dir_.path() + "/wal");
  fs::rename(dir_.path() + "/wal-before-cut", dir_.path() + "/wal");
  auto db = OpenDb();
  EXPECT_EQ(db->stats().replayed_records, 0u);
  EXPECT_EQ(db->stats().replay_skipped_records, 8u);  // walSeqEnd covers them
  EXPECT_EQ(db->head_spans(), 0u);
  CheckAll(*db, expected);
}

TEST_F(TraceDbTest, ActiveTracesStayInTheHeadAcrossACut) {
  TraceDbOptions o = Options();
  o.trace_idle_period = std::chrono::milliseconds(300);
  auto db = OpenDb(o);
  auto idle = Workload(9, 1);
  auto active = Workload(1, 2);
  Expected expected;
  Expect(idle, &expected);
  Expect(active, &expected);
  for (auto& b : idle) ASSERT_TRUE(db->Append("t", b).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_TRUE(db->Append("t", active[0]).ok());
  ASSERT_TRUE(db->CutBlocks(true).ok());
  EXPECT_EQ(db->block_totals().spans, 9u * 1024);  // the idle ones
  EXPECT_EQ(db->head_spans(), 1024u);             // the active batch, re-logged
  EXPECT_EQ(db->stats().relogged_spans, 1024u);
  CheckAll(*db, expected);
  db.reset();
  db = OpenDb(o);  // the re-logged copy survives a restart, once
  EXPECT_EQ(db->head_spans(), 1024u);
  CheckAll(*db, expected);
}

TEST_F(TraceDbTest, CompactionJoinsTracesAndDropsDuplicates) {
  auto batches = Workload(12);
  Expected expected;
  Expect(batches, &expected);
  auto db = OpenDb();
  // Three cuts; batches 4..7 are sent twice (a client retry), across two blocks.
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(db->Append("t", batches[i]).ok());
  ASSERT_TRUE(db->CutBlocks(false).ok());
  for (int i = 4; i < 12; ++i) ASSERT_TRUE(db->Append("t", batches[i]).ok());
  ASSERT_TRUE(db->CutBlocks(false).ok());
  ASSERT_TRUE(db->Append("t", batches[0]).ok());
  ASSERT_TRUE(db->CutBlocks(false).ok());
  EXPECT_EQ(db->block_totals().blocks, 3u);
  CheckAll(*db, expected);  // reads already deduplicate
  bool did = false;
  ASSERT_TRUE(db->CompactOnce(&did).ok());
  EXPECT_TRUE(did);
  EXPECT_EQ(db->block_totals().blocks, 1u);
  EXPECT_EQ(db->block_totals().spans, 12u * 1024);  // each span once on disk
  EXPECT_EQ(db->stats().compacted_input_blocks, 3u);
  CheckAll(*db, expected);
  ASSERT_TRUE(db->CompactOnce(&did).ok());
  EXPECT_FALSE(did);
  db.reset();
  db = OpenDb();
  EXPECT_EQ(db->block_totals().blocks, 1u);
  CheckAll(*db, expected);
}

// Fresh traces in every cut: compaction concatenates (no span re-encoded),
// the output holds each input as a run, and a trace whose late part landed in
// another cut is read whole from two runs.
TEST_F(TraceDbTest, CompactionConcatenatesBlocksThatShareFewTraces) {
  auto batches = Workload(16);
  Expected expected;
  Expect(batches, &expected);
  auto late = std::make_shared<model::Batch>();  // one span of batch 0's first trace, arriving late
  model::CopySpans(*batches[0], std::vector<uint32_t>{0}, late.get());
  late->spans[0].span_id.bytes.fill(0xAB);
  Expect({late}, &expected);
  auto db = OpenDb();
  for (int cut = 0; cut < 4; ++cut) {
    for (int i = 4 * cut; i < 4 * cut + 4; ++i) ASSERT_TRUE(db->Append("t", batches[i]).ok());
    if (cut == 3) {
      ASSERT_TRUE(db->Append("t", late).ok());
    }
    ASSERT_TRUE(db->CutBlocks(false).ok());
  }
  EXPECT_EQ(db->block_totals().blocks, 4u);
  bool did = false;
  ASSERT_TRUE(db->CompactOnce(&did).ok());
  EXPECT_TRUE(did);
  EXPECT_EQ(db->stats().concatenations, 1u);
  EXPECT_EQ(db->block_totals().blocks, 1u);
  EXPECT_EQ(db->block_totals().spans, 16u * 1024 + 1);
  SearchSnapshot snap = db->TakeSearchSnapshot("t");
  ASSERT_EQ(snap.blocks.size(), 1u);
  EXPECT_EQ(snap.blocks[0]->run_count(), 4u);
  EXPECT_EQ(snap.blocks[0]->meta().compaction_level, 1u);
  CheckAll(*db, expected);
  db.reset();
  db = OpenDb();
  EXPECT_EQ(db->block_totals().blocks, 1u);
  CheckAll(*db, expected);
}

// Blocks that repeat each other's traces are merged instead: one run, each span once.
TEST_F(TraceDbTest, CompactionMergesBlocksThatShareTraces) {
  auto batches = Workload(4);
  Expected expected;
  Expect(batches, &expected);
  auto db = OpenDb();
  for (int copy = 0; copy < 2; ++copy) {
    for (const auto& b : batches) ASSERT_TRUE(db->Append("t", b).ok());
    ASSERT_TRUE(db->CutBlocks(false).ok());
  }
  bool did = false;
  ASSERT_TRUE(db->CompactOnce(&did).ok());
  EXPECT_TRUE(did);
  EXPECT_EQ(db->stats().concatenations, 0u);
  EXPECT_EQ(db->block_totals().spans, 4u * 1024);
  EXPECT_EQ(db->TakeSearchSnapshot("t").blocks[0]->run_count(), 1u);
  CheckAll(*db, expected);
}

TEST_F(TraceDbTest, CrashAfterCompactionOutputDeletesTheInputsAtStart) {
  auto batches = Workload(6);
  Expected expected;
  Expect(batches, &expected);
  {
    auto db = OpenDb();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(db->Append("t", batches[i]).ok());
    ASSERT_TRUE(db->CutBlocks(false).ok());
    for (int i = 3; i < 6; ++i) ASSERT_TRUE(db->Append("t", batches[i]).ok());
    ASSERT_TRUE(db->CutBlocks(false).ok());
  }
  {  // a compaction that wrote its output and then died before deleting its inputs
    backend::LocalBackend backend(dir_.path() + "/blocks");
    auto ids = backend.List("t");
    ASSERT_TRUE(ids.ok());
    ASSERT_EQ(ids->size(), 2u);
    std::vector<std::unique_ptr<block::BlockReader>> readers;
    std::vector<const block::BlockReader*> inputs;
    for (const auto& id : *ids) {
      readers.push_back(std::move(block::BlockReader::Open(&backend, "t", id)).value());
      inputs.push_back(readers.back().get());
    }
    ASSERT_TRUE(CompactBlocks(&backend, "t", inputs, 3, CompactionPolicy{}).ok());
    ASSERT_EQ(backend.List("t")->size(), 3u);
  }
  auto db = OpenDb();
  EXPECT_EQ(db->block_totals().blocks, 1u);
  EXPECT_EQ(db->block_totals().spans, 6u * 1024);
  backend::LocalBackend backend(dir_.path() + "/blocks");
  EXPECT_EQ(backend.List("t")->size(), 1u);  // the inputs are gone from disk
  CheckAll(*db, expected);
}

TEST_F(TraceDbTest, UnfinishedBlockIsInvisibleAndRemovedAtStart) {
  {
    auto db = OpenDb();
    ASSERT_TRUE(db->Append("t", Fixture()).ok());
    ASSERT_TRUE(db->CutBlocks(false).ok());
  }
  fs::create_directories(dir_.path() + "/blocks/t/0000dead-0000-4000-8000-000000000000");
  std::ofstream(dir_.path() + "/blocks/t/0000dead-0000-4000-8000-000000000000/data") << "half a block";
  auto db = OpenDb();
  EXPECT_EQ(db->block_totals().blocks, 1u);
  EXPECT_FALSE(fs::exists(dir_.path() + "/blocks/t/0000dead-0000-4000-8000-000000000000"));
  EXPECT_TRUE(db->FindTrace("t", kFixtureTrace, {}).ok());
}

TEST_F(TraceDbTest, RetentionDeletesOldBlocksOnly) {
  auto db = OpenDb();
  ASSERT_TRUE(db->Append("t", Workload(1)[0]).ok());
  ASSERT_TRUE(db->CutBlocks(false).ok());
  ASSERT_TRUE(db->ApplyRetention(NowNs()).ok());  // default 14 days: a fresh block stays
  EXPECT_EQ(db->block_totals().blocks, 1u);
  ASSERT_TRUE(db->ApplyRetention(NowNs() + uint64_t{15} * 24 * 3600 * 1'000'000'000).ok());
  EXPECT_EQ(db->block_totals().blocks, 0u);
  EXPECT_EQ(db->stats().retention_deleted_blocks, 1u);
  EXPECT_EQ(FilesUnder("blocks"), 0u);
}

TEST_F(TraceDbTest, CorruptBlockIsSkippedAndCounted) {
  auto batches = Workload(2);
  {
    auto db = OpenDb();
    ASSERT_TRUE(db->Append("t", batches[0]).ok());
    ASSERT_TRUE(db->CutBlocks(false).ok());
  }
  // Flip bytes in the middle of the data file.
  for (auto& e : fs::recursive_directory_iterator(dir_.path() + "/blocks")) {
    if (e.path().filename() != "data") continue;
    std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
    auto size = fs::file_size(e.path());
    for (uint64_t at = 16; at < size; at += 97) {
      f.seekp(static_cast<std::streamoff>(at));
      f.put('\x5a');
    }
  }
  auto db = OpenDb();
  ASSERT_TRUE(db->Append("t", batches[1]).ok());
  const model::TraceId& in_block = batches[0]->spans[0].trace_id;
  auto found = db->FindTrace("t", in_block, {});
  // Its spans in the corrupt block are skipped (the trace may continue into batch 1).
  if (found.ok()) {
    EXPECT_LT(found->batch.spans.size(), 1024u);
  }
  EXPECT_GE(db->stats().corrupt_block_reads, 1u);
  EXPECT_TRUE(db->FindTrace("t", batches[1]->spans.back().trace_id, {}).ok());  // the head still answers
}

TEST_F(TraceDbTest, HeadFullIsRetryable) {
  TraceDbOptions o = Options();
  o.head_memory_limit = 1;
  auto db = OpenDb(o);
  ASSERT_TRUE(db->Append("t", Fixture()).ok());  // the first fits: the head was empty
  Status s = db->Append("t", Fixture());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(db->stats().refused_head_full, 1u);
  ASSERT_TRUE(db->CutBlocks(false).ok());  // the head drains into a block
  EXPECT_TRUE(db->Append("t", Fixture()).ok());
}

}  // namespace
}  // namespace rubato::store
