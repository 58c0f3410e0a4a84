// The striped trace filter of a version-3 block (docs/format/block.md,
// "Version 3: the striped filter"): one object answers "which of this block's
// runs may hold trace X?" from one ranged read of a few KiB, so a reader keeps
// none of it in memory. Every run has its own blocked bloom filter, and the
// filters are cut into stripes by hash range, stripe s of every run side by
// side: the one stripe a trace hashes to holds every bit any run's filter
// tests for it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "status/status.h"

namespace rubato::store::block {

// The 64-bit hash of a trace ID that the filter is built from (block.md gives
// it exactly). A writer keeps these, 8 bytes a trace, instead of the IDs.
uint64_t TraceFilterHash(const model::TraceId& id);

// Builds the object from every run's hashes; memory is the object itself.
class StripedFilterBuilder {
 public:
  // One count per run: how many trace IDs (parts) the run holds. At least one run.
  explicit StripedFilterBuilder(std::span<const uint64_t> run_traces);
  void Add(uint32_t run, uint64_t hash);
  std::string Finish() &&;

 private:
  std::vector<uint32_t> buckets_;       // per run, buckets in each stripe
  std::vector<uint64_t> bucket_before_; // per run, buckets of earlier runs in a stripe
  uint64_t stripe_bytes_ = 0;           // including its CRC
  uint32_t stripes_ = 0;
  std::string out_;
  size_t header_bytes_ = 0;
};

// The object's header, parsed: where each stripe is and how to test it.
class StripedFilter {
 public:
  static constexpr char kMagic[4] = {'R', 'B', 'K', 'S'};
  static constexpr uint8_t kVersion = 3;
  static constexpr uint32_t kBitsPerId = 16;         // 512-bit buckets, 32 IDs each on average
  static constexpr uint64_t kTargetStripeBytes = 8192;
  static constexpr uint32_t kMaxRuns = 1 << 16;

  // How many bytes of the object to read for Parse: at least the fixed part.
  static constexpr uint64_t kFixedHeaderBytes = 16;
  static uint64_t HeaderBytes(uint32_t runs) { return kFixedHeaderBytes + 4ull * runs + 4; }
  // Reads the run count from the fixed part (so a reader knows how much header to read).
  static Result<uint32_t> RunCount(std::string_view fixed_part);
  // Checks the header (magic, version, CRC, sizes against the object's size).
  static Result<StripedFilter> Parse(std::string_view header, uint64_t object_bytes);

  uint32_t runs() const { return static_cast<uint32_t>(buckets_.size()); }
  uint32_t stripes() const { return stripes_; }
  // Where the stripe holding `hash` is in the object: [offset, offset + bytes).
  uint64_t StripeOffset(uint64_t hash) const;
  uint64_t stripe_bytes() const { return stripe_bytes_; }
  // Checks the stripe's CRC, then appends the runs whose filter passes.
  Status RunsThatMayHold(std::string_view stripe, uint64_t hash, std::vector<uint32_t>* runs) const;
  size_t memory_bytes() const { return buckets_.capacity() * 12; }

 private:
  std::vector<uint32_t> buckets_;
  std::vector<uint64_t> bucket_before_;
  uint32_t stripes_ = 0;
  uint64_t header_bytes_ = 0;
  uint64_t stripe_bytes_ = 0;
};

}  // namespace rubato::store::block
