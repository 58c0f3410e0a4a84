// A log-bucketed latency histogram in the manner of HdrHistogram: every
// power of two is split into 32 linear sub-buckets, so any recorded value is
// known to within 1/32 (about 3 %) from 1 ns to centuries, in a fixed array.
// Recording is an index computation and an increment: no allocation per
// request, and per-thread histograms merge by adding counts.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace rubato::load {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 5;
  static constexpr uint64_t kSubBuckets = uint64_t{1} << kSubBits;  // 32
  // Values below 32 get a bucket each; each higher power of two gets 32.
  static constexpr size_t kBuckets = (64 - kSubBits + 1) * kSubBuckets;

  void Record(uint64_t value);
  void Merge(const LatencyHistogram& other);
  void Clear();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0; }

  // The value at quantile q in [0, 1]: the highest value that falls in the
  // same bucket as the sample of rank ceil(q * count), capped at max(). 0 when empty.
  uint64_t ValueAtQuantile(double q) const;

  // Bucket arithmetic, public for tests.
  static size_t BucketOf(uint64_t value);
  static uint64_t BucketLow(size_t bucket);
  static uint64_t BucketHigh(size_t bucket);  // inclusive

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  uint64_t sum_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
};

}  // namespace rubato::load
