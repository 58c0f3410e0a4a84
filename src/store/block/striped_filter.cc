#include "store/block/striped_filter.h"

#include <algorithm>
#include <cstring>

#include "store/block/encoding.h"
#include "store/wal/crc32c.h"

namespace rubato::store::block {
namespace {

constexpr uint32_t kBucketBytes = 64;
constexpr uint32_t kIdsPerBucket = kBucketBytes * 8 / StripedFilter::kBitsPerId;  // 32
constexpr uint8_t kHashes = 8;  // one bit in each of the bucket's eight 64-bit words

// MurmurHash3's 64-bit finalizer: every input bit flips about half the output bits.
inline uint64_t Fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

// x * n / 2^32: a value below n from 32 random bits, without a division.
inline uint32_t Scale(uint32_t x, uint32_t n) { return static_cast<uint32_t>((uint64_t{x} * n) >> 32); }

// The eight bit positions (0-63), one per word, from a second mix of the hash:
// IDs sharing a bucket share the hash's stripe and bucket bits, not these.
inline uint64_t BitSource(uint64_t hash) { return Fmix64(hash + 0x9E3779B97F4A7C15ull); }

inline uint64_t LoadWord(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

}  // namespace

uint64_t TraceFilterHash(const model::TraceId& id) {
  // Not the ID's bytes as they are: some clients send 64-bit IDs padded with
  // eight zero bytes, so no fixed part of an ID can be trusted to be random.
  return Fmix64(LoadWord(reinterpret_cast<const char*>(id.bytes.data())) ^
                Fmix64(LoadWord(reinterpret_cast<const char*>(id.bytes.data()) + 8)));
}

StripedFilterBuilder::StripedFilterBuilder(std::span<const uint64_t> run_traces) {
  uint64_t total = 0;
  for (uint64_t n : run_traces) total += n;
  uint64_t filter_bytes = total * StripedFilter::kBitsPerId / 8;
  stripes_ = static_cast<uint32_t>(std::clamp<uint64_t>(
      (filter_bytes + StripedFilter::kTargetStripeBytes - 1) / StripedFilter::kTargetStripeBytes, 1, UINT32_MAX));
  uint64_t per_stripe = uint64_t{kIdsPerBucket} * stripes_;
  uint64_t buckets_in_stripe = 0;
  for (uint64_t n : run_traces) {
    bucket_before_.push_back(buckets_in_stripe);
    buckets_.push_back(static_cast<uint32_t>(std::max<uint64_t>(1, (n + per_stripe - 1) / per_stripe)));
    buckets_in_stripe += buckets_.back();
  }
  stripe_bytes_ = buckets_in_stripe * kBucketBytes + 4;
  out_.append(StripedFilter::kMagic, 4);
  out_.push_back(static_cast<char>(StripedFilter::kVersion));
  out_.push_back(static_cast<char>(kHashes));
  out_.append(2, '\0');
  PutFixed<uint32_t>(&out_, stripes_);
  PutFixed<uint32_t>(&out_, static_cast<uint32_t>(buckets_.size()));
  for (uint32_t b : buckets_) PutFixed<uint32_t>(&out_, b);
  PutFixed<uint32_t>(&out_, wal::Crc32c(0, out_));
  header_bytes_ = out_.size();
  out_.resize(header_bytes_ + stripes_ * stripe_bytes_);
}

void StripedFilterBuilder::Add(uint32_t run, uint64_t hash) {
  uint32_t stripe = Scale(static_cast<uint32_t>(hash >> 32), stripes_);
  uint32_t bucket = Scale(static_cast<uint32_t>(hash), buckets_[run]);
  char* p = out_.data() + header_bytes_ + stripe * stripe_bytes_ + (bucket_before_[run] + bucket) * kBucketBytes;
  uint64_t bits = BitSource(hash);
  for (int i = 0; i < kHashes; ++i, bits >>= 6) {
    uint64_t w = LoadWord(p + 8 * i) | uint64_t{1} << (bits & 63);
    std::memcpy(p + 8 * i, &w, 8);
  }
}

std::string StripedFilterBuilder::Finish() && {
  for (uint32_t s = 0; s < stripes_; ++s) {
    char* stripe = out_.data() + header_bytes_ + s * stripe_bytes_;
    uint32_t crc = wal::Crc32c(0, stripe, stripe_bytes_ - 4);
    std::memcpy(stripe + stripe_bytes_ - 4, &crc, 4);
  }
  return std::move(out_);
}

Result<uint32_t> StripedFilter::RunCount(std::string_view fixed) {
  if (fixed.size() < kFixedHeaderBytes || std::memcmp(fixed.data(), kMagic, 4) != 0 ||
      static_cast<uint8_t>(fixed[4]) != kVersion || static_cast<uint8_t>(fixed[5]) != kHashes) {
    return Status::Internal("bloom: bad magic, version or hash count in the header");
  }
  uint32_t runs;
  std::memcpy(&runs, fixed.data() + 12, 4);
  if (runs == 0 || runs > kMaxRuns) return Status::Internal("bloom: run count " + std::to_string(runs) + " out of range");
  return runs;
}

Result<StripedFilter> StripedFilter::Parse(std::string_view header, uint64_t object_bytes) {
  auto runs = RunCount(header);
  if (!runs.ok()) return runs.status();
  StripedFilter f;
  f.header_bytes_ = HeaderBytes(*runs);
  if (header.size() < f.header_bytes_) return Status::Internal("bloom: header cut short");
  uint32_t crc;
  std::memcpy(&crc, header.data() + f.header_bytes_ - 4, 4);
  if (wal::Crc32c(0, header.data(), f.header_bytes_ - 4) != crc) {
    return Status::Internal("bloom: checksum mismatch in the header");
  }
  std::memcpy(&f.stripes_, header.data() + 8, 4);
  uint64_t buckets_in_stripe = 0;
  for (uint32_t r = 0; r < *runs; ++r) {
    uint32_t b;
    std::memcpy(&b, header.data() + kFixedHeaderBytes + 4 * r, 4);
    if (b == 0) return Status::Internal("bloom: run " + std::to_string(r) + " has no buckets");
    f.bucket_before_.push_back(buckets_in_stripe);
    f.buckets_.push_back(b);
    buckets_in_stripe += b;  // at most 2^16 runs of 2^32 buckets: no wrap
  }
  f.stripe_bytes_ = buckets_in_stripe * kBucketBytes + 4;
  // Compared by division: stripes * stripe bytes may not fit in 64 bits.
  if (f.stripes_ == 0 || object_bytes < f.header_bytes_ ||
      (object_bytes - f.header_bytes_) / f.stripe_bytes_ != f.stripes_ ||
      (object_bytes - f.header_bytes_) % f.stripe_bytes_ != 0) {
    return Status::Internal("bloom: size " + std::to_string(object_bytes) + " does not match its header");
  }
  return f;
}

uint64_t StripedFilter::StripeOffset(uint64_t hash) const {
  return header_bytes_ + uint64_t{Scale(static_cast<uint32_t>(hash >> 32), stripes_)} * stripe_bytes_;
}

Status StripedFilter::RunsThatMayHold(std::string_view stripe, uint64_t hash, std::vector<uint32_t>* runs) const {
  if (stripe.size() != stripe_bytes_) return Status::Internal("bloom: stripe cut short");
  uint32_t crc;
  std::memcpy(&crc, stripe.data() + stripe_bytes_ - 4, 4);
  if (wal::Crc32c(0, stripe.data(), stripe_bytes_ - 4) != crc) {
    return Status::Internal("bloom: checksum mismatch in stripe " +
                            std::to_string(Scale(static_cast<uint32_t>(hash >> 32), stripes_)));
  }
  const uint64_t bits = BitSource(hash);
  for (uint32_t r = 0; r < buckets_.size(); ++r) {
    const char* p = stripe.data() + (bucket_before_[r] + Scale(static_cast<uint32_t>(hash), buckets_[r])) * kBucketBytes;
    uint64_t b = bits;
    bool all = true;
    for (int i = 0; i < kHashes && all; ++i, b >>= 6) all = (LoadWord(p + 8 * i) >> (b & 63) & 1) != 0;
    if (all) runs->push_back(r);
  }
  return Status::Ok();
}

}  // namespace rubato::store::block
