#include "load/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace rubato::load {

// For v >= 32 with top bit e (v in [2^e, 2^(e+1))): the bucket is the group
// e - 4 (group 0 holds 0..31 exactly) times 32, plus the 5 bits after the top one.
size_t LatencyHistogram::BucketOf(uint64_t v) {
  if (v < kSubBuckets) return static_cast<size_t>(v);
  int e = 63 - std::countl_zero(v);
  int shift = e - kSubBits;
  uint64_t sub = (v >> shift) & (kSubBuckets - 1);
  return static_cast<size_t>((shift + 1) * kSubBuckets + sub);
}

uint64_t LatencyHistogram::BucketLow(size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  int shift = static_cast<int>(bucket / kSubBuckets) - 1;
  uint64_t sub = bucket % kSubBuckets;
  return (kSubBuckets + sub) << shift;
}

uint64_t LatencyHistogram::BucketHigh(size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  int shift = static_cast<int>(bucket / kSubBuckets) - 1;
  return BucketLow(bucket) + ((uint64_t{1} << shift) - 1);
}

void LatencyHistogram::Record(uint64_t value) {
  ++counts_[BucketOf(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void LatencyHistogram::Merge(const LatencyHistogram& o) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  min_ = std::min(min_, o.min_);
  max_ = std::max(max_, o.max_);
}

void LatencyHistogram::Clear() { *this = LatencyHistogram(); }

uint64_t LatencyHistogram::ValueAtQuantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(BucketHigh(i), max_);
  }
  return max_;
}

}  // namespace rubato::load
