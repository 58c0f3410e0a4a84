// The search executor (src/query/search/search.cc) over a real TraceDb:
// order, limit, spss, early stop, time pruning, merging of split traces,
// duplicates between the head and a block, cancellation and the memory bound.
#include "query/search/search.h"

#include <gtest/gtest.h>

#include "query/search/candidates.h"
#include "query/search/catalog_cache.h"
#include "query/search/search_json.h"
#include "tests/query/search/search_fixture.h"

namespace rubato::query::search {
namespace {

using testing::kMs;
using testing::kSecond;
using testing::kT0;
using testing::TraceHex;

class SearchTest : public testing::SearchDataset {
 protected:
  Result<SearchResponse> Run(std::string_view q, uint32_t limit = 20, uint64_t start = 0, uint64_t end = 0,
                             uint32_t spss = 3) {
    auto plan = traceql::Plan::Compile(q);
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    plan_ = std::move(*plan);
    SearchRequest r;
    r.plan = plan_.get();
    r.limit = limit;
    r.start_unix_nano = start;
    r.end_unix_nano = end;
    r.spans_per_spanset = spss;
    r.cancel = &cancel_;
    r.memory_budget_bytes = budget_;
    r.min_trace_duration_nanos = min_duration_;
    r.threads = threads_;
    r.max_trace_duration_nanos = max_duration_;
    if (catalogs_) {
      r.block_catalog = [this](const store::block::BlockReader& b) { return catalogs_->Cached("t", b.meta().block_id); };
    }
    return Search(db_->TakeSearchSnapshot("t"), r);
  }
  // Builds every block's tag catalog, for searches to prune blocks by.
  void BuildCatalogs() {
    catalogs_ = std::make_unique<CatalogCache>();
    auto snapshot = db_->TakeSearchSnapshot("t");
    std::vector<const store::block::BlockReader*> all;
    for (const auto& b : snapshot.blocks) all.push_back(b.get());
    ASSERT_EQ(catalogs_->Get("t", snapshot.blocks, all).size(), all.size());
  }
  // Trace numbers (the last byte of the ID) in answer order.
  static std::vector<int> Ids(const SearchResponse& r) {
    std::vector<int> out;
    for (const TraceResult& t : r.traces) out.push_back(t.id.bytes[15]);
    return out;
  }
  const TraceResult* Find(const SearchResponse& r, uint8_t n) {
    for (const TraceResult& t : r.traces) {
      if (t.id == testing::TraceIdOf(n)) return &t;
    }
    return nullptr;
  }
  std::unique_ptr<traceql::Plan> plan_;
  std::atomic<bool> cancel_{false};
  uint64_t budget_ = kDefaultMemoryBudget;
  uint64_t min_duration_ = 0, max_duration_ = 0;
  unsigned threads_ = 0;
  std::unique_ptr<CatalogCache> catalogs_;
};

TEST_F(SearchTest, MostRecentFirstAcrossHeadAndBlocks) {
  auto r = Run("{ }");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Ids(*r), (std::vector<int>{8, 7, 10, 6, 5, 4, 3, 9, 2, 1}));
  EXPECT_FALSE(r->metrics.stopped_early);
  EXPECT_EQ(r->metrics.total_blocks, 3u);
  EXPECT_EQ(r->metrics.total_jobs, 4u);  // the head's slice and one row group per block
  EXPECT_EQ(r->metrics.completed_jobs, 4u);
  EXPECT_EQ(r->metrics.blocks_inspected, 3u);
  EXPECT_EQ(r->metrics.inspected_traces, 11u);  // t9 twice: a piece in each of two blocks
  EXPECT_EQ(r->metrics.inspected_spans, 3u * 8 + 6 + 1 + 1 + 1);  // 8 orders, t10, t9's 2 pieces, t8's extra span
}

TEST_F(SearchTest, LimitKeepsTheMostRecentAndStopsEarly) {
  threads_ = 1;  // how many units run before the stop depends on the threads' timing; the answer does not
  auto two = Run("{ }", 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(Ids(*two), (std::vector<int>{8, 7}));
  // The head held both; every block ends before t7 starts: none is read.
  EXPECT_TRUE(two->metrics.stopped_early);
  EXPECT_EQ(two->metrics.completed_jobs, 1u);
  EXPECT_EQ(two->metrics.blocks_inspected, 0u);
  EXPECT_EQ(two->metrics.total_jobs, 4u);

  auto three = Run("{ }", 3);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(Ids(*three), (std::vector<int>{8, 7, 10}));
  EXPECT_TRUE(three->metrics.stopped_early);
  EXPECT_EQ(three->metrics.blocks_inspected, 1u);  // block 3 only
  EXPECT_EQ(three->metrics.completed_jobs, 2u);

  threads_ = 4;  // in parallel: units in flight when another thread stops early are finished, not dropped
  for (int i = 0; i < 20; ++i) {
    auto again = Run("{ }", 3);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(Ids(*again), (std::vector<int>{8, 7, 10})) << "run " << i;
  }
}

TEST_F(SearchTest, ExactEvenWhenOlderBlocksHoldMatches) {
  // Matches live in blocks 1 and 2 only; the newest blocks and head hold none.
  auto r = Run("{ span.http.status_code = 500 || name = \"POST /orders\" && duration < 150ms }", 2);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Ids(*r), (std::vector<int>{4, 1}));  // t4 (error, 110 s) and t1 (root of 100 ms, 10 s)
  EXPECT_FALSE(r->metrics.stopped_early);
}

TEST_F(SearchTest, TimeRangePrunesBlocks) {
  auto r = Run("{ }", 20, kT0 + 90 * kSecond, kT0 + 150 * kSecond);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<int>{4, 3}));  // t9's piece in block 2 is at 30.5 s: out of range
  EXPECT_EQ(r->metrics.total_blocks, 1u);
  EXPECT_EQ(r->metrics.blocks_pruned_by_time, 2u);
  EXPECT_EQ(r->metrics.total_jobs, 1u);  // the head holds nothing in range
  // A trace overlapping the range's start is in.
  auto overlap = Run("{ }", 20, kT0 + 30 * kSecond + 800 * kMs, kT0 + 60 * kSecond);
  ASSERT_TRUE(overlap.ok());
  EXPECT_EQ(Ids(*overlap), (std::vector<int>{9}));
}

