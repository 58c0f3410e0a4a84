#include "load/fresh_trace_ids.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "load/batch_set.h"
#include "otlp/protobuf_decoder.h"

namespace rubato::load {
namespace {

BatchSet SmallSet() {
  return GenerateBatchSet({.seed = 3, .batches = 2, .batch_spans = 200, .base_time_unix_nano = 0,
                           .encoding = BodyEncoding::kProtobuf, .gzip = false});
}

TEST(FreshTraceIds, FindsEverySpansTraceId) {
  BatchSet set = SmallSet();
  model::Batch batch;
  ASSERT_TRUE(otlp::DecodeProtobufView(set.bodies[0], &batch).ok());
  auto offsets = FindTraceIdOffsets(set.bodies[0]);
  ASSERT_TRUE(offsets.ok()) << offsets.status().message();
  size_t links = 0;
  for (const auto& l : batch.links) links += l.trace_id.IsZero() ? 0 : 1;
  ASSERT_EQ(offsets->size(), batch.spans.size() + links);
  // Each offset holds a trace ID the decoder saw.
  std::set<model::TraceId> ids;
  for (const auto& s : batch.spans) ids.insert(s.trace_id);
  for (const auto& l : batch.links) ids.insert(l.trace_id);
  for (uint32_t off : *offsets) {
    model::TraceId id;
    std::memcpy(id.bytes.data(), set.bodies[0].data() + off, 16);
    EXPECT_TRUE(ids.count(id)) << "offset " << off;
  }
}

TEST(FreshTraceIds, PassZeroKeepsTheBodyAndLaterPassesChangeOnlyTraceIds) {
  BatchSet set = SmallSet();
  auto offsets = FindTraceIdOffsets(set.bodies[1]);
  ASSERT_TRUE(offsets.ok());
  std::string same, pass1, pass2;
  RewriteTraceIds(set.bodies[1], *offsets, 0, &same);
  EXPECT_EQ(same, set.bodies[1]);
  RewriteTraceIds(set.bodies[1], *offsets, 1, &pass1);
  RewriteTraceIds(set.bodies[1], *offsets, 2, &pass2);

  model::Batch orig, b1, b2;
  ASSERT_TRUE(otlp::DecodeProtobufView(set.bodies[1], &orig).ok());
  ASSERT_TRUE(otlp::DecodeProtobufView(pass1, &b1).ok());
  ASSERT_TRUE(otlp::DecodeProtobufView(pass2, &b2).ok());
  ASSERT_EQ(b1.spans.size(), orig.spans.size());
  std::set<model::TraceId> seen;
  for (size_t i = 0; i < orig.spans.size(); ++i) {
    EXPECT_NE(b1.spans[i].trace_id, orig.spans[i].trace_id);
    EXPECT_NE(b2.spans[i].trace_id, b1.spans[i].trace_id);
    // Only the first 8 bytes change; span IDs, names and times stay.
    EXPECT_EQ(0, std::memcmp(b1.spans[i].trace_id.bytes.data() + 8, orig.spans[i].trace_id.bytes.data() + 8, 8));
    EXPECT_EQ(b1.spans[i].span_id, orig.spans[i].span_id);
    EXPECT_EQ(b1.spans[i].name, orig.spans[i].name);
    EXPECT_EQ(b1.spans[i].start_time_unix_nano, orig.spans[i].start_time_unix_nano);
    seen.insert(orig.spans[i].trace_id);
  }
  // Spans of one trace stay together: as many distinct traces as before.
  std::set<model::TraceId> seen1;
  for (const auto& s : b1.spans) seen1.insert(s.trace_id);
  EXPECT_EQ(seen1.size(), seen.size());
}

TEST(FreshTraceIds, RepassInPlaceEqualsAFreshRewrite) {
  BatchSet set = SmallSet();
  auto offsets = FindTraceIdOffsets(set.bodies[0]);
  ASSERT_TRUE(offsets.ok());
  std::string body = set.bodies[0];  // pass 0
  uint64_t from = 0;
  for (uint64_t pass : {1u, 2u, 7u, 0u, 3u}) {
    RepassTraceIds(*offsets, from, pass, body.data());
    std::string expected;
    RewriteTraceIds(set.bodies[0], *offsets, pass, &expected);
    EXPECT_EQ(body, expected) << "pass " << from << " -> " << pass;
    from = pass;
  }
}

TEST(FreshTraceIds, FreshBodiesLendEachBodyToOneRequestAtATime) {
  BatchSet set = SmallSet();
  ASSERT_EQ(set.bodies.size(), 2u);
  std::vector<std::vector<uint32_t>> offsets;
  for (const std::string& b : set.bodies) offsets.push_back(*FindTraceIdOffsets(b));
  FreshBodies fresh(set.bodies, offsets);

  const std::string* b0 = fresh.Acquire(0, 5);
  ASSERT_NE(b0, nullptr);
  std::string expected;
  RewriteTraceIds(set.bodies[0], offsets[0], 5, &expected);
  EXPECT_EQ(*b0, expected);
  EXPECT_EQ(fresh.Acquire(0, 6), nullptr);  // held
  const std::string* b1 = fresh.Acquire(1, 6);  // another batch is free
  ASSERT_NE(b1, nullptr);
  RewriteTraceIds(set.bodies[1], offsets[1], 6, &expected);
  EXPECT_EQ(*b1, expected);
  fresh.Release(0);
  fresh.Release(1);

  const std::string* again = fresh.Acquire(0, 9);
  EXPECT_EQ(again, b0);  // same buffer, now at pass 9
  RewriteTraceIds(set.bodies[0], offsets[0], 9, &expected);
  EXPECT_EQ(*again, expected);
  fresh.Release(0);
  EXPECT_EQ(*fresh.Acquire(0, 0), set.bodies[0]);  // back to the generated IDs
  fresh.Release(0);
}

TEST(FreshTraceIds, GarbageIsAnError) {
  auto r = FindTraceIdOffsets(std::string("\x0a\x05" "abc", 5));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not an OTLP protobuf request"), std::string::npos);
}

}  // namespace
}  // namespace rubato::load
