#include "load/sender.h"

#include <algorithm>
#include <thread>

namespace rubato::load {

std::chrono::milliseconds DefaultBackoff(int consecutive) {
  int64_t ms = int64_t{100} << std::min(consecutive, 6);
  return std::chrono::milliseconds(std::min<int64_t>(ms, 5000));
}

bool SleepUntil(const SendContext& ctx, Clock::time_point t) {
  // Sleep in short steps so SIGINT ends the run promptly.
  constexpr auto kStep = std::chrono::milliseconds(100);
  while (true) {
    if (ctx.stop->load(std::memory_order_relaxed)) return false;
    Clock::time_point now = Clock::now();
    if (t >= ctx.deadline) {
      if (now >= ctx.deadline) return false;
    } else if (now >= t) {
      return true;
    }
    std::this_thread::sleep_until(std::min({t, ctx.deadline, now + kStep}));
  }
}

}  // namespace rubato::load
