// Tag catalogs of blocks, computed once per block: blocks are immutable, so
// a catalog never goes stale. A compaction output's catalog is the merge of
// its inputs' (compaction only drops duplicate spans) when they are known;
// otherwise the block's columns are read row group by row group on all cores.
// Memory is bounded: past `memory_budget` bytes of catalogs, the least
// recently used go to their block's `catalog` object (tag_catalog_file.h)
// and are read back from it when needed. Catalogs of blocks that left the
// tenant's set are forgotten (the object goes with the block's folder).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "query/search/tag_catalog.h"
#include "store/backend/backend.h"
#include "store/block/block_reader.h"
#include "store/trace_store.h"

namespace rubato::query::search {

class CatalogCache {
 public:
  // Values kept per block for a key past its bound (TagCatalog::TrimTruncated).
  static constexpr uint32_t kKeepWhenTruncated = 100;

  // `backend` (not owned; the blocks') keeps catalogs let go of; without one
  // they are dropped and built again when needed. `memory_budget` 0: unbounded.
  explicit CatalogCache(CatalogLimits limits = {}, unsigned threads = 0, store::backend::Backend* backend = nullptr,
                        uint64_t memory_budget = 0)
      : limits_(limits), threads_(threads), backend_(backend), budget_(memory_budget) {}

  // The catalogs of `wanted` (in its order), building the missing ones.
  // `all` is the tenant's whole block set: catalogs of blocks not in it are
  // dropped. Empty when `cancel` was set before they were built.
  std::vector<std::shared_ptr<const TagCatalog>> Get(
      std::string_view tenant, const std::vector<std::shared_ptr<const store::block::BlockReader>>& all,
      const std::vector<const store::block::BlockReader*>& wanted, const std::atomic<bool>* cancel = nullptr);

  // A compaction output's catalog, the union of its inputs' when all are
  // cached (else it is built when asked for).
  void PutMerged(std::string_view tenant, const std::string& block_id, const std::vector<std::string>& inputs);

  // The block's catalog if it is built already, in memory or in its block's
  // object (never builds it); null otherwise.
  std::shared_ptr<const TagCatalog> Cached(std::string_view tenant, const std::string& block_id) const {
    return Fetch(Key(std::string(tenant), block_id));
  }
  // Builds the block's catalog unless it exists, in memory or stored (the
  // background warmer: it must not read stored catalogs back in).
  void Warm(std::string_view tenant, const std::vector<std::shared_ptr<const store::block::BlockReader>>& all,
            const store::block::BlockReader& block);

  struct Stats {
    uint64_t built_by_decoding = 0, built_by_merging = 0, hits = 0, cached = 0, bytes = 0;
    uint64_t stored = 0, read_back = 0;  // catalogs written to / read from their blocks' objects
  };
  Stats stats() const;

 private:
  using Key = std::pair<std::string, std::string>;  // tenant, block ID
  struct Entry {
    std::shared_ptr<const TagCatalog> catalog;
    uint64_t last_use = 0;
  };
  std::shared_ptr<const TagCatalog> Lookup(const Key& k) const;  // in memory (or being stored)
  std::shared_ptr<const TagCatalog> Fetch(const Key& k) const;   // in memory, else read back
  void Insert(const Key& k, std::shared_ptr<const TagCatalog> catalog, bool stored) const;
  // Lets the least recently used catalogs go past the budget, storing each
  // not stored yet (outside mu_).
  void Evict() const;
  static std::string ObjectKey(const Key& k);  // <tenant>/<block>/catalog
  // Builds the catalogs of `blocks` by decoding them, on all cores.
  std::vector<std::shared_ptr<TagCatalog>> Decode(const std::vector<const store::block::BlockReader*>& blocks,
                                                  const std::atomic<bool>* cancel) const;

  const CatalogLimits limits_;
  const unsigned threads_;
  store::backend::Backend* const backend_;
  const uint64_t budget_;
  mutable std::mutex mu_;     // everything below
  std::mutex build_mu_;       // one build at a time: concurrent requests wait for it, not redo it
  mutable std::mutex store_mu_;  // one eviction's writes at a time
  mutable std::map<Key, Entry> catalogs_;
  mutable std::map<Key, std::shared_ptr<const TagCatalog>> storing_;  // let go of, being written
  mutable std::set<Key> stored_;  // catalogs known to be in their block's object
  mutable uint64_t bytes_ = 0, tick_ = 0;
  mutable Stats stats_;
};

}  // namespace rubato::query::search