TEST_F(SearchTest, PiecesOfASplitTraceAreMerged) {
  auto r = Run("{ resource.service.name = \"payment-service\" }");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<int>{8, 7, 6, 5, 4, 3, 9, 2, 1}));
  const TraceResult* t9 = Find(*r, 9);
  ASSERT_NE(t9, nullptr);
  // The matching piece (block 2) brought the spanset; the root piece (block 1) the root and start.
  EXPECT_TRUE(t9->has_root);
  EXPECT_EQ(t9->root_service, "order-service");
  EXPECT_EQ(t9->root_name, "POST /orders");
  EXPECT_EQ(t9->start_unix_nano, kT0 + 30 * kSecond);
  EXPECT_EQ(t9->duration_ms(), 900u);
  ASSERT_EQ(t9->spansets.size(), 1u);
  EXPECT_EQ(t9->spansets[0].matched, 1u);
  ASSERT_EQ(t9->spansets[0].spans.size(), 1u);
  EXPECT_EQ(t9->spansets[0].spans[0].id, testing::SpanIdOf(9, 3));
  EXPECT_EQ(t9->spansets[0].spans[0].start_unix_nano, kT0 + 30 * kSecond + 500 * kMs);
  EXPECT_EQ(t9->spansets[0].spans[0].duration_nanos, 300 * kMs);
  std::map<std::string, ServiceStats> stats = {{"order-service", {1, 0}}, {"payment-service", {1, 0}}};
  EXPECT_EQ(t9->service_stats, stats);
}

