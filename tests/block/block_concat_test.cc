// Concatenation (src/store/block/block_concat.h, docs/format/block.md "Runs"):
// blocks copied byte for byte into runs of one block, read back exactly —
// every trace, a trace split across runs, each run on its own, every row
// group once — including a concatenation of a concatenation, in format
// version 3 (one striped filter) and in version 2 (a resident filter per run),
// which older releases wrote.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "model/batch_compare.h"
#include "store/block/block_concat.h"
#include "store/block/block_reader.h"
#include "store/block/block_writer.h"
#include "tests/block/block_test_util.h"
#include "workload/generator.h"

namespace rubato::store::block {
namespace {

using model::Batch;
using testing_support::AppendCanonical;
using testing_support::TempDir;

class BlockConcatTest : public ::testing::TestWithParam<uint32_t> {
 protected:
  BlockConcatTest() : dir_("concat"), backend_(dir_.path().string()) {}
  uint32_t version() const { return GetParam(); }
  uint32_t writer_version() const { return version() == 2 ? 1 : 3; }

  // A block of `n` generated batches (plus `extra`, when given).
  BlockMeta Write(int n, const Batch* extra = nullptr) {
    std::vector<const Batch*> ptrs;
    for (int i = 0; i < n; ++i) {
      batches_.push_back(std::make_unique<Batch>());
      gen_.Next(batches_.back().get());
      ptrs.push_back(batches_.back().get());
    }
    if (extra != nullptr) ptrs.push_back(extra);
    for (const Batch* b : ptrs) {
      for (uint32_t i = 0; i < b->spans.size(); ++i) by_trace_[b->spans[i].trace_id].push_back({b, i});
    }
    auto meta = testing_support::WriteTestBlock(&backend_, "t", ptrs, 2000, writer_version());
    EXPECT_TRUE(meta.ok()) << meta.status().message();
    return *meta;
  }
  std::unique_ptr<BlockReader> Open(const BlockMeta& m) {
    auto r = BlockReader::Open(&backend_, "t", m.block_id);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  TempDir dir_;
  backend::LocalBackend backend_;
  workload::Generator gen_{workload::Options{}};
  std::vector<std::unique_ptr<Batch>> batches_;
  std::map<model::TraceId, std::vector<SpanRef>> by_trace_;
};

// Two more spans of `trace` (new span IDs), as a late part arriving in another block.
Batch LatePart(const model::TraceId& trace) {
  Batch b;
  b.AddResource({});
  b.AddScope(b.Own("late"), {});
  for (uint64_t k = 1; k <= 2; ++k) {
    model::Span s;
    s.trace_id = trace;
    s.span_id.bytes.fill(static_cast<uint8_t>(0xE0 + k));
    s.name = b.Own("late part");
    s.start_time_unix_nano = 1'700'000'000'000'000'000ull + k;
    s.end_time_unix_nano = s.start_time_unix_nano + 5;
    b.AddSpan(s);
  }
  return b;
}

TEST_P(BlockConcatTest, RunsReadBackExactly) {
  BlockMeta a = Write(3);
  const model::TraceId split = batches_.front()->spans.front().trace_id;
  Batch late = LatePart(split);
  BlockMeta b = Write(2);
  BlockMeta c = Write(2, &late);
  auto ra = Open(a), rb = Open(b), rc = Open(c);
  ASSERT_TRUE(ra && rb && rc);

  auto ab = ConcatBlocks(&backend_, "t", {ra.get(), rb.get()}, version());
  ASSERT_TRUE(ab.ok()) << ab.status().message();
  auto rab = Open(*ab);
  ASSERT_TRUE(rab);
  auto abc = ConcatBlocks(&backend_, "t", {rab.get(), rc.get()}, version());  // a concatenation as an input
  ASSERT_TRUE(abc.ok()) << abc.status().message();
  auto r = Open(*abc);
  ASSERT_TRUE(r);

  const BlockMeta& m = r->meta();
  EXPECT_EQ(m.version, version());
  EXPECT_EQ(m.runs.size(), 3u);
  EXPECT_EQ(r->run_count(), 3u);
  EXPECT_EQ(m.spans, a.spans + b.spans + c.spans);
  EXPECT_EQ(m.traces, a.traces + b.traces + c.traces);  // parts: the split trace counts twice
  EXPECT_EQ(m.row_groups, a.row_groups + b.row_groups + c.row_groups);
  EXPECT_EQ(m.data_bytes, 8 + (a.data_bytes - 8) + (b.data_bytes - 8) + (c.data_bytes - 8));
  if (version() == 2) EXPECT_EQ(m.bloom_bytes, a.bloom_bytes + b.bloom_bytes + c.bloom_bytes);
  // Version 3: one filter over every run, sized for all their traces; the
  // reader keeps only its header (none of it grows with the traces).
  if (version() == 3) {
    EXPECT_GE(m.bloom_bytes, m.traces * 2);
    EXPECT_LT(r->memory_bytes(), 4096 + 24 * m.row_groups);
  }
  EXPECT_EQ(m.compaction_level, 2u);
  EXPECT_EQ(m.compacted_from, (std::vector<std::string>{ab->block_id, c.block_id}));
  EXPECT_EQ(m.min_time, std::min({a.min_time, b.min_time, c.min_time}));
  EXPECT_EQ(m.max_time, std::max({a.max_time, b.max_time, c.max_time}));
  EXPECT_EQ(r->run_row_groups(0), std::make_pair(uint32_t{0}, static_cast<uint32_t>(a.row_groups)));
  EXPECT_EQ(r->run_of(static_cast<uint32_t>(a.row_groups)), 1u);
  EXPECT_EQ(r->run_of(static_cast<uint32_t>(m.row_groups - 1)), 2u);

  // Every trace, whole: the split one from runs 0 and 2 together.
  for (const auto& [id, refs] : by_trace_) {
    auto found = r->FindTrace(id);
    ASSERT_TRUE(found.ok()) << id.ToHex() << ": " << found.status().message();
    Batch want, got;
    AppendCanonical(refs, &want);
    AppendCanonical(testing_support::AllOf(*found), &got);
    ASSERT_EQ(model::DescribeDifference(want, got), "") << "trace " << id.ToHex();
  }
  EXPECT_EQ(by_trace_.at(split).size(), r->FindTrace(split)->spans.size());
  auto first_part = r->FindTraceInRun(split, 0);
  ASSERT_TRUE(first_part.ok());
  EXPECT_EQ(first_part->spans.size(), by_trace_.at(split).size() - 2);
  auto late_part = r->FindTraceInRun(split, 2);
  ASSERT_TRUE(late_part.ok());
  ASSERT_EQ(late_part->spans.size(), 2u);
  EXPECT_EQ(late_part->spans[0].name, "late part");
  EXPECT_EQ(r->FindTraceInRun(split, 1).status().code(), StatusCode::kNotFound);

  // Every row group once, each in ID order within its run.
  std::set<std::pair<model::TraceId, model::SpanId>> seen;
  for (uint32_t g = 0; g < r->row_group_count(); ++g) {
    auto rg = r->ReadRowGroup(g);
    ASSERT_TRUE(rg.ok()) << rg.status().message();
    for (const model::Span& s : rg->batch.spans) EXPECT_TRUE(seen.insert({s.trace_id, s.span_id}).second);
  }
  EXPECT_EQ(seen.size(), m.spans);

  model::TraceId absent;
  absent.bytes.fill(0x5A);
  EXPECT_EQ(r->FindTrace(absent).status().code(), StatusCode::kNotFound);
}

TEST_P(BlockConcatTest, NeedsTwoInputs) {
  auto ra = Open(Write(1));
  ASSERT_TRUE(ra);
  auto out = ConcatBlocks(&backend_, "t", {ra.get()}, version());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
}

TEST_P(BlockConcatTest, RunTableMustAddUp) {
  auto ra = Open(Write(1)), rb = Open(Write(1));
  auto ab = ConcatBlocks(&backend_, "t", {ra.get(), rb.get()}, version());
  ASSERT_TRUE(ab.ok());
  BlockMeta bad = *ab;
  bad.runs[1].row_groups += 1;
  auto parsed = BlockMeta::Parse(bad.ToJson());
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("\"runs\": row groups do not add up"), std::string::npos)
      << parsed.status().message();
  bad = *ab;
  bad.runs[1].bloom_offset += 1;
  // Version 2 places each run's filter; version 3 has no such field to get wrong.
  EXPECT_EQ(BlockMeta::Parse(bad.ToJson()).ok(), version() == 3);
  auto back = BlockMeta::Parse(ab->ToJson());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->runs, ab->runs);
}

TEST(BlockConcat, Version2TakesNoVersion3Input) {
  TempDir dir("concat_mixed");
  backend::LocalBackend backend(dir.path().string());
  Batch batch;
  workload::Generator(workload::Options{.spans_per_batch = 50}).Next(&batch);
  auto old_block = testing_support::WriteTestBlock(&backend, "t", {&batch}, 2000, 1);
  auto new_block = testing_support::WriteTestBlock(&backend, "t", {&batch}, 2000, 3);
  ASSERT_TRUE(old_block.ok() && new_block.ok());
  auto a = BlockReader::Open(&backend, "t", old_block->block_id);
  auto b = BlockReader::Open(&backend, "t", new_block->block_id);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(ConcatBlocks(&backend, "t", {a->get(), b->get()}, 2).status().code(), StatusCode::kInvalidArgument);
  // Version 3 takes both: an upgraded server compacts what an older one left.
  auto mixed = ConcatBlocks(&backend, "t", {a->get(), b->get()});
  ASSERT_TRUE(mixed.ok()) << mixed.status().message();
  auto r = BlockReader::Open(&backend, "t", mixed->block_id);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto runs = (*r)->RunsThatMayHold(batch.spans[0].trace_id);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(*runs, (std::vector<uint32_t>{0, 1}));  // the same traces in both runs
  auto found = (*r)->FindTrace(batch.spans[0].trace_id);
  ASSERT_TRUE(found.ok()) << found.status().message();
}

INSTANTIATE_TEST_SUITE_P(Versions, BlockConcatTest, ::testing::Values(3u, 2u),
                         [](const auto& info) { return "v" + std::to_string(info.param); });

}  // namespace
}  // namespace rubato::store::block
