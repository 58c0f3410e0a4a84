// Tag catalogs outside memory (query/search/tag_catalog_file.h): the
// `catalog` object round-trips a catalog exactly, any damage is an error, and
// CatalogCache keeps at most its memory budget of catalogs, storing those it
// lets go of and reading them back unchanged (also after a restart).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "query/search/catalog_cache.h"
#include "query/search/tag_catalog_file.h"
#include "store/backend/local_backend.h"
#include "store/block/block_reader.h"
#include "tests/block/block_test_util.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::query::search {
namespace {

using store::block::BlockReader;
using store::block::testing_support::TempDir;

class CatalogStoreTest : public ::testing::Test {
 protected:
  CatalogStoreTest() : dir_("catalog_store"), backend_(dir_.path().string()) {}

  std::shared_ptr<const BlockReader> Block(std::vector<model::Batch> batches) {
    for (auto& b : batches) batches_.push_back(std::make_unique<model::Batch>(std::move(b)));
    std::vector<const model::Batch*> ptrs;
    for (size_t i = batches_.size() - batches.size(); i < batches_.size(); ++i) ptrs.push_back(batches_[i].get());
    auto meta = store::block::testing_support::WriteTestBlock(&backend_, "t", ptrs, 3000);
    EXPECT_TRUE(meta.ok()) << meta.status().message();
    auto r = BlockReader::Open(&backend_, "t", meta->block_id);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return std::move(r).value();
  }
  std::vector<std::shared_ptr<const BlockReader>> WorkloadBlocks(int n) {
    std::vector<std::shared_ptr<const BlockReader>> out;
    for (int i = 0; i < n; ++i) {
      std::vector<model::Batch> batches(3);
      for (auto& b : batches) gen_.Next(&b);
      out.push_back(Block(std::move(batches)));
    }
    return out;
  }

