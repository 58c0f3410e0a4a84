// The workload's own random numbers: xoshiro256** seeded by splitmix64, and
// distributions written out here. std:: distributions are not used because
// their algorithms differ between standard libraries, and the workload must
// give the same bytes for the same seed everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace rubato::workload {

// splitmix64: expands one 64-bit seed into well-mixed state words.
inline uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna), written from its published definition.
class Random {
 public:
  explicit Random(uint64_t seed) {
    uint64_t sm = seed;
    for (uint64_t& w : s_) w = SplitMix64(&sm);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1), from the top 53 bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] by multiply-and-shift (bias below 2^-32, irrelevant here).
  int64_t Int(int64_t lo, int64_t hi) {
    uint64_t range = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(((Next() >> 32) * range) >> 32);
  }
  bool Chance(double p) { return Uniform() < p; }

  // Standard normal by Box-Muller; the second value of each pair is kept for
  // the next call. Only IEEE-exact sqrt and the libm log/cos are involved.
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = 1.0 - Uniform();  // in (0, 1], so log is finite
    double u2 = Uniform();
    double r = std::sqrt(-2.0 * std::log(u1));
    double theta = 2.0 * kPi * u2;
    spare_ = r * std::sin(theta);
    has_spare_ = true;
    return r * std::cos(theta);
  }
  // Log-normal with the given median and shape sigma (of the underlying normal).
  double LogNormal(double median, double sigma) { return median * std::exp(sigma * Normal()); }

  void Fill(uint8_t* out, size_t n) {
    for (size_t i = 0; i < n; i += 8) {
      uint64_t w = Next();
      for (size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<uint8_t>(w >> (8 * j));
    }
  }

 private:
  static constexpr double kPi = 3.14159265358979323846;
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace rubato::workload
