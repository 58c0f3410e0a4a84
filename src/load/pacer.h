// Rate pacing by batches: a token bucket in "reservation" form (as Go's
// rate.Limiter.Reserve). A sender reserves a whole batch's spans and learns
// when it may send it; the bucket may go into debt, which later reservations
// wait out. So senders sleep once per batch, never per span, and the
// long-run rate is exact however many senders share the bucket.
#pragma once

#include <chrono>
#include <mutex>

namespace rubato::load {

using Clock = std::chrono::steady_clock;

// Not thread-safe: the arithmetic alone, for tests. Times are seconds on any
// monotonic axis.
class TokenBucket {
 public:
  // `rate` tokens (spans) per second; holds at most `burst` tokens and starts full.
  TokenBucket(double rate, double burst, double start_seconds)
      : rate_(rate), burst_(burst), tokens_(burst), last_(start_seconds) {}

  // Takes n tokens at time `now` and returns when the caller may go ahead:
  // `now` if the tokens were there, else the time the debt is paid off.
  double Reserve(double n, double now);

  double tokens() const { return tokens_; }

 private:
  double rate_;
  double burst_;
  double tokens_;
  double last_;
};

// The thread-safe pacer the senders share. rate 0 means unpaced.
class Pacer {
 public:
  // The bucket holds one batch: the run starts with one batch at once and then
  // stays smooth instead of bursting.
  Pacer(double spans_per_second, double batch_spans, Clock::time_point start);

  bool paced() const { return rate_ > 0; }
  // When a batch of n spans may be sent (now, when unpaced).
  Clock::time_point Reserve(double n);

 private:
  double rate_;
  Clock::time_point start_;
  std::mutex mu_;
  TokenBucket bucket_;
};

}  // namespace rubato::load
