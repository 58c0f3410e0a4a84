#include "sdk/trace/span_pool.h"

#include <algorithm>
#include <atomic>

namespace rubato::sdk {

namespace {

constexpr uint32_t kCacheCapacity = 128;  // free records a thread keeps
constexpr uint32_t kChunk = 32;           // moved between a cache and the shared list at once

std::atomic<uint64_t> next_pool_id{1};

// Live pools by id, so that a thread cache can give records back to the pool
// they came from (if it still exists) when the thread switches pools or exits.
// Lock order: registry, then a pool's mutex.
struct Registry {
  std::mutex mu;
  std::vector<SpanPool*> pools;
};

Registry& GetRegistry() {
  static auto* registry = new Registry;  // never destroyed: thread caches may flush at exit
  return *registry;
}

}  // namespace

struct SpanPool::ThreadCache {
  uint64_t pool_id = 0;  // 0: empty, belongs to no pool
  uint32_t count = 0;
  SpanRecord* items[kCacheCapacity];
  ~ThreadCache() { FlushCache(*this); }
};

SpanPool::ThreadCache& SpanPool::Cache() {
  thread_local ThreadCache cache;
  return cache;
}

SpanPool::SpanPool() : id_(next_pool_id.fetch_add(1, std::memory_order_relaxed)) {
  Registry& reg = GetRegistry();
  std::lock_guard lock(reg.mu);
  reg.pools.push_back(this);
}

SpanPool::~SpanPool() {
  Registry& reg = GetRegistry();
  std::lock_guard lock(reg.mu);
  reg.pools.erase(std::remove(reg.pools.begin(), reg.pools.end(), this), reg.pools.end());
  // Thread caches still naming this pool's id find it gone and forget their
  // pointers without touching them.
}

void SpanPool::FlushCache(ThreadCache& cache) {
  if (cache.pool_id != 0 && cache.count > 0) {
    Registry& reg = GetRegistry();
    std::lock_guard lock(reg.mu);
    for (SpanPool* pool : reg.pools) {
      if (pool->id_ == cache.pool_id) {
        pool->ReleaseMany({cache.items, cache.count});
        break;
      }
    }
  }
  cache.count = 0;
  cache.pool_id = 0;
}

void SpanPool::Adopt(ThreadCache& cache) {
  if (cache.pool_id == id_) return;
  FlushCache(cache);
  cache.pool_id = id_;
}

namespace {
// Asks for a record's lines ahead of use, for writing: a record last touched
// by the batch processor's thread (one it held rather than copied, or any
// with a small queue: span_chunk.h) is in that core's cache, and fetching
// its lines one store at a time would stall the span being recorded.
void PrefetchForWrite(const void* p, size_t bytes) {
  if (p == nullptr) return;  // a vector without storage
  for (size_t off = 0; off < bytes; off += 64) __builtin_prefetch(static_cast<const char*>(p) + off, 1, 3);
}
}  // namespace

SpanRecord* SpanPool::Acquire() {
  ThreadCache& cache = Cache();
  SpanRecord* r = (cache.pool_id == id_ && cache.count > 0) ? cache.items[--cache.count] : AcquireSlow(cache);
  // This record's buffers now (its header was prefetched when the previous
  // record was taken), and the next record's header for the next span.
  PrefetchForWrite(r->attributes.data(), 5 * sizeof(StoredAttribute));
  PrefetchForWrite(r->strings.data(), 128);
  if (cache.count > 0) PrefetchForWrite(cache.items[cache.count - 1], sizeof(SpanRecord));
  r->Reset();
  return r;
}

SpanRecord* SpanPool::AcquireSlow(ThreadCache& cache) {
  Adopt(cache);
  std::lock_guard lock(mu_);
  if (free_.empty()) {
    // Grow by a block; records are never freed before the pool.
    auto block = std::make_unique<SpanRecord[]>(kChunk);
    for (uint32_t i = 0; i < kChunk; ++i) {
      block[i].pool = this;
      block[i].Reserve();
      free_.push_back(&block[i]);
    }
    blocks_.push_back(std::move(block));
    created_ += kChunk;
  }
  uint32_t n = std::min<uint32_t>(kChunk, static_cast<uint32_t>(free_.size()));
  for (uint32_t i = 0; i < n; ++i) {
    cache.items[cache.count++] = free_.back();
    free_.pop_back();
  }
  return cache.items[--cache.count];
}

void SpanPool::Release(SpanRecord* record) {
  ThreadCache& cache = Cache();
  if (cache.pool_id == id_ && cache.count < kCacheCapacity) {
    cache.items[cache.count++] = record;
    return;
  }
  ReleaseSlow(cache, record);
}

void SpanPool::ReleaseSlow(ThreadCache& cache, SpanRecord* record) {
  Adopt(cache);
  if (cache.count == kCacheCapacity) {
    // Spill half, so a thread that only ends spans (or a processor thread
    // calling Release) does not take the lock on every record.
    std::lock_guard lock(mu_);
    for (uint32_t i = 0; i < kCacheCapacity / 2; ++i) free_.push_back(cache.items[--cache.count]);
  }
  cache.items[cache.count++] = record;
}

void SpanPool::ReleaseMany(std::span<SpanRecord* const> records) {
  std::lock_guard lock(mu_);
  free_.insert(free_.end(), records.begin(), records.end());
}

size_t SpanPool::size() const {
  std::lock_guard lock(mu_);
  return created_;
}

}  // namespace rubato::sdk
