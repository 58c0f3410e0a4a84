// Retrier: runs the attempts of one export with the OTLP exporter retry
// strategy: transient failures are tried again after an exponential backoff
// with jitter, or after the delay the server asked for (Retry-After,
// RetryInfo), never beyond the export's deadline.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>

#include "sdk/export/otlp_options.h"
#include "status/status.h"

namespace rubato::sdk {

// The outcome of one attempt.
struct AttemptResult {
  Status status;           // ok: delivered (a partial success included: never retried)
  bool retryable = false;  // a transient failure by the OTLP specification
  std::optional<std::chrono::nanoseconds> server_delay;  // what the server asked to wait

  static AttemptResult Delivered() { return {}; }
  static AttemptResult Permanent(Status s) { return {std::move(s), false, std::nullopt}; }
  static AttemptResult Transient(Status s, std::optional<std::chrono::nanoseconds> delay = std::nullopt) {
    return {std::move(s), true, delay};
  }
};

class Retrier {
 public:
  using Clock = std::chrono::steady_clock;
  using Attempt = std::function<AttemptResult(Clock::time_point deadline)>;

  explicit Retrier(RetryPolicy policy);

  // Calls attempt(deadline) until it delivers, fails for good, runs out of
  // attempts, or the next wait would end after `deadline`. Returns Ok or the
  // last failure, its message saying why retrying stopped.
  Status Run(Clock::time_point deadline, const Attempt& attempt);

  // Ends a wait between attempts now, and makes every later Run stop after
  // its current attempt. For Shutdown from another thread.
  void Cancel();

  // The wait before retry number `retry` (0: the first retry) when the server
  // named none: min(initial × multiplier^retry, max), then a uniformly random
  // 50-100% of that, so clients that failed together do not retry together.
  std::chrono::nanoseconds Backoff(int retry);

  uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }

 private:
  // Waits until `until` or Cancel; false when cancelled.
  bool Sleep(Clock::time_point until);

  RetryPolicy policy_;
  std::minstd_rand rng_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool cancelled_ = false;
  std::atomic<uint64_t> retries_{0};
};

}  // namespace rubato::sdk
