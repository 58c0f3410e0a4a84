#include "metrics/process_metrics.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

namespace rubato::metrics {
namespace {

// The value on the sample line that starts with `prefix` (name, labels and the space); -1 when absent.
double Sample(const std::string& text, const std::string& prefix) {
  size_t at = text.find("\n" + prefix);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + 1 + prefix.size()));
}

TEST(ProcessMetricsTest, ResidentMemoryFollowsTouchedPages) {
  uint64_t before = ResidentBytes();
  ASSERT_GT(before, 1u << 20);
  constexpr size_t kBytes = 64u << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);  // resident only once written
  uint64_t after = ResidentBytes();
  EXPECT_GE(after, before + kBytes - (4u << 20));
  EXPECT_EQ(block[kBytes - 1], 1);
}

TEST(ProcessMetricsTest, AllocatorCountsALiveAllocation) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's allocator replaces malloc, and glibc's statistics then count nothing";
#endif
  AllocatorBytes before = ReadAllocatorBytes();
  constexpr size_t kBytes = 32u << 20;
  auto block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);
  AllocatorBytes during = ReadAllocatorBytes();
  EXPECT_GE(during.allocated, before.allocated + kBytes);
  EXPECT_GE(during.held, during.allocated);
  block.reset();
  EXPECT_LE(ReadAllocatorBytes().allocated + kBytes, during.allocated + (1u << 20));
}

TEST(ProcessMetricsTest, RendersTheThreeGauges) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ASan's allocator replaces malloc, and glibc's statistics then count nothing";
#endif
  Registry registry;
  RegisterProcessMetrics(&registry);
  std::string text = "\n" + registry.Render();
  const std::string allocator(ReadAllocatorBytes().allocator);
  // Tests link the system malloc; the server links jemalloc (src/CMakeLists.txt).
  EXPECT_EQ(allocator, "glibc");
  EXPECT_GT(Sample(text, "process_resident_memory_bytes "), 1 << 20);
  EXPECT_GT(Sample(text, "rubato_allocator_allocated_bytes{allocator=\"glibc\"} "), 0);
  EXPECT_GE(Sample(text, "rubato_allocator_held_bytes{allocator=\"glibc\"} "),
            Sample(text, "rubato_allocator_allocated_bytes{allocator=\"glibc\"} "));
}

}  // namespace
}  // namespace rubato::metrics
