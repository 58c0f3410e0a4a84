// Searches and tag lookups while the store appends, cuts and compacts: the
// snapshot keeps what it read alive, and every answer stays well-formed
// (sorted, within its limit, no trace twice, no span counted twice).
// Meant for the sanitizer builds as much as for its assertions.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "query/search/search.h"
#include "query/search/tags.h"
#include "tests/query/search/search_fixture.h"

namespace rubato::query::search {
namespace {

class ConcurrentTest : public testing::SearchDataset {};

TEST_F(ConcurrentTest, SearchWhileTheStoreCutsAndCompacts) {
  std::thread writer([&] {
    for (uint8_t t = 20; t < 60; ++t) {
      ASSERT_TRUE(db_->Append("t", testing::TraceBatch(t, 400 + t, testing::Order(50 + t))).ok());
      if (t % 5 == 0) {
        ASSERT_TRUE(db_->CutBlocks(false).ok());
      }
      if (t % 15 == 0) {
        bool did = false;
        ASSERT_TRUE(db_->CompactOnce(&did).ok());
      }
    }
  });
  auto plan = traceql::Plan::Compile("{ resource.service.name = \"payment-service\" }");
  ASSERT_TRUE(plan.ok());
  CatalogCache cache;
  for (int i = 0; i < 60; ++i) {
    SearchRequest r;
    r.plan = plan->get();
    r.limit = 7;
    auto res = Search(db_->TakeSearchSnapshot("t"), r);
    ASSERT_TRUE(res.ok()) << res.status().message();
    ASSERT_LE(res->traces.size(), 7u);
    std::set<model::TraceId> ids;
    for (size_t k = 0; k < res->traces.size(); ++k) {
      const TraceResult& t = res->traces[k];
      EXPECT_TRUE(ids.insert(t.id).second);
      if (k > 0) {
        EXPECT_GE(res->traces[k - 1].start_unix_nano, t.start_unix_nano);
      }
      ASSERT_EQ(t.spansets.size(), 1u);
      EXPECT_EQ(t.spansets[0].matched, 1u);  // a payment span per order, once
      uint32_t spans = 0;
      for (const auto& [service, st] : t.service_stats) spans += st.span_count;
      EXPECT_EQ(spans, t.id == testing::TraceIdOf(9) ? 2u : t.id == testing::TraceIdOf(8) ? 4u : 3u);
    }
    auto name = ParseTagNameV2("resource.service.name");
    auto values = SearchTagValues(db_->TakeSearchSnapshot("t"), &cache, "t", *name, TagQuery{});
    ASSERT_TRUE(values.ok());
    EXPECT_EQ(values->values.size(), 4u);
  }
  writer.join();
  // Everything is in by now: the latest seven orders, newest first.
  SearchRequest r;
  r.plan = plan->get();
  r.limit = 3;
  auto res = Search(db_->TakeSearchSnapshot("t"), r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->traces.size(), 3u);
  EXPECT_EQ(res->traces[0].id, testing::TraceIdOf(59));
  EXPECT_EQ(res->traces[1].id, testing::TraceIdOf(58));
  EXPECT_EQ(res->traces[2].id, testing::TraceIdOf(57));
}

}  // namespace
}  // namespace rubato::query::search