TEST_F(SearchTest, PiecesReadBeforeTheirTraceMatchedAreLookedUpAfterwards) {
  // t12: its matching payment span in a block, its root (not matching) in the
  // head, starting after the payment span ends (clock skew): the trace's
  // start is its earliest span's, wherever the pieces were read.
  Put(testing::TraceBatch(12, 250, {{3, 1, "payment-service", "POST /charge", 500, 300, model::SpanKind::kServer,
                                     model::StatusCode::kOk, {}}}));
  Cut();
  Put(testing::TraceBatch(12, 250, {{1, 0, "order-service", "POST /orders", 60000, 100, model::SpanKind::kServer,
                                     model::StatusCode::kUnset, {}}}));
  threads_ = 1;
  auto r = Run("{ resource.service.name = \"payment-service\" }", 3);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<int>{8, 7, 12}));
  const TraceResult* t12 = Find(*r, 12);
  ASSERT_NE(t12, nullptr);
  EXPECT_TRUE(t12->has_root);
  EXPECT_EQ(t12->root_name, "POST /orders");
  EXPECT_EQ(t12->start_unix_nano, kT0 + 250 * kSecond + 500'000'000);  // the payment span's start
  EXPECT_EQ(t12->duration_ms(), 59600u);
  EXPECT_EQ(t12->spansets[0].matched, 1u);
  // The root piece is merged during the scan or, when it was read before its
  // trace matched, by CompletePieces; either way the result above is whole.
  EXPECT_LE(r->metrics.pieces_completed, 1u);
  std::map<std::string, ServiceStats> stats = {{"order-service", {1, 0}}, {"payment-service", {1, 0}}};
  EXPECT_EQ(t12->service_stats, stats);
}

TEST_F(SearchTest, EachPieceIsEvaluatedOnItsOwnUntilCompactionJoinsThem) {
  const char* q = "{ resource.service.name = \"order-service\" } && { resource.service.name = \"payment-service\" }";
  auto before = Run(q);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(Find(*before, 9), nullptr);  // neither piece alone has both services
  bool did = false;
  ASSERT_TRUE(db_->CompactOnce(&did).ok());
  ASSERT_TRUE(did);
  auto after = Run(q);
  ASSERT_TRUE(after.ok());
  ASSERT_NE(Find(*after, 9), nullptr);
  EXPECT_EQ(Find(*after, 9)->spansets[0].matched, 2u);
  EXPECT_EQ(after->metrics.total_blocks, 1u);
}

// Compaction that concatenates (no merge): trace 9's pieces are in two runs
// of one block, read and completed run by run as they were block by block.
class SearchRunsTest : public SearchTest {
 protected:
  void Tune(store::TraceDbOptions* o) override { o->merge_shared_fraction = 1.0; }  // merge only all-shared inputs
};

TEST_F(SearchRunsTest, PiecesInRunsOfOneBlockAreMergedAndCompleted) {
  bool did = false;
  ASSERT_TRUE(db_->CompactOnce(&did).ok());
  ASSERT_TRUE(did);
  ASSERT_EQ(db_->stats().concatenations, 1u);
  for (unsigned threads : {1u, 0u}) {
    threads_ = threads;
    auto r = Run("{ resource.service.name = \"payment-service\" }");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->metrics.total_blocks, 1u);
    EXPECT_EQ(Ids(*r), (std::vector<int>{8, 7, 6, 5, 4, 3, 9, 2, 1}));
    const TraceResult* t9 = Find(*r, 9);
    ASSERT_NE(t9, nullptr);
    EXPECT_TRUE(t9->has_root);  // from run 0; the matching span from run 1
    EXPECT_EQ(t9->root_name, "POST /orders");
    EXPECT_EQ(t9->duration_ms(), 900u);
    ASSERT_EQ(t9->spansets.size(), 1u);
    EXPECT_EQ(t9->spansets[0].matched, 1u);
    EXPECT_EQ(t9->spansets[0].spans[0].id, testing::SpanIdOf(9, 3));
    // Limit 1 stops the scan early: the root piece comes from CompletePieces.
    auto one = Run("{ span:name = \"POST /charge\" && resource.service.name = \"payment-service\" && trace:id = \"" +
                   TraceHex(9) + "\" }", 1);
    ASSERT_TRUE(one.ok()) << one.status().message();
    ASSERT_EQ(Ids(*one), (std::vector<int>{9}));
    EXPECT_TRUE(one->traces[0].has_root);
  }
  // Each piece is still evaluated on its own, as across blocks.
  auto both = Run("{ resource.service.name = \"order-service\" } && { resource.service.name = \"payment-service\" }");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(Find(*both, 9), nullptr);
}

