// inventory-service's stock: an in-memory level per item, every item starting
// at the same configurable level (INITIAL_STOCK). Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rubato::demo {

class StockTable {
 public:
  // At most `max_items` distinct items are tracked, so a client inventing
  // item names cannot grow memory without bound.
  StockTable(int64_t initial_level, size_t max_items) : initial_(initial_level), max_items_(max_items) {}

  int64_t Available(std::string_view item) const;

  enum class Reserved { kOk, kInsufficient, kTooManyItems };
  // Takes `quantity` (> 0) off the item's level, unless that would go below zero.
  Reserved Reserve(std::string_view item, int64_t quantity);

 private:
  const int64_t initial_;
  const size_t max_items_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, int64_t> levels_;  // items never reserved are at initial_
};

}  // namespace rubato::demo
