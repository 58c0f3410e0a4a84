// The dump framing: what --dump writes is what --replay reads, byte for byte.
#include "load/dump_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "load/batch_set.h"

namespace rubato::load {
namespace {

BatchSet SmallSet(BodyEncoding encoding, bool gzip) {
  return GenerateBatchSet({.seed = 7, .batches = 3, .batch_spans = 100, .base_time_unix_nano = 0,
                           .encoding = encoding, .gzip = gzip});
}

void ExpectSame(const BatchSet& a, const BatchSet& b) {
  EXPECT_EQ(a.encoding, b.encoding);
  EXPECT_EQ(a.gzip, b.gzip);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.base_time_unix_nano, b.base_time_unix_nano);
  EXPECT_EQ(a.spans_per_batch, b.spans_per_batch);
  EXPECT_EQ(a.span_counts, b.span_counts);
  ASSERT_EQ(a.bodies.size(), b.bodies.size());
  for (size_t i = 0; i < a.bodies.size(); ++i) EXPECT_TRUE(a.bodies[i] == b.bodies[i]) << "body " << i;
}

TEST(DumpFile, RoundTripIsExact) {
  for (auto enc : {BodyEncoding::kProtobuf, BodyEncoding::kJson}) {
    for (bool gzip : {false, true}) {
      BatchSet set = SmallSet(enc, gzip);
      std::string bytes = SerializeDump(set);
      auto back = ParseDump(bytes);
      ASSERT_TRUE(back.ok()) << back.status().message();
      ExpectSame(set, *back);
      EXPECT_EQ(SerializeDump(*back), bytes);  // and re-serializes to the same file
    }
  }
}

TEST(DumpFile, LayoutIsAsDocumented) {
  BatchSet set;
  set.encoding = BodyEncoding::kJson;
  set.gzip = true;
  set.seed = 0x0102030405060708ULL;
  set.base_time_unix_nano = 0x1112131415161718ULL;
  set.spans_per_batch = 0x21222324;
  set.bodies = {"abc", ""};
  set.span_counts = {5, 0};
  std::string b = SerializeDump(set);
  ASSERT_EQ(b.size(), kDumpHeaderBytes + 2 * kDumpRecordHeaderBytes + 3);
  EXPECT_EQ(b.substr(0, 8), std::string("RUBLOAD\0", 8));
  EXPECT_EQ(b.substr(8, 4), std::string("\x01\x00\x02\x01", 4));  // version 1, JSON, gzip flag
  EXPECT_EQ(b.substr(12, 4), std::string("\x02\x00\x00\x00", 4));  // 2 records
  EXPECT_EQ(b.substr(16, 8), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
  EXPECT_EQ(b.substr(24, 8), std::string("\x18\x17\x16\x15\x14\x13\x12\x11", 8));
  EXPECT_EQ(b.substr(32, 4), std::string("\x24\x23\x22\x21", 4));
  EXPECT_EQ(b.substr(36, 4), std::string(4, '\0'));
  EXPECT_EQ(b.substr(40, 11), std::string("\x03\x00\x00\x00\x05\x00\x00\x00" "abc", 11));
  EXPECT_EQ(b.substr(51), std::string(8, '\0'));
}

TEST(DumpFile, RejectsDamage) {
  std::string good = SerializeDump(SmallSet(BodyEncoding::kProtobuf, false));
  EXPECT_FALSE(ParseDump(good.substr(0, 20)).ok());
  EXPECT_FALSE(ParseDump(good.substr(0, good.size() - 1)).ok());
  EXPECT_FALSE(ParseDump(good + "x").ok());
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_FALSE(ParseDump(bad_magic).ok());
  std::string bad_version = good;
  bad_version[8] = 2;
  EXPECT_FALSE(ParseDump(bad_version).ok());
  std::string huge_count = good;
  huge_count[15] = '\x7f';  // 2 billion records promised, 3 present
  auto r = ParseDump(huge_count);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
}

TEST(DumpFile, FileRoundTripAndAdapt) {
  BatchSet set = SmallSet(BodyEncoding::kProtobuf, true);
  std::string path = ::testing::TempDir() + "/load_dump_test.bin";
  ASSERT_TRUE(WriteDumpFile(set, path).ok());
  auto back = ReadDumpFile(path);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ExpectSame(set, *back);
  // gRPC wants plain bodies: adapting gunzips to exactly the generated protobuf.
  BatchSet plain = SmallSet(BodyEncoding::kProtobuf, false);
  ASSERT_TRUE(AdaptBatchSet(&back.value(), BodyEncoding::kProtobuf, false).ok());
  EXPECT_EQ(back->bodies, plain.bodies);
  EXPECT_FALSE(AdaptBatchSet(&back.value(), BodyEncoding::kJson, false).ok());
  std::remove(path.c_str());
  EXPECT_FALSE(ReadDumpFile(path).ok());
}

TEST(BatchSet, SameSeedSameBytes) {
  BatchSet a = SmallSet(BodyEncoding::kProtobuf, false), b = SmallSet(BodyEncoding::kProtobuf, false);
  EXPECT_EQ(a.bodies, b.bodies);
  EXPECT_EQ(a.TotalSpans(), 300u);
  EXPECT_NE(a.bodies[0], a.bodies[1]);  // distinct batches
}

}  // namespace
}  // namespace rubato::load