// A block whose tag catalog lacks a string every match needs is not read;
// the answer is the same, and pieces of a result in such a block are still
// looked up. t20's root piece is in block 4 ("alpha", with t7 and t8 from
// the head), its matching piece alone in block 5 ("only-here").
TEST_F(SearchTest, BlocksTheirCatalogsRuleOutAreNotRead) {
  Put(testing::TraceBatch(20, 400, {{1, 0, "alpha", "root-op", 0, 700, model::SpanKind::kServer, model::StatusCode::kUnset, {}}}));
  Cut();
  Put(testing::TraceBatch(20, 400, {{2, 1, "beta", "only-here", 100, 50, model::SpanKind::kInternal,
                                     model::StatusCode::kUnset, {testing::S("tier", "gold")}}}));
  Cut();
  struct Case {
    std::string q;
    std::vector<int> ids;
    uint32_t pruned;
  } cases[] = {
      {"{ name = \"nightly-batch\" }", {10}, 4},
      {"{ name = \"no-such-name\" }", {}, 5},
      {"{ span.tier = \"gold\" }", {20}, 4},
      {"{ .tier = \"gold\" }", {20}, 4},
      {"{ resource.service.name = \"alpha\" }", {20}, 4},
      {"{ name = \"only-here\" } || { name = \"nightly-batch\" }", {20, 10}, 3},
      {"{ name = \"only-here\" } && { name = \"nightly-batch\" }", {}, 5},
      {"{ span.tier = \"gold\" || span.http.status_code = 500 }", {20, 4}, 3},  // 500 only in block 2
      {"{ span.http.status_code >= 600 }", {}, 5},
      {"{ span.http.status_code = 500 }", {4}, 4},
      {"{ span.http.status_code != nil }", {8, 7, 6, 5, 4, 3, 9, 2, 1}, 0},  // any value: not the catalog's to judge
      {"{ name =~ \"only.*\" }", {20}, 4},
      {"{ span.tier != \"gold\" }", {}, 5},  // spans without `tier` fail `!=` too
      {"{ span.tier != \"silver\" }", {20}, 4},
      {"{ name = \"POST /orders\" }", {8, 7, 6, 5, 4, 3, 9, 2, 1}, 1},  // block 4 took t7 and t8 from the head
  };
  for (const Case& c : cases) {
    catalogs_.reset();
    auto plain = Run(c.q);
    ASSERT_TRUE(plain.ok()) << c.q << ": " << plain.status().message();
    BuildCatalogs();
    auto pruned = Run(c.q);
    ASSERT_TRUE(pruned.ok()) << c.q;
    EXPECT_EQ(Ids(*pruned), c.ids) << c.q;
    EXPECT_EQ(Ids(*plain), c.ids) << c.q;
    EXPECT_EQ(pruned->metrics.blocks_pruned_by_values, c.pruned) << c.q;
    EXPECT_EQ(plain->metrics.blocks_pruned_by_values, 0u) << c.q;
  }
  // The root of t20 came from block 4, which the search did not scan.
  auto r = Run("{ name = \"only-here\" }");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->metrics.blocks_pruned_by_values, 4u);
  const TraceResult* t20 = Find(*r, 20);
  ASSERT_NE(t20, nullptr);
  EXPECT_TRUE(t20->has_root);
  EXPECT_EQ(t20->root_service, "alpha");
  EXPECT_EQ(t20->root_name, "root-op");
  EXPECT_EQ(t20->duration_ms(), 700u);
}

