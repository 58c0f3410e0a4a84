#include "sdk/trace/id_generator.h"

#include <pthread.h>

#include <atomic>
#include <cstring>
#include <random>

namespace rubato::sdk {

namespace {

// Bumped in a forked child, so that each thread of the child reseeds instead
// of repeating its parent's sequence (duplicate IDs across processes).
std::atomic<uint32_t> fork_generation{1};

void OnFork() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

struct Xoshiro {
  uint64_t s[4];
  uint32_t generation = 0;  // 0: not seeded yet

  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t Next() {
    const uint64_t result = Rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Rotl(s[3], 45);
    return result;
  }

  void Seed() {
    static const bool registered = [] { return pthread_atfork(nullptr, nullptr, OnFork) == 0; }();
    (void)registered;
    std::random_device rd;
    // splitmix64 over 64 bits of hardware entropy fills the 256-bit state
    // (never all zero, as xoshiro requires).
    uint64_t x = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    for (uint64_t& word : s) {
      x += 0x9e3779b97f4a7c15ULL;
      uint64_t z = x;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
    generation = fork_generation.load(std::memory_order_relaxed);
  }
};

thread_local Xoshiro generator;

uint64_t Draw() {
  if (generator.generation != fork_generation.load(std::memory_order_relaxed)) generator.Seed();
  return generator.Next();
}

}  // namespace

uint64_t RandomNonZero64() {
  uint64_t v;
  do v = Draw();
  while (v == 0);
  return v;
}

model::TraceId NewTraceId() {
  model::TraceId id;
  uint64_t hi = Draw();
  uint64_t lo = RandomNonZero64();  // the random low bytes alone make it non-zero
  std::memcpy(id.bytes.data(), &hi, 8);
  std::memcpy(id.bytes.data() + 8, &lo, 8);
  return id;
}

void NewSpanIds(model::TraceId* trace_id, model::SpanId* span_id) {
  Xoshiro& g = generator;
  if (g.generation != fork_generation.load(std::memory_order_relaxed)) [[unlikely]] g.Seed();
  uint64_t v;
  if (trace_id != nullptr) {
    uint64_t hi = g.Next();
    do v = g.Next();
    while (v == 0);  // the random low bytes alone make the trace ID non-zero
    std::memcpy(trace_id->bytes.data(), &hi, 8);
    std::memcpy(trace_id->bytes.data() + 8, &v, 8);
  }
  do v = g.Next();
  while (v == 0);
  std::memcpy(span_id->bytes.data(), &v, 8);
}

model::SpanId NewSpanId() {
  model::SpanId id;
  uint64_t v = RandomNonZero64();
  std::memcpy(id.bytes.data(), &v, 8);
  return id;
}

}  // namespace rubato::sdk
