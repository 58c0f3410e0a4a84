// Durable first: what WalBackedStore acknowledged comes back after a restart,
// exactly once; what the disk refused was never acknowledged.
#include "ingest/wal_backed_store.h"

#include <gtest/gtest.h>

#include "model/batch_compare.h"
#include "otlp/protobuf_decoder.h"
#include "store/memory_store.h"
#include "tests/otlp/fixture_file.h"
#include "tests/wal/wal_test_util.h"

namespace rubato::ingest {
namespace {

using store::wal::testing::FaultyOps;
using store::wal::testing::TempDir;

const model::TraceId kTrace = *model::TraceId::FromHex("5b8aa5a2d2c872e8321cf37308d69df2");

std::shared_ptr<model::Batch> Fixture() {
  auto b = std::make_shared<model::Batch>();
  EXPECT_TRUE(otlp::DecodeProtobuf(testing::ReadFixture("otel-js/trace.pb"), b.get()).ok());
  return b;
}

std::unique_ptr<store::wal::Wal> OpenWal(const std::string& dir, store::wal::FileOps* ops = nullptr) {
  return store::wal::testing::OpenOrDie(dir, 1 << 20, ops);
}

TEST(WalBackedStoreTest, AcknowledgedBatchesComeBackAfterRestartExactlyOnce) {
  TempDir dir;
  {
    store::MemoryStore head;
    WalBackedStore store(OpenWal(dir.path()), &head, 1 << 30);
    ASSERT_TRUE(store.Append("t", Fixture()).ok());
    ASSERT_TRUE(store.FindTrace("t", kTrace, {}).ok());
  }  // the process "dies": only the WAL remains
  store::MemoryStore head;
  WalBackedStore store(OpenWal(dir.path()), &head, 1 << 30);
  store::wal::ReplayStats stats;
  uint64_t undecodable = 0;
  ASSERT_TRUE(store.Recover(&stats, &undecodable).ok());
  EXPECT_EQ(stats.records, 1u);
  EXPECT_EQ(undecodable, 0u);
  auto found = store.FindTrace("t", kTrace, {});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(model::DescribeDifference(*Fixture(), found->batch), "");  // exactly once, every field
  EXPECT_FALSE(store.FindTrace("other", kTrace, {}).ok());             // the tenant came back too
}

TEST(WalBackedStoreTest, DiskFailureIsRetryableAndNothingIsAcknowledged) {
  TempDir dir;
  FaultyOps ops;
  {
    store::MemoryStore head;
    WalBackedStore store(OpenWal(dir.path(), &ops), &head, 1 << 30);
    ops.sync_errno = ENOSPC;
    Status s = store.Append("t", Fixture());
    EXPECT_EQ(s.code(), rubato::StatusCode::kUnavailable);
    EXPECT_NE(s.message().find("No space left on device"), std::string::npos) << s.message();
    EXPECT_FALSE(store.FindTrace("t", kTrace, {}).ok());  // not in the head either
    ops.sync_errno = 0;                                   // space is back: the next try works
    ASSERT_TRUE(store.Append("t", Fixture()).ok());
  }
  store::MemoryStore head;
  WalBackedStore store(OpenWal(dir.path()), &head, 1 << 30);
  store::wal::ReplayStats stats;
  uint64_t undecodable = 0;
  ASSERT_TRUE(store.Recover(&stats, &undecodable).ok());
  EXPECT_EQ(stats.records, 1u);  // only the acknowledged one
  EXPECT_EQ(store.FindTrace("t", kTrace, {})->batch.spans.size(), 4u);
}

TEST(WalBackedStoreTest, RetentionDeletesOldSegmentsOnly) {
  TempDir dir;
  store::MemoryStore head;
  WalBackedStore store(OpenWal(dir.path()), &head, 20'000);  // a few fixtures' worth
  for (int i = 0; i < 2000; ++i) ASSERT_TRUE(store.Append("t", Fixture()).ok());  // ~4.5 MB: several segments
  EXPECT_LE(store.wal().segment_count(), 2u);
}

}  // namespace
}  // namespace rubato::ingest
