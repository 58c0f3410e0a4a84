// PlanCompaction: which blocks are compacted next, and when a group of blocks
// waits for more (CompactionPolicy's min_*inputs and cycle).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/compaction.h"

namespace rubato::store {
namespace {

constexpr uint64_t kSecond = 1'000'000'000;
constexpr uint64_t kNow = 1'700'000'000 * kSecond;

struct Block {
  std::string id;
  uint32_t level;
  uint64_t spans;
  uint64_t age_s;  // created this long before kNow
  uint64_t window = 0;  // which hour the newest span falls in
};

std::vector<block::BlockMeta> Metas(const std::vector<Block>& blocks) {
  std::vector<block::BlockMeta> out;
  for (const Block& b : blocks) {
    block::BlockMeta m;
    m.block_id = b.id;
    m.compaction_level = b.level;
    m.spans = b.spans;
    m.traces = b.spans / 10;
    m.created_at = kNow - b.age_s * kSecond;
    m.max_time = 1'600'000'000 * kSecond + b.window * 3600 * kSecond;
    out.push_back(m);
  }
  return out;
}

// n level-`level` blocks named prefix0.., of `spans` spans each, all `age_s` old.
std::vector<Block> Many(const std::string& prefix, int n, uint32_t level, uint64_t age_s, uint64_t spans = 100) {
  std::vector<Block> out;
  for (int i = 0; i < n; ++i) out.push_back({prefix + std::to_string(i), level, spans + static_cast<uint64_t>(i), age_s});
  return out;
}

std::vector<Block> Concat(std::vector<Block> a, const std::vector<Block>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> Ids(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

struct Case {
  const char* name;
  std::vector<Block> blocks;
  std::vector<std::string> want;
};

TEST(PlanCompactionTest, WaitsForAFanInOrTheCycle) {
  CompactionPolicy policy;  // min 16 at level 0, 4 above, cycle 30 s, at most 32 / 8 inputs
  const std::vector<Case> cases = {
      {"one block: nothing", {{"a", 0, 100, 100}}, {}},
      {"15 new level-0 blocks wait", Many("n", 15, 0, 1), {}},
      {"16 new level-0 blocks go, smallest first", Many("n", 16, 0, 1), Ids("n", 16)},
      {"40 level-0 blocks: the 32 smallest", Many("n", 40, 0, 1), Ids("n", 32)},
      {"2 level-0 blocks, the oldest 30 s old, go", {{"a", 0, 100, 30}, {"b", 0, 200, 0}}, {"a", "b"}},
      {"2 level-0 blocks, 29 s old, wait", {{"a", 0, 100, 29}, {"b", 0, 200, 29}}, {}},
      {"3 new level-1 blocks wait", Many("l", 3, 1, 0), {}},
      {"4 new level-1 blocks go", Many("l", 4, 1, 0), Ids("l", 4)},
      {"12 level-1 blocks: the 8 smallest", Many("l", 12, 1, 0), Ids("l", 8)},
      {"a waiting level 0 does not hide a ready level 1",
       Concat(Many("n", 3, 0, 1), Many("l", 4, 1, 1)), Ids("l", 4)},
      {"windows are apart: 8 + 8 new level-0 blocks wait",
       Concat(Many("n", 8, 0, 1), std::vector<Block>{{"w0", 0, 1, 1, 1}, {"w1", 0, 1, 1, 1}, {"w2", 0, 1, 1, 1},
                                                      {"w3", 0, 1, 1, 1}, {"w4", 0, 1, 1, 1}, {"w5", 0, 1, 1, 1},
                                                      {"w6", 0, 1, 1, 1}, {"w7", 0, 1, 1, 1}}),
       {}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PlanCompaction(Metas(c.blocks), policy, kNow), c.want) << c.name;
  }
}

TEST(PlanCompactionTest, CycleZeroCompactsAnyTwo) {
  CompactionPolicy policy;
  policy.cycle = std::chrono::nanoseconds(0);
  EXPECT_EQ(PlanCompaction(Metas({{"a", 0, 100, 0}, {"b", 0, 50, 0}}), policy, kNow),
            (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(PlanCompaction(Metas({{"a", 2, 100, 0}, {"b", 2, 50, 0}}), policy, kNow),
            (std::vector<std::string>{"b", "a"}));
}

TEST(PlanCompactionTest, ABlockFromTheFutureWaitsForTheCount) {
  // A clock stepped back must not make every group look ready (or never).
  CompactionPolicy policy;
  std::vector<block::BlockMeta> metas = Metas(Many("n", 3, 0, 0));
  for (auto& m : metas) m.created_at = kNow + 60 * kSecond;
  EXPECT_TRUE(PlanCompaction(metas, policy, kNow).empty());
  metas = Metas(Many("n", 16, 0, 0));
  for (auto& m : metas) m.created_at = kNow + 60 * kSecond;
  EXPECT_EQ(PlanCompaction(metas, policy, kNow).size(), 16u);
}

}  // namespace
}  // namespace rubato::store
