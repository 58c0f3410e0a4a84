// TopTraces: the bound that lets a search skip or stop early comes only from
// results holding their root span, whose start is their trace's.
#include "query/search/top_traces.h"

#include <gtest/gtest.h>

namespace rubato::query::search {
namespace {

TraceResult Piece(uint8_t id, uint64_t start, bool root) {
  TraceResult r;
  r.id.bytes[15] = id;
  r.start_unix_nano = start;
  r.end_unix_nano = start + 10;
  r.has_root = root;
  r.spansets.emplace_back();
  return r;
}

model::TraceId Id(uint8_t id) {
  model::TraceId t;
  t.bytes[15] = id;
  return t;
}

TEST(TopTracesTest, ARootlessPieceSetsNoBound) {
  TopTraces top(1, 3);
  top.Offer(Piece(1, 100, false));  // its trace may have started much earlier
  EXPECT_EQ(top.stop_below(), 0u);
  EXPECT_TRUE(top.Admits(Id(2), 90));
  top.Offer(Piece(2, 90, true));  // settled: a bound now
  EXPECT_EQ(top.stop_below(), 90u);
  EXPECT_FALSE(top.Admits(Id(3), 80));
  EXPECT_TRUE(top.Admits(Id(1), 10));  // held: its other pieces still merge in
  // Trace 1's root piece: the trace started at 50, so trace 2 is the answer.
  top.Offer(Piece(1, 50, true));
  std::vector<TraceResult> all = top.Take();
  ASSERT_EQ(all.size(), 1u);  // trace 1 fell below the bound and was dropped
  EXPECT_EQ(all[0].id, Id(2));
}

TEST(TopTracesTest, SettledResultsBeyondTheLimitAreDropped) {
  TopTraces top(2, 3);
  top.Offer(Piece(1, 300, true));
  top.Offer(Piece(2, 200, true));
  top.Offer(Piece(3, 250, false));
  EXPECT_EQ(top.stop_below(), 200u);
  top.Offer(Piece(4, 280, true));  // 300, 280 settled: 250 (rootless) and 200 are out
  EXPECT_EQ(top.stop_below(), 280u);
  std::vector<TraceResult> all = top.Take();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, Id(1));
  EXPECT_EQ(all[1].id, Id(4));
}

}  // namespace
}  // namespace rubato::query::search
