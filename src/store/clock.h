// Wall-clock time in ns since the epoch: what span timestamps, retention and
// the head's idle/age rules are measured in.
#pragma once

#include <chrono>
#include <cstdint>

namespace rubato::store {

inline uint64_t NowUnixNanos() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace rubato::store
