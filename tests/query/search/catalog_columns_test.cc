// Tag catalogs as CatalogCache builds them, from a block's columns
// (store/block/row_group_values.h), hold exactly what a CatalogBuilder takes
// from the block's decoded spans: the same keys in every scope, the same
// truncation, and the same values wherever a key is complete (a truncated
// key keeps a sample, and a truncated scope some of its keys, which depend
// on the order values arrive in).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "query/search/catalog_cache.h"
#include "store/backend/local_backend.h"
#include "store/block/block_writer.h"
#include "tests/block/block_test_util.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::query::search {
namespace {

using store::block::testing_support::TempDir;

struct Stored {
  std::vector<std::unique_ptr<model::Batch>> batches;
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<store::backend::LocalBackend> backend;
  std::shared_ptr<const store::block::BlockReader> reader;
};

std::unique_ptr<Stored> Write(std::vector<std::unique_ptr<model::Batch>> batches, uint32_t row_group_spans) {
  auto s = std::make_unique<Stored>();
  s->batches = std::move(batches);
  s->dir = std::make_unique<TempDir>("catalog_columns");
  s->backend = std::make_unique<store::backend::LocalBackend>(s->dir->path().string());
  std::vector<const model::Batch*> ptrs;
  for (auto& b : s->batches) ptrs.push_back(b.get());
  auto meta = store::block::testing_support::WriteTestBlock(s->backend.get(), "t", ptrs, row_group_spans);
  EXPECT_TRUE(meta.ok()) << meta.status().message();
  auto r = store::block::BlockReader::Open(s->backend.get(), "t", meta->block_id);
  EXPECT_TRUE(r.ok()) << r.status().message();
  s->reader = std::move(r).value();
  return s;
}

// What the cache builds (from columns), and what the decoded spans give.
std::pair<std::shared_ptr<const TagCatalog>, TagCatalog> Both(const Stored& s, CatalogLimits limits = {}) {
  CatalogCache cache(limits, 2);
  auto got = cache.Get("t", {s.reader}, {s.reader.get()});
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(cache.stats().built_by_decoding, 1u);
  TagCatalog from_spans(limits);
  for (uint32_t g = 0; g < s.reader->row_group_count(); ++g) {
    auto rg = s.reader->ReadRowGroup(g);
    EXPECT_TRUE(rg.ok()) << rg.status().message();
    CatalogBuilder(&from_spans).AddBatch(rg->batch);
  }
  from_spans.TrimTruncated(CatalogCache::kKeepWhenTruncated);
  return {got.empty() ? nullptr : got[0], std::move(from_spans)};
}

// Returns the number of keys compared with their values.
size_t ExpectSame(const TagCatalog& columns, const TagCatalog& spans) {
  size_t complete = 0;
  for (size_t i = 0; i < kTagScopeCount; ++i) {
    const TagScope scope = static_cast<TagScope>(i);
    EXPECT_EQ(columns.keys_truncated(scope), spans.keys_truncated(scope)) << Name(scope);
    std::vector<std::string> a, b;
    for (const auto& [key, v] : columns.scope(scope)) a.push_back(key);
    for (const auto& [key, v] : spans.scope(scope)) b.push_back(key);
    // Past the key bound, which keys were kept depends on the order they came in.
    if (!spans.keys_truncated(scope)) EXPECT_EQ(a, b) << Name(scope);
    for (const auto& [key, want] : spans.scope(scope)) {
      const TagCatalog::Values* got = columns.Find(scope, key);
      if (got == nullptr) continue;  // reported above, or dropped past the key bound
      EXPECT_EQ(got->truncated, want.truncated) << Name(scope) << "." << key;
      if (want.truncated) continue;
      EXPECT_EQ(got->values, want.values) << Name(scope) << "." << key;
      ++complete;
    }
  }
  return complete;
}

TEST(CatalogColumnsTest, StandardWorkloadGivesWhatItsSpansGive) {
  std::vector<std::unique_ptr<model::Batch>> batches;
  workload::Generator gen(workload::Options{});
  for (int i = 0; i < 30; ++i) {
    batches.push_back(std::make_unique<model::Batch>());
    gen.Next(batches.back().get());
  }
  auto stored = Write(std::move(batches), 4000);
  ASSERT_GT(stored->reader->row_group_count(), 3u);
  auto [columns, spans] = Both(*stored);
  ASSERT_NE(columns, nullptr);
  EXPECT_GT(ExpectSame(*columns, spans), 20u);
  // The workload's services and an intrinsic, spelled out.
  const TagCatalog::Values* services = columns->Find(TagScope::kResource, "service.name");
  ASSERT_NE(services, nullptr);
  std::set<TagValue, std::less<>> want;
  for (const char* s : {"inventory-service", "notification-service", "order-service", "payment-service"}) {
    want.insert(TagValue{TagValueType::kString, s});
  }
  EXPECT_EQ(services->values, want);
  const TagCatalog::Values* kinds = columns->Find(TagScope::kIntrinsic, kIntrinsicKind);
  ASSERT_NE(kinds, nullptr);
  EXPECT_TRUE(kinds->values.count(TagValue{TagValueType::kKeyword, "server"}));
}

// Every value kind (nested arrays and kvlists, bytes, empty, UUIDs in both
// cases), events, links, open-enum kinds and statuses, status messages,
// duplicate keys, roots and not; and tight limits, so that keys truncate.
TEST(CatalogColumnsTest, EveryKindOfValueAndTruncation) {
  for (uint32_t row_group_spans : {7u, 10000u}) {
    std::vector<std::unique_ptr<model::Batch>> batches;
    batches.push_back(std::make_unique<model::Batch>(store::block::testing_support::HandBatch()));
    batches.push_back(std::make_unique<model::Batch>(store::block::testing_support::EdgeCaseBatch()));
    auto stored = Write(std::move(batches), row_group_spans);
    auto [columns, spans] = Both(*stored);
    ASSERT_NE(columns, nullptr);
    EXPECT_GT(ExpectSame(*columns, spans), 10u) << row_group_spans;
    CatalogLimits tight;
    tight.max_values_per_key = 3;
    tight.max_keys_per_scope = 5;
    auto [small_columns, small_spans] = Both(*stored, tight);
    ASSERT_NE(small_columns, nullptr);
    ExpectSame(*small_columns, small_spans);
  }
}

}  // namespace
}  // namespace rubato::query::search
