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
  static constexpr uint32_t kBitsPerId = 10;
  static constexpr uint32_t kMaxShardBytes = 64 * 1024;

  // Serialized filter over `ids`.
  static std::string Build(std::span<const model::TraceId> ids);
  // Parses and checks a serialized filter.
  static Result<Bloom> Parse(std::string bytes);

  bool MayContain(const model::TraceId& id) const;

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
