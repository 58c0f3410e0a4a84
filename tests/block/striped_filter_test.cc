// The striped filter of version-3 blocks (src/store/block/striped_filter.h,
// docs/format/block.md "Version 3"): no false negatives in any run, a low
// false-positive rate per run, the exact layout, and every damage reported.
#include "store/block/striped_filter.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

namespace rubato::store::block {
namespace {

model::TraceId RandomId(std::mt19937_64* rng) {
  model::TraceId id;
  uint64_t a = (*rng)(), b = (*rng)();
  std::memcpy(id.bytes.data(), &a, 8);
  std::memcpy(id.bytes.data() + 8, &b, 8);
  return id;
}

// A 64-bit ID as some clients send it: eight zero bytes, then the ID.
model::TraceId PaddedId(std::mt19937_64* rng) {
  model::TraceId id;
  uint64_t b = (*rng)();
  std::memcpy(id.bytes.data() + 8, &b, 8);
  return id;
}

struct Built {
  std::string bytes;
  StripedFilter filter;
  std::vector<std::vector<model::TraceId>> ids;  // per run
};

Built Build(const std::vector<uint64_t>& run_traces, bool padded, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Built out;
  StripedFilterBuilder b(run_traces);
  for (uint32_t r = 0; r < run_traces.size(); ++r) {
    out.ids.emplace_back();
    for (uint64_t i = 0; i < run_traces[r]; ++i) {
      out.ids[r].push_back(padded ? PaddedId(&rng) : RandomId(&rng));
      b.Add(r, TraceFilterHash(out.ids[r].back()));
    }
  }
  out.bytes = std::move(b).Finish();
  auto runs = StripedFilter::RunCount(out.bytes);
  EXPECT_TRUE(runs.ok()) << runs.status().message();
  auto f = StripedFilter::Parse(std::string_view(out.bytes).substr(0, StripedFilter::HeaderBytes(*runs)),
                                out.bytes.size());
  EXPECT_TRUE(f.ok()) << f.status().message();
  out.filter = *f;
  return out;
}

std::vector<uint32_t> Lookup(const Built& b, const model::TraceId& id) {
  uint64_t h = TraceFilterHash(id);
  std::vector<uint32_t> runs;
  Status s = b.filter.RunsThatMayHold(std::string_view(b.bytes).substr(b.filter.StripeOffset(h), b.filter.stripe_bytes()),
                                      h, &runs);
  EXPECT_TRUE(s.ok()) << s.message();
  return runs;
}

struct Case {
  const char* name;
  std::vector<uint64_t> run_traces;
  bool padded;
};

TEST(StripedFilter, EveryRunFindsItsIdsAndRarelyOthers) {
  for (const Case& c : std::vector<Case>{
           {"one tiny run", {1}, false},
           {"one cut", {25000}, false},
           {"an empty run among others", {3000, 0, 500}, false},
           {"uneven runs", {40000, 2500, 17, 9000}, false},
           {"64 runs", std::vector<uint64_t>(64, 2000), false},
           {"64-bit IDs padded with zeros", {30000, 30000}, true},
       }) {
    SCOPED_TRACE(c.name);
    Built b = Build(c.run_traces, c.padded, 7);
    EXPECT_EQ(b.filter.runs(), c.run_traces.size());
    uint64_t total = 0;
    for (uint64_t n : c.run_traces) total += n;
    // 16 bits an ID or more (rounding up per run and stripe), never less.
    EXPECT_GE(b.bytes.size(), total * 2);
    for (uint32_t r = 0; r < b.ids.size(); ++r) {
      for (const model::TraceId& id : b.ids[r]) {
        std::vector<uint32_t> runs = Lookup(b, id);
        ASSERT_TRUE(std::find(runs.begin(), runs.end(), r) != runs.end()) << "run " << r << " lost " << id.ToHex();
      }
    }
    // Absent IDs: the false-positive rate of each run's filter.
    std::mt19937_64 rng(99);
    constexpr int kProbes = 200000;
    std::vector<uint64_t> passes(c.run_traces.size());
    for (int i = 0; i < kProbes; ++i) {
      for (uint32_t r : Lookup(b, c.padded ? PaddedId(&rng) : RandomId(&rng))) ++passes[r];
    }
    for (uint32_t r = 0; r < passes.size(); ++r) {
      double rate = static_cast<double>(passes[r]) / kProbes;
      EXPECT_LT(rate, 0.002) << "run " << r << " of " << c.run_traces[r] << " traces";
      if (c.run_traces[r] >= 25000) std::printf("  %s, run %u: %.4f%% false positives\n", c.name, r, rate * 100);
    }
  }
}

TEST(StripedFilter, LayoutIsExact) {
  // 40,000 + 2,500 traces: 85,000 filter bytes → 11 stripes of 8 KiB or less;
  // buckets per stripe: ⌈40000 / (32·11)⌉ = 114 and ⌈2500 / 352⌉ = 8.
  Built b = Build({40000, 2500}, false, 1);
  EXPECT_EQ(b.filter.stripes(), 11u);
  EXPECT_EQ(b.filter.stripe_bytes(), (114u + 8u) * 64 + 4);
  EXPECT_EQ(b.bytes.size(), 16 + 2 * 4 + 4 + 11 * b.filter.stripe_bytes());
  EXPECT_EQ(b.bytes.substr(0, 6), std::string("RBKS\x03\x08", 6));
  // Stripes cover the hash range in order: the top 32 bits choose.
  EXPECT_EQ(b.filter.StripeOffset(0), 16u + 8 + 4);
  EXPECT_EQ(b.filter.StripeOffset(~uint64_t{0}), 16u + 8 + 4 + 10 * b.filter.stripe_bytes());
}

TEST(StripedFilter, ZeroPaddedIdsSpreadOverStripes) {
  std::mt19937_64 rng(3);
  constexpr uint32_t kStripes = 16;
  std::vector<int> count(kStripes);
  for (int i = 0; i < 16000; ++i) ++count[(TraceFilterHash(PaddedId(&rng)) >> 32) * kStripes >> 32];
  for (int c : count) EXPECT_NEAR(c, 1000, 150);
}

TEST(StripedFilter, DamageIsAnError) {
  Built b = Build({3000, 700}, false, 5);
  const uint64_t header = StripedFilter::HeaderBytes(2);
  struct Damage {
    const char* name;
    size_t at;
    const char* message;
  };
  for (const Damage& d : std::vector<Damage>{
           {"magic", 0, "bad magic"},
           {"version", 4, "bad magic, version"},
           {"hash count", 5, "hash count"},
           {"stripe count", 8, "checksum mismatch in the header"},
           {"a run's buckets", 16, "checksum mismatch in the header"},
           {"header CRC", header - 1, "checksum mismatch in the header"},
       }) {
    std::string bytes = b.bytes;
    bytes[d.at] ^= 0x10;
    auto runs = StripedFilter::RunCount(bytes);
    Status s = runs.status();
    if (runs.ok()) s = StripedFilter::Parse(std::string_view(bytes).substr(0, header), bytes.size()).status();
    ASSERT_FALSE(s.ok()) << d.name;
    EXPECT_EQ(s.code(), StatusCode::kInternal) << d.name;
    EXPECT_NE(s.message().find(d.message), std::string::npos) << d.name << ": " << s.message();
  }
  // A run count past the limit, and an object of the wrong size.
  std::string bytes = b.bytes;
  uint32_t runs = StripedFilter::kMaxRuns + 1;
  std::memcpy(bytes.data() + 12, &runs, 4);
  EXPECT_NE(StripedFilter::RunCount(bytes).status().message().find("out of range"), std::string::npos);
  auto short_object = StripedFilter::Parse(std::string_view(b.bytes).substr(0, header), b.bytes.size() - 1);
  EXPECT_NE(short_object.status().message().find("does not match its header"), std::string::npos);
  EXPECT_FALSE(StripedFilter::Parse(std::string_view(b.bytes).substr(0, header - 1), b.bytes.size()).ok());

  // A flipped bit in a stripe: that stripe's lookups fail, naming it.
  const model::TraceId id = b.ids[0][0];
  const uint64_t h = TraceFilterHash(id);
  std::string stripe = b.bytes.substr(b.filter.StripeOffset(h), b.filter.stripe_bytes());
  stripe[100] ^= 1;
  std::vector<uint32_t> out;
  Status s = b.filter.RunsThatMayHold(stripe, h, &out);
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("checksum mismatch in stripe"), std::string::npos) << s.message();
  EXPECT_FALSE(b.filter.RunsThatMayHold(std::string_view(stripe).substr(1), h, &out).ok());
}

}  // namespace
}  // namespace rubato::store::block
