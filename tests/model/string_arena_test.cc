#include "model/string_arena.h"

#include <gtest/gtest.h>

#include <string>

namespace rubato::model {
namespace {

TEST(StringArenaTest, CopiesAreStableAndCounted) {
  StringArena arena;
  std::string src = "hello";
  std::string_view a = arena.Copy(src);
  src[0] = 'j';
  EXPECT_EQ(a, "hello");
  EXPECT_EQ(arena.Copy(""), std::string_view());
  EXPECT_EQ(arena.bytes_used(), 5u);
}

TEST(StringArenaTest, ReuseAfterClearFitsInOneChunk) {
  StringArena arena;
  std::string big(10000, 'x');
  std::vector<const char*> first;
  for (int i = 0; i < 30; ++i) first.push_back(arena.Copy(big).data());  // 300 KB: several chunks
  arena.Clear();
  EXPECT_EQ(arena.bytes_used(), 0u);
  // Clear() consolidated into one chunk as large as the first round: the
  // second round stays inside it.
  const char* base = arena.Copy(big).data();
  for (int i = 1; i < 30; ++i) {
    const char* p = arena.Copy(big).data();
    EXPECT_EQ(p, base + i * big.size()) << i;
  }
}

}  // namespace
}  // namespace rubato::model
