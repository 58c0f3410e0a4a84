// Span timestamps without a clock read per timestamp: once calibrated, times
// come from the cycle counter (the x86 invariant TSC) and an anchor pairing
// a counter value with the wall clock, refreshed every second. A span's
// later times (events, the end) are its start plus the ticks elapsed, so
// durations never run backwards when the wall clock is stepped. Reading the
// counter costs a fraction of clock_gettime (much less than that on hosts
// whose clock is not served by the vDSO). Until calibrated (20 ms into the
// process), or without an invariant counter, times are clock reads.
#pragma once

#include <cstdint>

namespace rubato::sdk {

struct SpanStart {
  uint64_t unix_nano = 0;
  uint64_t ticks = 0;  // 0: later times read the wall clock
};

// The wall-clock time now, with the counter reading it came from.
SpanStart StartTime();

// Now, for a span that started at `start`.
uint64_t NowSinceStart(uint64_t start_unix_nano, uint64_t start_ticks);

// The cycle counter, or 0 when there is no invariant one.
uint64_t CycleTicks();

}  // namespace rubato::sdk
