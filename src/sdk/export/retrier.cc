#include "sdk/export/retrier.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace rubato::sdk {

namespace {

std::string Millis(std::chrono::nanoseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

Retrier::Retrier(RetryPolicy policy) : policy_(policy), rng_(std::random_device{}()) {}

std::chrono::nanoseconds Retrier::Backoff(int retry) {
  double base = static_cast<double>(std::chrono::nanoseconds(policy_.initial_backoff).count()) *
                std::pow(std::max(policy_.multiplier, 1.0), retry);
  double cap = static_cast<double>(std::chrono::nanoseconds(policy_.max_backoff).count());
  base = std::min(base, cap);
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::nanoseconds(static_cast<int64_t>(base * jitter(rng_)));
}

Status Retrier::Run(Clock::time_point deadline, const Attempt& attempt) {
  for (int n = 1;; ++n) {
    AttemptResult r = attempt(deadline);
    if (r.status.ok()) return r.status;
    if (!r.retryable) return r.status;
    Status s = r.status;
    if (n >= policy_.max_attempts) {
      s.Prepend("gave up after " + std::to_string(n) + " attempts");
      return s;
    }
    std::chrono::nanoseconds wait = r.server_delay ? *r.server_delay : Backoff(n - 1);
    Clock::time_point next = Clock::now() + std::chrono::duration_cast<Clock::duration>(wait);
    if (next >= deadline) {
      s.Prepend("gave up after " + std::to_string(n) + (n == 1 ? " attempt" : " attempts") +
                " (the next, in " + Millis(wait) + (r.server_delay ? " as the server asked" : "") +
                ", would start after the export timeout)");
      return s;
    }
    if (!Sleep(next)) {
      s.Prepend("gave up: the exporter is shutting down");
      return s;
    }
    retries_.fetch_add(1, std::memory_order_relaxed);
  }
}

void Retrier::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  cv_.notify_all();
}

bool Retrier::Sleep(Clock::time_point until) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_until(lock, until, [&] { return cancelled_; });
  return !cancelled_;
}

}  // namespace rubato::sdk
