#include "sdk/trace/span_clock.h"

#include <time.h>

#include <atomic>
#include <mutex>
#include <type_traits>

#include "sdk/trace/clock.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace rubato::sdk {

namespace {

#if defined(__x86_64__)
bool HasInvariantTsc() {
  unsigned eax, ebx, ecx, edx;
  if (__get_cpuid(0x80000000, &eax, &ebx, &ecx, &edx) == 0 || eax < 0x80000007) return false;
  __get_cpuid(0x80000007, &eax, &ebx, &ecx, &edx);
  return (edx & (1u << 8)) != 0;  // "TscInvariant": constant rate, runs in every C-state
}
const bool kUseTsc = HasInvariantTsc();
#endif

uint64_t ClockNanos(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

// The rate (ns per tick) is measured against CLOCK_MONOTONIC_RAW from the
// first sample to the latest, so it sharpens as the process runs; the anchor
// (wall time, ticks) is re-taken at each sample. Readers get a consistent
// (anchor, rate) triple through a sequence lock.
struct Calibration {
  std::mutex mu;        // one recalibrating thread at a time
  uint64_t ticks0 = 0;  // guarded by mu
  uint64_t raw0 = 0;    // guarded by mu
  std::atomic<uint64_t> sequence{0};  // odd while the fields below change
  std::atomic<uint64_t> anchor_unix_nano{0};
  std::atomic<uint64_t> anchor_ticks{0};
  std::atomic<double> ns_per_tick{0};   // 0: not calibrated yet
  std::atomic<uint64_t> next_check{0};  // in ticks
};

// Constant-initialized and trivially destructible: no guard to test on each
// read, and still usable while the process exits (spans may end then).
constinit Calibration calibration;
static_assert(std::is_trivially_destructible_v<Calibration>);

Calibration& GetCalibration() { return calibration; }

constexpr uint64_t kMinBaselineNanos = 20'000'000;
constexpr uint64_t kRetryTicks = 1'000'000;  // well under a millisecond at any TSC rate
// A sample whose two counter reads are further apart than this was
// interrupted between them: its clock readings cannot be matched to a tick.
constexpr uint64_t kMaxSampleTicks = 100'000;

void Recalibrate() {
  Calibration& c = GetCalibration();
  std::unique_lock lock(c.mu, std::try_to_lock);
  if (!lock.owns_lock()) return;  // another thread is at it
  uint64_t before = CycleTicks();
  uint64_t raw = ClockNanos(CLOCK_MONOTONIC_RAW);
  uint64_t wall = ClockNanos(CLOCK_REALTIME);
  uint64_t after = CycleTicks();
  if (after - before > kMaxSampleTicks) {
    c.next_check.store(after + kRetryTicks, std::memory_order_relaxed);
    return;
  }
  uint64_t ticks = before + (after - before) / 2;
  if (c.ticks0 == 0) {
    c.ticks0 = ticks;
    c.raw0 = raw;
  } else if (raw - c.raw0 >= kMinBaselineNanos && ticks > c.ticks0) {
    double k = static_cast<double>(raw - c.raw0) / static_cast<double>(ticks - c.ticks0);
    c.sequence.fetch_add(1, std::memory_order_acq_rel);  // odd: writing
    c.anchor_unix_nano.store(wall, std::memory_order_relaxed);
    c.anchor_ticks.store(ticks, std::memory_order_relaxed);
    c.ns_per_tick.store(k, std::memory_order_relaxed);
    c.sequence.fetch_add(1, std::memory_order_release);
    c.next_check.store(ticks + static_cast<uint64_t>(1e9 / k), std::memory_order_relaxed);  // again in ~1 s
    return;
  }
  c.next_check.store(after + kRetryTicks, std::memory_order_relaxed);
}

struct Anchor {
  uint64_t unix_nano, ticks;
  double ns_per_tick;
};

Anchor ReadAnchor(uint64_t now_ticks) {
  Calibration& c = GetCalibration();
  if (now_ticks >= c.next_check.load(std::memory_order_relaxed)) Recalibrate();
  Anchor a;
  while (true) {
    uint64_t seq = c.sequence.load(std::memory_order_acquire);
    a.unix_nano = c.anchor_unix_nano.load(std::memory_order_relaxed);
    a.ticks = c.anchor_ticks.load(std::memory_order_relaxed);
    a.ns_per_tick = c.ns_per_tick.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if ((seq & 1) == 0 && seq == c.sequence.load(std::memory_order_relaxed)) return a;
  }
}

}  // namespace

uint64_t CycleTicks() {
#if defined(__x86_64__)
  return kUseTsc ? __rdtsc() : 0;
#else
  return 0;
#endif
}

SpanStart StartTime() {
  uint64_t now = CycleTicks();
  if (now == 0) return {NowUnixNanos(), 0};
  Anchor a = ReadAnchor(now);
  // Not calibrated yet, or a counter behind the anchor (another core's):
  // read the clock, and keep the ticks for the span's duration.
  if (a.ns_per_tick == 0 || now < a.ticks) return {NowUnixNanos(), now};
  auto elapsed = static_cast<double>(static_cast<int64_t>(now - a.ticks));  // signed: a cheaper conversion
  return {a.unix_nano + static_cast<uint64_t>(elapsed * a.ns_per_tick), now};
}

uint64_t NowSinceStart(uint64_t start_unix_nano, uint64_t start_ticks) {
  if (start_ticks == 0) return NowUnixNanos();
  uint64_t now = CycleTicks();
  Calibration& c = GetCalibration();
  if (now >= c.next_check.load(std::memory_order_relaxed)) Recalibrate();
  // Only the rate is needed here (no anchor): no sequence lock to read.
  double k = c.ns_per_tick.load(std::memory_order_relaxed);
  if (k == 0 || now < start_ticks) return NowUnixNanos();
  return start_unix_nano + static_cast<uint64_t>(static_cast<double>(static_cast<int64_t>(now - start_ticks)) * k);
}

}  // namespace rubato::sdk
