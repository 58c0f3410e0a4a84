#include "store/block/bloom.h"

#include <algorithm>
#include <cstring>

#include "store/block/encoding.h"
#include "store/block/format.h"
#include "store/wal/crc32c.h"

namespace rubato::store::block {

uint32_t Bloom::ShardOf(const model::TraceId& id, uint32_t shards) {
  return (static_cast<uint32_t>(id.bytes[0]) << 8 | id.bytes[1]) % shards;
}

// Double hashing (Kirsch–Mitzenmacher) from bytes 2..9 of the ID.
template <typename Fn>
void Bloom::ForEachBit(const model::TraceId& id, uint32_t shard_bits, Fn fn) {
  uint64_t h;
  std::memcpy(&h, id.bytes.data() + 2, 8);
  uint32_t h1 = static_cast<uint32_t>(h), h2 = static_cast<uint32_t>(h >> 32) | 1;
  for (uint32_t i = 0; i < kHashes; ++i) fn((h1 + i * h2) % shard_bits);
}

Bloom::Builder::Builder(uint64_t ids) {
  uint64_t total_bytes = std::max<uint64_t>(64, (ids * kBitsPerId + 7) / 8);
  shards_ = static_cast<uint32_t>(std::min<uint64_t>((total_bytes + kMaxShardBytes - 1) / kMaxShardBytes, 65535));
  shard_bytes_ = static_cast<uint32_t>((total_bytes + shards_ - 1) / shards_);
  out_.append(kBloomMagic, 4);
  out_.push_back(static_cast<char>(kFormatVersion));
  out_.push_back(static_cast<char>(kHashes));
  PutFixed<uint16_t>(&out_, static_cast<uint16_t>(shards_));
  PutFixed<uint32_t>(&out_, shard_bytes_);
  out_.resize(kHeader + uint64_t{shards_} * shard_bytes_);
}

void Bloom::Builder::Add(const model::TraceId& id) {
  char* shard = out_.data() + kHeader + uint64_t{ShardOf(id, shards_)} * shard_bytes_;
  ForEachBit(id, shard_bytes_ * 8, [&](uint32_t bit) { shard[bit / 8] |= static_cast<char>(1 << (bit % 8)); });
}

std::string Bloom::Builder::Finish() && {
  for (uint32_t s = 0; s < shards_; ++s) {
    PutFixed<uint32_t>(&out_, wal::Crc32c(0, out_.data() + kHeader + uint64_t{s} * shard_bytes_, shard_bytes_));
  }
  return std::move(out_);
}

std::string Bloom::Build(std::span<const model::TraceId> ids) {
  Builder b(ids.size());
  for (const model::TraceId& id : ids) b.Add(id);
  return std::move(b).Finish();
}

Result<Bloom> Bloom::Parse(std::string bytes) {
  ByteReader r(bytes);
  std::string_view magic = r.Bytes(4);
  uint8_t version = r.Fixed<uint8_t>(), k = r.Fixed<uint8_t>();
  Bloom b;
  b.shards_ = r.Fixed<uint16_t>();
  b.shard_bytes_ = r.Fixed<uint32_t>();
  if (!r.ok() || magic != std::string_view(kBloomMagic, 4) || version != kFormatVersion || k != kHashes ||
      b.shards_ == 0 || b.shard_bytes_ == 0 || b.shard_bytes_ > kMaxShardBytes ||
      bytes.size() != kHeader + uint64_t{b.shards_} * (uint64_t{b.shard_bytes_} + 4)) {  // 64-bit: no wrap
    return Status::Internal("bloom: bad header or size");
  }
  const char* crcs = bytes.data() + kHeader + uint64_t{b.shards_} * b.shard_bytes_;
  for (uint32_t s = 0; s < b.shards_; ++s) {
    uint32_t want;
    std::memcpy(&want, crcs + 4 * s, 4);
    if (wal::Crc32c(0, bytes.data() + kHeader + uint64_t{s} * b.shard_bytes_, b.shard_bytes_) != want) {
      return Status::Internal("bloom: checksum mismatch in shard " + std::to_string(s));
    }
  }
  b.bytes_ = std::move(bytes);
  b.shards_m_ = FastModMultiplier(b.shards_);
  b.bits_m_ = FastModMultiplier(b.shard_bytes_ * 8);
  return b;
}

const char* Bloom::ShardFor(const model::TraceId& id) const {
  const uint32_t key = static_cast<uint32_t>(id.bytes[0]) << 8 | id.bytes[1];
  return bytes_.data() + kHeader + uint64_t{FastMod(key, shards_m_, shards_)} * shard_bytes_;
}

template <typename Fn>
void Bloom::ForEachBitFast(const model::TraceId& id, Fn fn) const {
  uint64_t h;
  std::memcpy(&h, id.bytes.data() + 2, 8);
  uint32_t h1 = static_cast<uint32_t>(h), h2 = static_cast<uint32_t>(h >> 32) | 1;
  const uint32_t bits = shard_bytes_ * 8;
  for (uint32_t i = 0; i < kHashes; ++i) {
    if (!fn(FastMod(h1 + i * h2, bits_m_, bits))) return;
  }
}

void Bloom::Prefetch(const model::TraceId& id) const {
  const char* shard = ShardFor(id);
  uint32_t i = 0;
  ForEachBitFast(id, [&](uint32_t bit) {
    __builtin_prefetch(shard + bit / 8);
    return ++i < 2;  // most absent IDs fail within two probes
  });
}

bool Bloom::MayContain(const model::TraceId& id) const {
  const char* shard = ShardFor(id);
  bool all = true;
  ForEachBitFast(id, [&](uint32_t bit) { return all = (shard[bit / 8] >> (bit % 8) & 1) != 0; });
  return all;
}

}  // namespace rubato::store::block
