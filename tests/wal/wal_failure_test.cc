// Disk trouble: ENOSPC and EIO on write, sync and preallocation. An Append the
// disk refused returns Unavailable and is never replayed; once the disk is
// healthy again, appends succeed without a restart.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "store/wal/wal.h"
#include "tests/wal/wal_test_util.h"

namespace rubato::store::wal {
namespace {

using testing::FaultyOps;
using testing::Payload;
using testing::Rec;
using testing::ReplayAll;
using testing::TempDir;

std::unique_ptr<Wal> OpenWith(const std::string& dir, FaultyOps* ops, uint64_t segment_bytes = 8192) {
  return testing::OpenOrDie(dir, segment_bytes, ops);
}

struct Fault {
  const char* name;
  std::atomic<int> FaultyOps::*knob;
  int err;
  const char* text;
};

class WalFailureTest : public ::testing::TestWithParam<Fault> {};

TEST_P(WalFailureTest, RefusedAppendIsUnavailableAndNeverReplayed) {
  const Fault& f = GetParam();
  TempDir dir;
  FaultyOps ops;
  std::vector<Rec> acked;
  {
    auto wal = OpenWith(dir.path(), &ops);
    for (int i = 0; i < 3; ++i) acked.push_back({*wal->Append("t", Payload(i, 500)), "t", Payload(i, 500)});
    (ops.*f.knob) = f.err;
    // Fill past the first segment too, so preallocating the next one is attempted.
    for (int i = 0; i < 20; ++i) {
      auto refused = wal->Append("t", Payload(100 + i, 500));
      if (refused.ok()) {  // allocation faults only bite at the next rotation
        acked.push_back({*refused, "t", Payload(100 + i, 500)});
        continue;
      }
      EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable) << f.name;
      EXPECT_NE(refused.status().message().find(f.text), std::string::npos) << refused.status().message();
    }
    EXPECT_GT(wal->stats().failed_appends, 0u) << f.name;
    (ops.*f.knob) = 0;  // space is back
    for (int i = 0; i < 30; ++i) {
      auto seq = wal->Append("t", Payload(200 + i, 500));
      ASSERT_TRUE(seq.ok()) << f.name << ": " << seq.status().message();
      acked.push_back({*seq, "t", Payload(200 + i, 500)});
    }
    ReplayStats stats;
    EXPECT_EQ(ReplayAll(*wal, &stats), acked) << f.name;
    EXPECT_EQ(stats.skipped_corrupt, 0u);
  }
  auto reopened = OpenWith(dir.path(), &ops);  // and after a restart: the same, nothing repaired
  ReplayStats stats;
  EXPECT_EQ(ReplayAll(*reopened, &stats), acked) << f.name;
  EXPECT_EQ(stats.skipped_corrupt, 0u);
  EXPECT_EQ(stats.truncated_bytes, 0u);
}

INSTANTIATE_TEST_SUITE_P(Faults, WalFailureTest,
                         ::testing::Values(Fault{"write ENOSPC", &FaultyOps::write_errno, ENOSPC, "No space left"},
                                           Fault{"write EIO", &FaultyOps::write_errno, EIO, "Input/output error"},
                                           Fault{"sync EIO", &FaultyOps::sync_errno, EIO, "Input/output error"},
                                           Fault{"sync ENOSPC", &FaultyOps::sync_errno, ENOSPC, "No space left"},
                                           Fault{"preallocate ENOSPC", &FaultyOps::allocate_errno, ENOSPC,
                                                 "No space left"}),
                         [](const auto& info) {
                           std::string n = info.param.name;
                           for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

// A sync fails while 8 threads append: every Append either got a sequence
// number (and its record replays) or an error (and its record never does).
TEST(WalFailureConcurrencyTest, ReplayHoldsExactlyTheAcknowledgedRecords) {
  TempDir dir;
  FaultyOps ops;
  ops.fail_sync_after = 40;
  auto wal = OpenWith(dir.path(), &ops, 64 << 10);
  std::mutex mu;
  std::set<uint64_t> acked;
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto seq = wal->Append("t" + std::to_string(t), Payload(t * 1000 + i, 200));
        if (!seq.ok()) {
          ++refused;
          continue;
        }
        std::lock_guard lock(mu);
        acked.insert(*seq);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_GT(refused.load(), 0);
  std::set<uint64_t> replayed;
  for (const Rec& r : ReplayAll(*wal)) replayed.insert(r.seq);
  EXPECT_EQ(replayed, acked);
}

}  // namespace
}  // namespace rubato::store::wal
