// The sharded bloom filter over a block's trace IDs (docs/format/block.md,
// "bloom"). Trace IDs are random, so their bytes serve as the hashes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/ids.h"
#include "status/status.h"

namespace rubato::store::block {

class Bloom {
 public:
  static constexpr uint8_t kHashes = 7;
  // 16 bits an ID with k = 7: 0.07 % false positives. A lookup checks one filter
  // per run, and a store holds thousands of runs (one per level-0 cut).
  static constexpr uint32_t kBitsPerId = 16;
  static constexpr uint32_t kMaxShardBytes = 64 * 1024;

  // Builds a filter for a known number of IDs, one at a time, so a writer
  // need not hold every ID (only the bytes the filter reads, see block.md).
  class Builder {
   public:
    explicit Builder(uint64_t ids);
    void Add(const model::TraceId& id);
    std::string Finish() &&;  // the serialized filter

   private:
    std::string out_;
    uint32_t shards_, shard_bytes_;
  };
  // Serialized filter over `ids`.
  static std::string Build(std::span<const model::TraceId> ids);
  // The number of bytes the filter reads of an ID: 0-1 (shard) and 2-9 (bits).
  static constexpr size_t kIdBytesUsed = 10;
  // Parses and checks a serialized filter.
  static Result<Bloom> Parse(std::string bytes);

  bool MayContain(const model::TraceId& id) const;
  size_t memory_bytes() const { return bytes_.capacity(); }

 private:
  static uint32_t ShardOf(const model::TraceId& id, uint32_t shards);
  template <typename Fn>
  static void ForEachBit(const model::TraceId& id, uint32_t shard_bits, Fn fn);

  std::string bytes_;
  uint32_t shards_ = 0;
  uint32_t shard_bytes_ = 0;
  static constexpr size_t kHeader = 12;
};

}  // namespace rubato::store::block
