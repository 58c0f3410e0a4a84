// Tag catalogs of blocks, computed once per block: blocks are immutable, so
// a catalog never goes stale. A compaction output's catalog is the merge of
// its inputs' (compaction only drops duplicate spans) when they are cached;
// otherwise the block is decoded row group by row group on all cores.
// Catalogs of blocks that left the tenant's set are forgotten.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "query/search/tag_catalog.h"
#include "store/block/block_reader.h"
#include "store/trace_store.h"

namespace rubato::query::search {

class CatalogCache {
 public:
  // Values kept per block for a key past its bound (TagCatalog::TrimTruncated).
  static constexpr uint32_t kKeepWhenTruncated = 100;

  explicit CatalogCache(CatalogLimits limits = {}, unsigned threads = 0) : limits_(limits), threads_(threads) {}

  // The catalogs of `wanted` (in its order), building the missing ones.
  // `all` is the tenant's whole block set: catalogs of blocks not in it are
  // dropped. Empty when `cancel` was set before they were built.
  std::vector<std::shared_ptr<const TagCatalog>> Get(
      std::string_view tenant, const std::vector<std::shared_ptr<const store::block::BlockReader>>& all,
      const std::vector<const store::block::BlockReader*>& wanted, const std::atomic<bool>* cancel = nullptr);

  // A compaction output's catalog, the union of its inputs' when all are
  // cached (else it is built when asked for).
  void PutMerged(std::string_view tenant, const std::string& block_id, const std::vector<std::string>& inputs);

  // The block's catalog if it is built already (never builds it); null otherwise.
  std::shared_ptr<const TagCatalog> Cached(std::string_view tenant, const std::string& block_id) const {
    return Lookup(Key(std::string(tenant), block_id));
  }

  struct Stats {
    uint64_t built_by_decoding = 0, built_by_merging = 0, hits = 0, cached = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  using Key = std::pair<std::string, std::string>;  // tenant, block ID
  std::shared_ptr<const TagCatalog> Lookup(const Key& k) const;
  // Builds the catalogs of `blocks` by decoding them, on all cores.
  std::vector<std::shared_ptr<TagCatalog>> Decode(const std::vector<const store::block::BlockReader*>& blocks,
                                                  const std::atomic<bool>* cancel) const;

  const CatalogLimits limits_;
  const unsigned threads_;
  mutable std::mutex mu_;     // the map and stats
  std::mutex build_mu_;       // one build at a time: concurrent requests wait for it, not redo it
  std::map<Key, std::shared_ptr<const TagCatalog>> catalogs_;
  Stats stats_;
};

}  // namespace rubato::query::search
