// The head's trace index: spans of a trace chained across batches in arrival
// order, cut and dropped oldest batch first.
#include "store/head.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

namespace rubato::store {
namespace {

model::TraceId Trace(uint8_t n) {
  model::TraceId id;
  id.bytes[15] = n;  // IDs that differ only in their last byte
  return id;
}

// A batch of spans given as (trace, span number) pairs, in order.
std::shared_ptr<const model::Batch> MakeBatch(const std::vector<std::pair<uint8_t, uint8_t>>& spans) {
  auto b = std::make_shared<model::Batch>();
  b->AddResource({});
  b->AddScope("s", "1");
  for (auto [trace, span] : spans) {
    model::Span s;
    s.trace_id = Trace(trace);
    s.span_id.bytes[7] = span;
    s.span_id.bytes[0] = trace;
    b->AddSpan(s);
  }
  return b;
}

// The span numbers CollectTrace returns for a trace, in order.
std::vector<int> Collect(const Head& head, uint8_t trace, bool* truncated = nullptr) {
  model::Batch out;
  bool t = false;
  std::vector<int> got;
  if (!head.CollectTrace("t", Trace(trace), &out, &t)) return got;
  for (const model::Span& s : out.spans) {
    EXPECT_EQ(s.trace_id, Trace(trace));
    got.push_back(s.span_id.bytes[7]);
  }
  if (truncated) *truncated = t;
  return got;
}

std::set<model::TraceId> Active(const Head& head, uint64_t boundary, uint64_t since) {
  HeadCut cut = head.TakeCut(boundary, since);
  auto it = cut.tenants.find("t");
  if (it == cut.tenants.end()) return {};
  return {it->second.active.begin(), it->second.active.end()};
}

TEST(HeadTest, ChainsSpansOfATraceAcrossBatchesAndDropsOldestFirst) {
  Head head;
  head.Append("t", MakeBatch({{1, 0}, {1, 1}, {2, 0}, {1, 2}}), /*wal_seq=*/10, /*now_ns=*/100);
  head.Append("t", MakeBatch({{2, 1}, {3, 0}, {1, 3}, {2, 2}}), 11, 200);
  head.Append("t", MakeBatch({{1, 4}, {1, 5}}), 12, 300);
  EXPECT_EQ(head.spans(), 10u);
  EXPECT_EQ(Collect(head, 1), (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(Collect(head, 2), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(Collect(head, 3), (std::vector<int>{0}));
  EXPECT_EQ(Collect(head, 4), (std::vector<int>{}));

  size_t ids = 0;
  head.ForEachTraceId("t", [&](const model::TraceId&) { ++ids; });
  EXPECT_EQ(ids, 3u);

  // Active: last span at or after `since`, among the batches below the boundary.
  EXPECT_EQ(Active(head, 13, 250), (std::set<model::TraceId>{Trace(1)}));
  EXPECT_EQ(Active(head, 13, 150), (std::set<model::TraceId>{Trace(1), Trace(2), Trace(3)}));
  EXPECT_EQ(Active(head, 11, 150), (std::set<model::TraceId>{Trace(1), Trace(2)}));  // batch 10 only
  EXPECT_EQ(head.TakeCut(11, UINT64_MAX).spans, 4u);

  head.DropBefore("t", 11);
  EXPECT_EQ(head.spans(), 6u);
  EXPECT_EQ(Collect(head, 1), (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(Collect(head, 2), (std::vector<int>{1, 2}));
  EXPECT_EQ(Collect(head, 3), (std::vector<int>{0}));

  head.DropBefore("t", 12);
  EXPECT_EQ(Collect(head, 1), (std::vector<int>{4, 5}));
  EXPECT_EQ(Collect(head, 2), (std::vector<int>{}));  // gone with its last batch
  EXPECT_EQ(Collect(head, 3), (std::vector<int>{}));
  ids = 0;
  head.ForEachTraceId("t", [&](const model::TraceId&) { ++ids; });
  EXPECT_EQ(ids, 1u);

  head.DropBefore("t", 13);
  EXPECT_EQ(head.spans(), 0u);
  EXPECT_EQ(head.bytes(), 0u);
  EXPECT_EQ(Collect(head, 1), (std::vector<int>{}));
  EXPECT_EQ(head.oldest_arrival_ns(), 0u);
}

TEST(HeadTest, ReloggedSpansDoNotCountAsActivity) {
  Head head;
  head.Append("t", MakeBatch({{1, 0}}), 1, 100);
  head.Append("t", MakeBatch({{1, 1}, {2, 0}}), 2, 500, /*relogged=*/true);
  EXPECT_EQ(Collect(head, 1), (std::vector<int>{0, 1}));
  EXPECT_EQ(Active(head, 3, 100), (std::set<model::TraceId>{Trace(1)}));  // its time is still 100
  EXPECT_EQ(Active(head, 3, 101), (std::set<model::TraceId>{}));
  EXPECT_EQ(Active(head, 3, 0), (std::set<model::TraceId>{Trace(1), Trace(2)}));  // trace 2: time 0
  EXPECT_EQ(head.oldest_arrival_ns(), 100u);
}

TEST(HeadTest, TruncationMarkLastsAsLongAsTheTrace) {
  Head head;
  head.Append("t", MakeBatch({{1, 0}, {2, 0}}), 1, 100);
  head.Append("t", MakeBatch({{1, 1}}), 2, 200);
  head.MarkTruncated("t", Trace(1));
  bool truncated = false;
  EXPECT_EQ(Collect(head, 1, &truncated), (std::vector<int>{0, 1}));
  EXPECT_TRUE(truncated);
  head.DropBefore("t", 2);
  truncated = false;
  EXPECT_EQ(Collect(head, 1, &truncated), (std::vector<int>{1}));
  EXPECT_TRUE(truncated);
  head.DropBefore("t", 3);
  model::Batch out;
  truncated = false;
  EXPECT_FALSE(head.CollectTrace("t", Trace(1), &out, &truncated));
  EXPECT_FALSE(truncated);  // forgotten with the trace's last span
}

// Many traces, interleaved, spread over many batches: the chains stay right
// while the index grows and shrinks (slots move when entries are erased).
TEST(HeadTest, ManyInterleavedTraces) {
  Head head;
  std::vector<std::vector<int>> expected(200);
  int seq = 1;
  for (int b = 0; b < 50; ++b) {
    std::vector<std::pair<uint8_t, uint8_t>> spans;
    for (int i = 0; i < 20; ++i) {
      uint8_t trace = static_cast<uint8_t>((b * 7 + i * 13) % 200);
      uint8_t n = static_cast<uint8_t>(expected[trace].size());
      spans.push_back({trace, n});
      expected[trace].push_back(b);  // which batch holds the span
    }
    head.Append("t", MakeBatch(spans), static_cast<uint64_t>(seq++), 1000);
  }
  for (int drop = 0; drop <= 50; drop += 10) {
    head.DropBefore("t", static_cast<uint64_t>(drop + 1));
    for (int trace = 0; trace < 200; ++trace) {
      std::vector<int> want;
      for (size_t n = 0; n < expected[trace].size(); ++n)
        if (expected[trace][n] >= drop) want.push_back(static_cast<int>(n));
      EXPECT_EQ(Collect(head, static_cast<uint8_t>(trace)), want) << "trace " << trace << " after dropping " << drop;
    }
  }
  EXPECT_EQ(head.spans(), 0u);
}

}  // namespace
}  // namespace rubato::store