TEST_F(SearchTest, SpansPerSpansetShowsTheEarliestAndCountsAll) {
  auto r = Run("{ name = \"batch-item\" }", 20, 0, 0, /*spss=*/2);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(Ids(*r), (std::vector<int>{10}));
  const SpansetOut& set = r->traces[0].spansets[0];
  EXPECT_EQ(set.matched, 5u);
  ASSERT_EQ(set.spans.size(), 2u);
  EXPECT_EQ(set.spans[0].id, testing::SpanIdOf(10, 2));
  EXPECT_EQ(set.spans[1].id, testing::SpanIdOf(10, 3));
  EXPECT_EQ(r->traces[0].root_name, "nightly-batch");
}

TEST_F(SearchTest, SpansInTheHeadAndABlockAtOnceCountOnce) {
  // A cut in progress shows a batch in the head and in its new block.
  auto batch = testing::TraceBatch(11, 400, testing::Order(50));
  Put(batch);
  Cut();
  Put(testing::TraceBatch(11, 400, testing::Order(50)));
  auto r = Run("{ span.http.method = \"POST\" }", 1);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(Ids(*r), (std::vector<int>{11}));
  const TraceResult& t = r->traces[0];
  ASSERT_EQ(t.spansets.size(), 1u);
  EXPECT_EQ(t.spansets[0].matched, 2u);
  EXPECT_EQ(t.spansets[0].spans.size(), 2u);
  std::map<std::string, ServiceStats> stats = {
      {"inventory-service", {1, 0}}, {"order-service", {1, 0}}, {"payment-service", {1, 0}}};
  EXPECT_EQ(t.service_stats, stats);
}

TEST_F(SearchTest, TraceDurationBounds) {
  min_duration_ = 450 * kMs;  // root spans of 100…800 ms, t9 900 ms, t10 1 s
  max_duration_ = 950 * kMs;
  auto r = Run("{ }");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Ids(*r), (std::vector<int>{8, 7, 6, 5, 9}));
}

TEST_F(SearchTest, CancelledSearchSaysSo) {
  cancel_ = true;
  auto r = Run("{ }");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status().message(), "search cancelled");
}

TEST_F(SearchTest, PastItsDeadlineASearchTimesOut) {
  auto plan = traceql::Plan::Compile("{ }");
  ASSERT_TRUE(plan.ok());
  SearchRequest req;
  req.plan = plan->get();
  req.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  auto r = Search(db_->TakeSearchSnapshot("t"), req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "search timed out");
}

TEST_F(SearchTest, ATinyMemoryBudgetRunsOneRowGroupAtATimeWithTheSameAnswer) {
  budget_ = 4096;  // less than any row group's estimate: each runs alone
  auto r = Run("{ }");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Ids(*r), (std::vector<int>{8, 7, 10, 6, 5, 4, 3, 9, 2, 1}));
  budget_ = 16;  // not even the head's grouping fits
  auto refused = Run("{ }");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.status().message().rfind("search needs ", 0), 0u) << refused.status().message();
  EXPECT_NE(refused.status().message().find(" bytes to group the head's spans, over its memory budget of 16 bytes"),
            std::string::npos);
}

TEST_F(SearchTest, OtherTenantsAndBadRequests) {
  auto plan = traceql::Plan::Compile("{ }");
  ASSERT_TRUE(plan.ok());
  SearchRequest req;
  req.plan = plan->get();
  auto other = Search(db_->TakeSearchSnapshot("nobody"), req);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->traces.empty());
  req.spans_per_spanset = 101;
  EXPECT_EQ(Search(db_->TakeSearchSnapshot("t"), req).status().message(), "spss must be at most 100");
  req.spans_per_spanset = 3;
  req.plan = nullptr;
  EXPECT_EQ(Search(db_->TakeSearchSnapshot("t"), req).status().message(), "search needs a query");
}

