// SpanPool: a provider's SpanRecords, recycled so that recording a span
// allocates nothing once the pool has grown to the application's working set.
// Each thread keeps a small cache of free records (no lock per span); caches
// refill from, and spill to, a shared free list in chunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "sdk/trace/span_record.h"

namespace rubato::sdk {

class SpanPool {
 public:
  SpanPool();
  ~SpanPool();  // frees every record; none may be in use any more
  SpanPool(const SpanPool&) = delete;
  SpanPool& operator=(const SpanPool&) = delete;

  // A free record, Reset() and ready to record (from this thread's cache).
  SpanRecord* Acquire();
  // Gives a record back through this thread's cache.
  void Release(SpanRecord* record);
  // Gives records back straight to the shared list: one lock for all of
  // them (processor threads, which never acquire).
  void ReleaseMany(std::span<SpanRecord* const> records);

  // Records created so far (in use or free): the pool's high-water mark.
  size_t size() const;
  uint64_t id() const { return id_; }

 private:
  struct ThreadCache;
  static ThreadCache& Cache();
  static void FlushCache(ThreadCache& cache);
  SpanRecord* AcquireSlow(ThreadCache& cache);
  void ReleaseSlow(ThreadCache& cache, SpanRecord* record);
  void Adopt(ThreadCache& cache);

  const uint64_t id_;  // unique for the process's life: a thread cache names its pool by it
  mutable std::mutex mu_;
  std::vector<SpanRecord*> free_;                       // guarded by mu_
  std::vector<std::unique_ptr<SpanRecord[]>> blocks_;  // guarded by mu_
  size_t created_ = 0;                                  // guarded by mu_
};

}  // namespace rubato::sdk
