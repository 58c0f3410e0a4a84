// The visible blocks of every tenant, as open readers. Reads take a snapshot
// (shared pointers) so a compaction or retention can swap blocks out while a
// lookup still uses them.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/block/block_reader.h"

namespace rubato::store {

using BlockPtr = std::shared_ptr<const block::BlockReader>;

class BlockSet {
 public:
  void Add(BlockPtr block);
  // Replaces `removed` (by block ID) with `added` atomically for readers.
  void Replace(std::string_view tenant, const std::vector<std::string>& removed, BlockPtr added);
  std::vector<BlockPtr> Snapshot(std::string_view tenant) const;
  std::vector<std::string> Tenants() const;
  bool Contains(std::string_view tenant, std::string_view block_id) const;

  struct Totals {
    uint64_t blocks = 0, spans = 0, bytes = 0;
    uint64_t memory_bytes = 0;  // what the open blocks' readers hold
  };
  Totals totals() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<BlockPtr>, std::less<>> tenants_;
};

}  // namespace rubato::store
