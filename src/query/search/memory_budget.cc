#include "query/search/memory_budget.h"

#include <algorithm>
#include <chrono>

namespace rubato::query::search {

bool MemoryBudget::Acquire(uint64_t bytes, const std::atomic<bool>* cancel) {
  std::unique_lock lock(mu_);
  auto fits = [&] { return used_ == 0 || used_ + bytes <= total_; };
  while (!fits()) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return false;
    cv_.wait_for(lock, std::chrono::milliseconds(20));  // wakes on Release; the timeout polls `cancel`
  }
  used_ += bytes;
  peak_ = std::max(peak_, used_);
  return true;
}

void MemoryBudget::Release(uint64_t bytes) {
  {
    std::lock_guard lock(mu_);
    used_ -= std::min(used_, bytes);
  }
  cv_.notify_all();
}

uint64_t MemoryBudget::peak() const {
  std::lock_guard lock(mu_);
  return peak_;
}

}  // namespace rubato::query::search
