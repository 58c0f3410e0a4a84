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

// Every replaceable form is replaced, so that memory from any `new` (simdjson
// uses the nothrow form) goes back through the matching `delete` (ASan checks).
namespace {
void* CountedAlloc(size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
}  // namespace

void* operator new(size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t n, const std::nothrow_t&) noexcept { return CountedAlloc(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return CountedAlloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

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
