#include "inventory/stock_table.h"

namespace rubato::demo {

int64_t StockTable::Available(std::string_view item) const {
  std::lock_guard lock(mu_);
  auto it = levels_.find(std::string(item));
  return it == levels_.end() ? initial_ : it->second;
}

StockTable::Reserved StockTable::Reserve(std::string_view item, int64_t quantity) {
  std::lock_guard lock(mu_);
  auto it = levels_.find(std::string(item));
  if (it == levels_.end()) {
    if (levels_.size() >= max_items_) return Reserved::kTooManyItems;
    it = levels_.emplace(std::string(item), initial_).first;
  }
  if (it->second < quantity) return Reserved::kInsufficient;
  it->second -= quantity;
  return Reserved::kOk;
}

}  // namespace rubato::demo
