// The WAL's normal life: round trips across segments, group commit, reopening,
// deleting old segments, and refusing files that are not WAL segments.
#include "store/wal/wal.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <set>
#include <thread>

#include "tests/wal/wal_test_util.h"

namespace rubato::store::wal {
namespace {

using testing::FaultyOps;
using testing::OpenOrDie;
using testing::Payload;
using testing::Rec;
using testing::ReplayAll;
using testing::TempDir;

TEST(WalTest, RoundTripsManyRecordsAcrossSegmentsInOrder) {
  TempDir dir;
  std::vector<Rec> written;
  {
    auto wal = OpenOrDie(dir.path());
    for (uint64_t i = 0; i < 300; ++i) {
      // Sizes from empty to larger than a segment (which gets a segment of its own).
      size_t size = i == 150 ? 20000 : (i * 37) % 700;
      std::string tenant = i % 3 == 0 ? "" : "tenant-" + std::to_string(i % 5);
      auto seq = wal->Append(tenant, Payload(i, size));
      ASSERT_TRUE(seq.ok()) << seq.status().message();
      written.push_back({*seq, tenant, Payload(i, size)});
    }
    EXPECT_GT(wal->segment_count(), 5u);
  }
  auto wal = OpenOrDie(dir.path());
  ReplayStats stats;
  EXPECT_EQ(ReplayAll(*wal, &stats), written);
  EXPECT_EQ(stats.records, 300u);
  EXPECT_EQ(stats.skipped_corrupt, 0u);
  EXPECT_EQ(stats.truncated_bytes, 0u);
  EXPECT_EQ(stats.segments, wal->segment_count());
  // Sequence numbers go on after a restart.
  auto next = wal->Append("t", "after restart");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, written.back().seq + 1);
}

TEST(WalTest, EmptyWalReplaysNothingAndStartsAtOne) {
  TempDir dir;
  auto wal = OpenOrDie(dir.path() + "/nested/wal");
  ReplayStats stats;
  EXPECT_TRUE(ReplayAll(*wal, &stats).empty());
  EXPECT_EQ(stats.segments, 0u);
  auto seq = wal->Append("t", "x");
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(*seq, 1u);
}

TEST(WalTest, ConcurrentAppendsShareSyncs) {
  constexpr int kThreads = 8, kPerThread = 500;
  TempDir dir;
  FaultyOps ops;
  ops.sync_delay_us = 100;  // at least a real disk's latency, even if TMPDIR is tmpfs
  auto wal = OpenOrDie(dir.path(), 64 << 10, &ops);
  std::vector<std::vector<uint64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto seq = wal->Append("tenant-" + std::to_string(t), Payload(t * kPerThread + i, 100));
        ASSERT_TRUE(seq.ok()) << seq.status().message();
        seqs[t].push_back(*seq);
      }
    });
  for (auto& th : threads) th.join();

  std::set<uint64_t> distinct;
  for (const auto& v : seqs) distinct.insert(v.begin(), v.end());
  EXPECT_EQ(distinct.size(), size_t{kThreads * kPerThread});
  WalStats ws = wal->stats();
  EXPECT_EQ(ws.appends, uint64_t{kThreads * kPerThread});
  std::printf("group commit: %d appends, %" PRIu64 " fdatasyncs (%.1f appends/sync), mean sync %.0f us, %" PRIu64
              " segments\n", kThreads * kPerThread, ws.syncs, double(kThreads * kPerThread) / ws.syncs,
              ws.sync_nanos / 1e3 / ws.syncs, ws.segments_created);
  EXPECT_EQ(ops.syncs.load(), ws.syncs);
  EXPECT_LT(ws.syncs, uint64_t{kThreads * kPerThread / 3});

  auto records = ReplayAll(*wal);
  ASSERT_EQ(records.size(), size_t{kThreads * kPerThread});
  for (size_t i = 1; i < records.size(); ++i) ASSERT_LT(records[i - 1].seq, records[i].seq);
  for (const Rec& r : records) {  // each record carries what its thread appended under that sequence
    int t = std::stoi(r.tenant.substr(7));
    auto it = std::find(seqs[t].begin(), seqs[t].end(), r.seq);
    ASSERT_NE(it, seqs[t].end());
    EXPECT_EQ(r.payload, Payload(t * kPerThread + (it - seqs[t].begin()), 100));
  }
}