  TempDir dir_;
  store::backend::LocalBackend backend_;
  workload::Generator gen_{workload::Options{}};
  std::vector<std::unique_ptr<model::Batch>> batches_;
};

TEST_F(CatalogStoreTest, TheObjectRoundTripsExactly) {
  std::vector<model::Batch> hand;
  hand.push_back(store::block::testing_support::HandBatch());
  hand.push_back(store::block::testing_support::EdgeCaseBatch());
  auto block = Block(std::move(hand));
  CatalogLimits tight;
  tight.max_values_per_key = 3;
  tight.max_keys_per_scope = 5;
  for (CatalogLimits limits : {CatalogLimits{}, tight}) {
    CatalogCache cache(limits, 1);
    auto built = cache.Get("t", {block}, {block.get()});
    ASSERT_EQ(built.size(), 1u);
    const TagCatalog& want = *built[0];
    std::string bytes = EncodeCatalog(want);
    auto back = DecodeCatalog(bytes, limits);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(EncodeCatalog(*back), bytes);
    EXPECT_EQ(back->memory_bytes(), want.memory_bytes());
    size_t keys = 0;
    for (size_t s = 0; s < kTagScopeCount; ++s) {
      const auto scope = static_cast<TagScope>(s);
      EXPECT_EQ(back->keys_truncated(scope), want.keys_truncated(scope)) << Name(scope);
      ASSERT_EQ(back->scope(scope).size(), want.scope(scope).size()) << Name(scope);
      for (const auto& [key, values] : want.scope(scope)) {
        const TagCatalog::Values* got = back->Find(scope, key);
        ASSERT_NE(got, nullptr) << key;
        EXPECT_EQ(got->values, values.values) << key;
        EXPECT_EQ(got->truncated, values.truncated) << key;
        ++keys;
      }
    }
    EXPECT_GT(keys, 5u);
  }
  // The tight catalog has truncated keys and scopes, so both flags round-trip set.
  CatalogCache cache(tight, 1);
  auto small = cache.Get("t", {block}, {block.get()});
  bool some_key_truncated = false;
  for (const auto& [key, v] : small[0]->scope(TagScope::kSpan)) some_key_truncated |= v.truncated;
  EXPECT_TRUE(some_key_truncated);
  EXPECT_TRUE(small[0]->keys_truncated(TagScope::kSpan));
}

TEST_F(CatalogStoreTest, DamageIsAnError) {
  auto block = WorkloadBlocks(1)[0];
  CatalogCache cache({}, 1);
  std::string bytes = EncodeCatalog(*cache.Get("t", {block}, {block.get()})[0]);
  for (size_t at = 0; at < bytes.size(); at += std::max<size_t>(1, bytes.size() / 500)) {
    std::string bad = bytes;
    bad[at] ^= 0x04;
    auto r = DecodeCatalog(bad);
    ASSERT_FALSE(r.ok()) << "byte " << at;
    EXPECT_EQ(r.status().code(), StatusCode::kInternal);
    EXPECT_EQ(r.status().message().rfind("catalog: ", 0), 0u) << r.status().message();
  }
  EXPECT_FALSE(DecodeCatalog(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(DecodeCatalog("").ok());
}

TEST_F(CatalogStoreTest, MemoryStaysWithinTheBudgetAndStoredCatalogsComeBackUnchanged) {
  auto blocks = WorkloadBlocks(6);
  std::vector<std::string> first;
  uint64_t largest = 0;
  {
    CatalogCache unbounded({}, 1);
    for (const auto& b : blocks) {
      auto c = unbounded.Get("t", blocks, {b.get()})[0];
      first.push_back(EncodeCatalog(*c));
      largest = std::max(largest, c->memory_bytes());
    }
  }
  const uint64_t budget = 2 * largest + largest / 2;  // room for two catalogs
  CatalogCache cache({}, 1, &backend_, budget);
  for (const auto& b : blocks) {
    cache.Get("t", blocks, {b.get()});
    EXPECT_LE(cache.stats().bytes, budget);
  }
  CatalogCache::Stats s = cache.stats();
  EXPECT_EQ(s.built_by_decoding, 6u);
  EXPECT_EQ(s.cached, 2u);
  EXPECT_EQ(s.stored, 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_TRUE(std::filesystem::exists(dir_.path() / "t" / blocks[i]->meta().block_id / "catalog")) << i;
  }
  // Every catalog again, in order: the stored ones are read back, none rebuilt.
  for (size_t i = 0; i < blocks.size(); ++i) {
    auto c = cache.Get("t", blocks, {blocks[i].get()});
    EXPECT_EQ(EncodeCatalog(*c[0]), first[i]) << i;
    EXPECT_LE(cache.stats().bytes, budget);
  }
  EXPECT_EQ(cache.stats().built_by_decoding, 6u);
  EXPECT_GE(cache.stats().read_back, 4u);

  // By now every block's catalog has been let go of once, so stored. A
  // restart: the warmer finds them all and builds none; search's lookup
  // reads one back.
  for (const auto& b : blocks) {
    EXPECT_TRUE(std::filesystem::exists(dir_.path() / "t" / b->meta().block_id / "catalog"));
  }
  CatalogCache restarted({}, 1, &backend_, budget);
  for (const auto& b : blocks) restarted.Warm("t", blocks, *b);
  EXPECT_EQ(restarted.stats().built_by_decoding, 0u);
  EXPECT_EQ(restarted.stats().cached, 0u);
  auto stored_one = restarted.Cached("t", blocks[0]->meta().block_id);
  ASSERT_NE(stored_one, nullptr);
  EXPECT_EQ(EncodeCatalog(*stored_one), first[0]);
}

TEST_F(CatalogStoreTest, WithoutABackendLetGoCatalogsAreBuiltAgain) {
  auto blocks = WorkloadBlocks(3);
  CatalogCache probe({}, 1);
  const uint64_t one = probe.Get("t", blocks, {blocks[0].get()})[0]->memory_bytes();
  CatalogCache cache({}, 1, nullptr, one + one / 2);
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& b : blocks) cache.Get("t", blocks, {b.get()});
  }
  EXPECT_EQ(cache.stats().built_by_decoding, 6u);
  EXPECT_EQ(cache.stats().stored, 0u);
  EXPECT_EQ(cache.stats().cached, 1u);
}

}  // namespace
}  // namespace rubato::query::search
