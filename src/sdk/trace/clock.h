// Wall-clock time in Unix nanoseconds, as OTLP timestamps want it.
#pragma once

#include <chrono>
#include <cstdint>

namespace rubato::sdk {

inline uint64_t NowUnixNanos() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace rubato::sdk
