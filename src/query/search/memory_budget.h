// Bytes a query may hold in decoded row groups at once, shared by its worker
// threads: a worker takes its row group's estimate before decoding and gives
// it back after. What bounds a search's memory however many blocks it reads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace rubato::query::search {

class MemoryBudget {
 public:
  explicit MemoryBudget(uint64_t total) : total_(total) {}
  // Waits until `bytes` fit. A request larger than the whole budget waits
  // until nothing else is held and then runs alone (memory: that one row
  // group, the least that can search it). False if `cancel` was set meanwhile.
  bool Acquire(uint64_t bytes, const std::atomic<bool>* cancel);
  void Release(uint64_t bytes);
  uint64_t peak() const;

 private:
  const uint64_t total_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t used_ = 0, peak_ = 0;
};

}  // namespace rubato::query::search
