#include "store/block_set.h"

#include <algorithm>

namespace rubato::store {

void BlockSet::Add(BlockPtr block) {
  std::lock_guard lock(mu_);
  tenants_[block->meta().tenant].push_back(std::move(block));
}

void BlockSet::Replace(std::string_view tenant, const std::vector<std::string>& removed, BlockPtr added) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), std::vector<BlockPtr>()).first;
  auto& v = it->second;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [&](const BlockPtr& b) {
                           return std::find(removed.begin(), removed.end(), b->meta().block_id) != removed.end();
                         }),
          v.end());
  if (added) v.push_back(std::move(added));
}

std::vector<BlockPtr> BlockSet::Snapshot(std::string_view tenant) const {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? std::vector<BlockPtr>() : it->second;
}

std::vector<std::string> BlockSet::Tenants() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, blocks] : tenants_) out.push_back(name);
  return out;
}

bool BlockSet::Contains(std::string_view tenant, std::string_view block_id) const {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const BlockPtr& b) { return b->meta().block_id == block_id; });
}

BlockSet::Totals BlockSet::totals() const {
  std::lock_guard lock(mu_);
  Totals t;
  for (const auto& [name, blocks] : tenants_) {
    for (const BlockPtr& b : blocks) {
      ++t.blocks;
      t.spans += b->meta().spans;
      t.bytes += b->meta().total_bytes();
      t.memory_bytes += b->memory_bytes();
    }
  }
  return t;
}

}  // namespace rubato::store
