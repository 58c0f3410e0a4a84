// Replay of damaged segments: torn tails at every byte, flipped bytes in the
// middle, absurd length fields. Replay never crashes, keeps every good record,
// and leaves the WAL appendable.
#include <gtest/gtest.h>

#include <cstring>

#include "store/wal/record.h"
#include "store/wal/wal.h"
#include "tests/wal/wal_test_util.h"

namespace rubato::store::wal {
namespace {

using testing::Payload;
using testing::Rec;
using testing::ReplayAll;
using testing::TempDir;

constexpr uint64_t kSegment = 8192;

struct Written {
  std::string path;                  // the one segment
  std::string bytes;                 // its content
  std::vector<Rec> records;
  std::vector<uint64_t> offsets;     // where each record starts
};

// Five records in one segment; record i has a tenant and a payload of 60 + 10i bytes.
Written WriteFive(const std::string& dir) {
  Written w;
  auto wal = Wal::Open({.dir = dir, .segment_bytes = kSegment, .log = [](std::string_view) {}});
  EXPECT_TRUE(wal.ok());
  uint64_t offset = kSegmentHeaderSize;
  for (int i = 0; i < 5; ++i) {
    std::string tenant = "tenant" + std::to_string(i), payload = Payload(i, 60 + 10 * i);
    auto seq = (*wal)->Append(tenant, payload);
    EXPECT_TRUE(seq.ok());
    w.records.push_back({*seq, tenant, payload});
    w.offsets.push_back(offset);
    offset += kRecordHeaderSize + tenant.size() + payload.size();
  }
  w.offsets.push_back(offset);  // end of data
  (*wal)->Close();
  w.path = testing::SegmentFiles(dir).at(0);
  w.bytes = testing::ReadFile(w.path);
  EXPECT_EQ(w.bytes.size(), kSegment);
  return w;
}

struct Reopened {
  std::unique_ptr<Wal> wal;
  std::vector<std::string> log;
};
Reopened Reopen(const std::string& dir) {
  Reopened r;
  auto wal = Wal::Open({.dir = dir, .segment_bytes = kSegment, .log = [&r](std::string_view m) { r.log.emplace_back(m); }});
  EXPECT_TRUE(wal.ok()) << wal.status().message();
  r.wal = std::move(wal).value();
  return r;
}

std::vector<Rec> Without(std::vector<Rec> v, size_t i) {
  v.erase(v.begin() + static_cast<ptrdiff_t>(i));
  return v;
}

// After any repair, a new record lands cleanly after the survivors.
void ExpectAppendsCleanly(Wal& wal, std::vector<Rec> survivors) {
  auto seq = wal.Append("new", "new record");
  ASSERT_TRUE(seq.ok());
  survivors.push_back({*seq, "new", "new record"});
  ReplayStats stats;
  EXPECT_EQ(ReplayAll(wal, &stats), survivors);
}

TEST(WalCorruptionTest, TornTailAtEveryByteOfTheLastRecord) {
  TempDir dir;
  Written w = WriteFive(dir.path());
  std::vector<Rec> first_four(w.records.begin(), w.records.end() - 1);
  for (uint64_t cut = w.offsets[4]; cut < w.offsets[5]; ++cut) {
    for (char fill : {'\0', '\xAB'}) {  // crash before the rest reached disk; or stale garbage
      std::string bytes = w.bytes;
      std::fill(bytes.begin() + static_cast<ptrdiff_t>(cut),
                bytes.begin() + static_cast<ptrdiff_t>(fill ? w.offsets[5] + 100 : w.offsets[5]), fill);
      testing::WriteFile(w.path, bytes);
      Reopened r = Reopen(dir.path());
      ReplayStats stats;
      ASSERT_EQ(ReplayAll(*r.wal, &stats), first_four) << "cut at " << cut;
      EXPECT_EQ(stats.skipped_corrupt, 0u);
      // Truncated bytes run to the last non-zero byte (zeros look like preallocated space).
      uint64_t garbage = fill ? w.offsets[5] + 100 - w.offsets[4] : 0;
      for (uint64_t i = w.offsets[4]; !fill && i < cut; ++i)
        if (bytes[i] != 0) garbage = i + 1 - w.offsets[4];
      EXPECT_EQ(stats.truncated_bytes, garbage) << "cut at " << cut;
      EXPECT_EQ(!r.log.empty() && r.log[0].find("torn tail") != std::string::npos, garbage > 0);
      EXPECT_EQ(std::filesystem::file_size(w.path), kSegment);  // preallocated again
      ExpectAppendsCleanly(*r.wal, first_four);
    }
  }
}

TEST(WalCorruptionTest, FlippedByteInTheMiddleRecordIsSkippedAndCounted) {
  struct Case {
    const char* where;
    uint64_t at;  // relative to record 2's first byte
  };
  const Case cases[] = {
      {"length low byte", 0}, {"length high byte (huge)", 3}, {"crc", 5},          {"sequence", 8},
      {"type", 16},           {"flags", 17},                  {"tenant length", 18}, {"tenant", 21},
      {"payload start", 28},  {"payload end", 20 + 7 + 80 - 1},
  };
  for (const Case& c : cases) {
    TempDir dir;
    Written w = WriteFive(dir.path());
    std::string bytes = w.bytes;
    bytes[w.offsets[2] + c.at] ^= 0x40;
    testing::WriteFile(w.path, bytes);
    Reopened r = Reopen(dir.path());
    ReplayStats stats;
    EXPECT_EQ(ReplayAll(*r.wal, &stats), Without(w.records, 2)) << c.where;
    EXPECT_EQ(stats.skipped_corrupt, 1u) << c.where;
    EXPECT_EQ(stats.truncated_bytes, 0u) << c.where;
    ASSERT_EQ(r.log.size(), 1u) << c.where;
    EXPECT_NE(r.log[0].find("corrupt record"), std::string::npos);
    ExpectAppendsCleanly(*r.wal, Without(w.records, 2));
  }
}

TEST(WalCorruptionTest, LengthFieldsBeyondTheSegmentAreCorruptionNotAllocations) {
  const uint32_t lengths[] = {0xFFFFFFFF, 0x80000000, kSegment, 19, 1};
  for (uint32_t len : lengths) {
    for (size_t victim : {size_t{1}, size_t{4}}) {  // in the middle, and the last record (a torn tail)
      TempDir dir;
      Written w = WriteFive(dir.path());
      std::string bytes = w.bytes;
      std::memcpy(bytes.data() + w.offsets[victim], &len, 4);
      testing::WriteFile(w.path, bytes);
      Reopened r = Reopen(dir.path());
      ReplayStats stats;
      std::vector<Rec> expect = Without(w.records, victim);
      EXPECT_EQ(ReplayAll(*r.wal, &stats), expect) << len;
      EXPECT_EQ(stats.skipped_corrupt, victim == 4 ? 0u : 1u) << len;
      EXPECT_EQ(stats.truncated_bytes, victim == 4 ? w.offsets[5] - w.offsets[4] : 0u) << len;
      ExpectAppendsCleanly(*r.wal, expect);
    }
  }
}

TEST(WalCorruptionTest, ScannerSurvivesArbitraryBytes) {
  // Not a fuzzer, but every byte value in every header position must be harmless.
  TempDir dir;
  Written w = WriteFive(dir.path());
  for (uint64_t at = w.offsets[1]; at < w.offsets[1] + kRecordHeaderSize; ++at)
    for (int v = 0; v < 256; v += 15) {
      std::string bytes = w.bytes;
      bytes[at] = static_cast<char>(v);
      uint64_t records = 0;
      ScanResult r = ScanSegment(bytes, 1, [&](const ScannedRecord&) { ++records; }, [](uint64_t, uint64_t) {});
      EXPECT_GE(records, 4u);
      EXPECT_LE(r.end, bytes.size());
    }
}

}  // namespace
}  // namespace rubato::store::wal
