// Decoding into a reused Batch allocates nothing: this binary counts every
// operator new, and the second decode of a request must not call it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "otlp/protobuf_decoder.h"
#include "tests/otlp/fixture_file.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace rubato::otlp {
namespace {

TEST(ProtobufAllocation, ReusedBatchDecodesWithoutAllocating) {
  std::string bytes = testing::ReadFixture("otel-js/trace.pb");
  model::Batch batch;
  ASSERT_TRUE(DecodeProtobufView(bytes, &batch).ok());  // sizes the pools
  long before = g_allocations.load();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(DecodeProtobufView(bytes, &batch).ok());
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_EQ(batch.spans.size(), 4u);
}

}  // namespace
}  // namespace rubato::otlp
