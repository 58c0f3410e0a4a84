#include "model/id_map.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

namespace rubato::model {
namespace {

TraceId Counted(uint64_t n) {  // differs from its neighbours only in the last bytes
  TraceId id;
  for (int i = 0; i < 8; ++i) id.bytes[15 - i] = static_cast<uint8_t>(n >> (8 * i));
  return id;
}

TEST(IdMapTest, InsertFindErase) {
  IdMap<TraceId, int> m;
  m.Prefetch(Counted(1));  // a hint: harmless on an empty map
  EXPECT_EQ(m.Find(Counted(1)), nullptr);
  EXPECT_FALSE(m.Erase(Counted(1)));
  auto [v, inserted] = m.Insert(Counted(1));
  EXPECT_TRUE(inserted);
  EXPECT_EQ(*v, 0);
  *v = 7;
  auto [v2, inserted2] = m.Insert(Counted(1));
  EXPECT_FALSE(inserted2);
  EXPECT_EQ(*v2, 7);
  EXPECT_EQ(m.size(), 1u);
  ASSERT_NE(m.Find(Counted(1)), nullptr);
  EXPECT_EQ(*m.Find(Counted(1)), 7);
  EXPECT_TRUE(m.Erase(Counted(1)));
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.Find(Counted(1)), nullptr);
}

// Against std::map under random inserts and erases, with counted IDs (the
// worst case for a hash of the first bytes) and random ones.
TEST(IdMapTest, MatchesStdMap) {
  std::mt19937_64 rng(42);
  for (bool counted : {true, false}) {
    IdMap<TraceId, uint64_t> m;
    std::map<TraceId, uint64_t> ref;
    std::vector<TraceId> keys;
    for (uint64_t i = 0; i < 3000; ++i) {
      TraceId id = counted ? Counted(i) : TraceId();
      if (!counted)
        for (auto& b : id.bytes) b = static_cast<uint8_t>(rng());
      keys.push_back(id);
    }
    for (int step = 0; step < 40000; ++step) {
      const TraceId& k = keys[rng() % keys.size()];
      switch (rng() % 3) {
        case 0:
        case 1: {
          auto [v, inserted] = m.Insert(k);
          EXPECT_EQ(inserted, ref.count(k) == 0);
          *v += static_cast<uint64_t>(step);
          ref[k] += static_cast<uint64_t>(step);
          break;
        }
        case 2:
          EXPECT_EQ(m.Erase(k), ref.erase(k) == 1);
          break;
      }
    }
    ASSERT_EQ(m.size(), ref.size());
    for (const TraceId& k : keys) {
      auto it = ref.find(k);
      const uint64_t* v = m.Find(k);
      if (it == ref.end()) {
        EXPECT_EQ(v, nullptr);
      } else {
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(*v, it->second);
      }
    }
    size_t seen = 0;
    m.ForEach([&](const TraceId& k, const uint64_t& v) {
      ++seen;
      EXPECT_EQ(ref.at(k), v);
    });
    EXPECT_EQ(seen, ref.size());
  }
}

// The all-zero ID marks empty slots; as a key it lives beside the table.
TEST(IdMapTest, TheZeroIdIsAKeyLikeAnyOther) {
  IdMap<TraceId, int> m;
  EXPECT_EQ(m.Find(TraceId()), nullptr);
  EXPECT_FALSE(m.Erase(TraceId()));
  auto [v, inserted] = m.Insert(TraceId());
  EXPECT_TRUE(inserted);
  EXPECT_EQ(*v, 0);
  *v = 5;
  *m.Insert(Counted(1)).first = 6;
  EXPECT_EQ(m.size(), 2u);
  EXPECT_FALSE(m.Insert(TraceId()).second);
  ASSERT_NE(m.Find(TraceId()), nullptr);
  EXPECT_EQ(*m.Find(TraceId()), 5);
  int sum = 0, n = 0;
  m.ForEach([&](const TraceId&, const int& x) {
    sum += x;
    ++n;
  });
  EXPECT_EQ(n, 2);
  EXPECT_EQ(sum, 11);
  EXPECT_TRUE(m.Erase(TraceId()));
  EXPECT_EQ(m.Find(TraceId()), nullptr);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(*m.Find(Counted(1)), 6);
  EXPECT_EQ(*m.Insert(TraceId()).first, 0);  // inserted afresh
}

TEST(IdMapTest, SpanIdKeys) {
  IdMap<SpanId, int> m;
  for (int i = 0; i < 100; ++i) {
    SpanId id;
    id.bytes[7] = static_cast<uint8_t>(i);
    *m.Insert(id).first = i;
  }
  EXPECT_EQ(m.size(), 100u);
  SpanId id;
  id.bytes[7] = 42;
  ASSERT_NE(m.Find(id), nullptr);
  EXPECT_EQ(*m.Find(id), 42);
}

}  // namespace
}  // namespace rubato::model
