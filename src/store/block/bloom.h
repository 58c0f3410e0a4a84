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

// x mod d by two multiplications (Lemire, Kaser and Kurz, "Faster remainder
// by direct computation", 2019): exact for every 32-bit x and d > 0, with
// m = FastModMultiplier(d). A filter lookup takes a remainder per probe, and a
// division costs more than the probe's cache hit.
inline uint64_t FastModMultiplier(uint32_t d) { return UINT64_MAX / d + 1; }
inline uint32_t FastMod(uint32_t x, uint64_t m, uint32_t d) {
  return static_cast<uint32_t>((static_cast<unsigned __int128>(m * x) * d) >> 64);
}

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
  // Starts loading the bytes MayContain(id) reads first: a caller checking
  // many filters for one ID (a run each) issues these ahead, so the cache
  // misses overlap instead of following one another.
  void Prefetch(const model::TraceId& id) const;
  size_t memory_bytes() const { return bytes_.capacity(); }

 private:
  static uint32_t ShardOf(const model::TraceId& id, uint32_t shards);
  template <typename Fn>
  static void ForEachBit(const model::TraceId& id, uint32_t shard_bits, Fn fn);
  // The same two, by FastMod (readers: the multipliers are set by Parse).
  const char* ShardFor(const model::TraceId& id) const;
  template <typename Fn>
  void ForEachBitFast(const model::TraceId& id, Fn fn) const;

  std::string bytes_;
  uint32_t shards_ = 0;
  uint32_t shard_bytes_ = 0;
  uint64_t shards_m_ = 0, bits_m_ = 0;  // FastModMultiplier of shards_ and of shard_bytes_ * 8
  static constexpr size_t kHeader = 12;
};

}  // namespace rubato::store::block