TEST_F(SearchTest, JsonInTemposShape) {
  auto r = Run("{ span.http.status_code = 500 }");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(Ids(*r), (std::vector<int>{4}));
  SearchResponse& resp = r.value();
  resp.metrics = SearchMetrics{};
  resp.metrics.total_blocks = 3;
  resp.metrics.inspected_bytes = 1234;
  std::string set =
      "{\"spans\":[{\"spanID\":\"ab00000000000403\",\"name\":\"POST /charge\",\"startTimeUnixNano\":\"" +
      std::to_string(kT0 + 110 * kSecond + 30 * kMs) +
      "\",\"durationNanos\":\"40000000\",\"attributes\":[{\"key\":\"http.status_code\",\"value\":{\"intValue\":\"500\"}}]}],"
      "\"matched\":1}";
  std::string want = "{\"traces\":[{\"traceID\":\"5ea7c000000000000000000000000004\",\"rootServiceName\":\"order-service\","
                     "\"rootTraceName\":\"POST /orders\",\"startTimeUnixNano\":\"" +
                     std::to_string(kT0 + 110 * kSecond) + "\",\"durationMs\":400,\"spanSet\":" + set +
                     ",\"spanSets\":[" + set +
                     "],\"serviceStats\":{\"inventory-service\":{\"spanCount\":1},\"order-service\":{\"spanCount\":1},"
                     "\"payment-service\":{\"spanCount\":1,\"errorCount\":1}}}],"
                     "\"metrics\":{\"inspectedBytes\":\"1234\",\"totalBlocks\":3}}";
  EXPECT_EQ(SearchResponseJson(resp), want);
}

TEST_F(SearchTest, CandidatesDecodeJustTheTracesListed) {
  store::SearchSnapshot snap = db_->TakeSearchSnapshot("t");
  ASSERT_EQ(snap.blocks.size(), 3u);
  const store::block::BlockReader* block = nullptr;  // block 1: t1, t2, t9 in ID order
  for (const auto& b : snap.blocks) {
    if (b->meta().traces == 3 && b->meta().min_time == kT0 + 10 * kSecond) block = b.get();
  }
  ASSERT_NE(block, nullptr);
  CandidateFilter filter(nullptr, 0, UINT64_MAX);
  Candidates all = filter.For(*block, 0);
  EXPECT_TRUE(all.all);
  auto whole = filter.Read(*block, 0, all);
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->traces.size(), 3u);
  Candidates some{false, {0, 2}, {}};
  auto part = filter.Read(*block, 0, some);
  ASSERT_TRUE(part.ok());
  ASSERT_EQ(part->traces.size(), 2u);
  EXPECT_EQ(part->traces[0].id, testing::TraceIdOf(1));
  EXPECT_EQ(part->traces[1].id, testing::TraceIdOf(9));
  EXPECT_TRUE((Candidates{false, {}, {}}).none());
}

TEST(SearchJsonTest, TraceIdsLoseLeadingZerosAndRootlessTracesSaySo) {
  model::TraceId id;
  id.bytes[14] = 0x0a;
  id.bytes[15] = 0xbc;
  EXPECT_EQ(TraceIdText(id), "abc");
  EXPECT_EQ(TraceIdText(model::TraceId{}), "0");
  SearchResponse r;
  TraceResult t;
  t.id = id;
  t.start_unix_nano = 5;
  t.end_unix_nano = 5 + 500000;  // under 1 ms: durationMs omitted, as jsonpb omits zeros
  r.traces.push_back(t);
  EXPECT_EQ(SearchResponseJson(r),
            "{\"traces\":[{\"traceID\":\"abc\",\"rootServiceName\":\"<root span not yet received>\","
            "\"startTimeUnixNano\":\"5\"}],\"metrics\":{}}");
}

}  // namespace
}  // namespace rubato::query::search