TEST(WalTest, TruncateBeforeDeletesOnlyWhollyOlderSegments) {
  TempDir dir;
  auto wal = OpenOrDie(dir.path(), 4096);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(wal->Append("t", Payload(i, 1000)).ok());  // 3 records per segment
  auto files = testing::SegmentFiles(dir.path());
  ASSERT_EQ(files.size(), 7u);  // first sequences 1, 4, 7, ..., 19
  struct Case {
    uint64_t before;
    size_t segments_left;
    uint64_t first_replayed;
  };
  const Case cases[] = {
      {1, 7, 1}, {3, 7, 1}, {4, 6, 4}, {6, 6, 4}, {10, 4, 10}, {1000, 1, 19},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(wal->TruncateBefore(c.before).ok());
    EXPECT_EQ(wal->segment_count(), c.segments_left) << c.before;
    EXPECT_EQ(testing::SegmentFiles(dir.path()).size(), c.segments_left) << c.before;
    auto records = ReplayAll(*wal);
    ASSERT_FALSE(records.empty());
    EXPECT_EQ(records.front().seq, c.first_replayed) << c.before;
    EXPECT_EQ(records.back().seq, 20u);
  }
  EXPECT_TRUE(wal->Append("t", "still writable").ok());
}

TEST(WalTest, RefusesSegmentsWithAWrongHeaderNamingTheFile) {
  struct Case {
    const char* name;
    std::string header;
    const char* expect;
  };
  std::string good(16, '\0');
  good.replace(0, 5, "RWAL\x01");
  good[8] = 1;
  std::string v2 = good;
  v2[4] = 2;
  std::string other_seq = good;
  other_seq[8] = 9;
  const Case cases[] = {
      {"bad magic", "NOTAWAL!" + std::string(8, '\0'), "bad magic"},
      {"future version", v2, "unsupported version 2"},
      {"short file", "RWAL", "shorter than"},
      {"name and header disagree", other_seq, "header says first sequence 9"},
  };
  for (const Case& c : cases) {
    TempDir dir;
    std::string path = dir.path() + "/00000000000000000001.wal";
    testing::WriteFile(path, c.header);
    auto wal = Wal::Open({.dir = dir.path(), .log = {}});
    ASSERT_FALSE(wal.ok()) << c.name;
    EXPECT_EQ(wal.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(wal.status().message().find(path), std::string::npos) << wal.status().message();
    EXPECT_NE(wal.status().message().find(c.expect), std::string::npos) << wal.status().message();
  }
}

TEST(WalTest, RemovesAnUnfinishedSegmentAndIgnoresOtherFiles) {
  TempDir dir;
  testing::WriteFile(dir.path() + "/00000000000000000001.wal.tmp", "half-made");
  testing::WriteFile(dir.path() + "/README", "not a segment");
  auto wal = OpenOrDie(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/00000000000000000001.wal.tmp"));
  EXPECT_TRUE(wal->Append("t", "x").ok());
  EXPECT_EQ(ReplayAll(*wal).size(), 1u);
}

TEST(WalTest, RefusesOversizedTenantAndAppendsAfterClose) {
  TempDir dir;
  auto wal = OpenOrDie(dir.path());
  EXPECT_EQ(wal->Append(std::string(70000, 't'), "x").status().code(), StatusCode::kInvalidArgument);
  wal->Close();
  EXPECT_EQ(wal->Append("t", "x").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace rubato::store::wal
