#include "load/pacer.h"

#include <algorithm>

namespace rubato::load {

double TokenBucket::Reserve(double n, double now) {
  // A caller that read the clock before another one reserved may arrive with
  // an earlier `now`: time never runs backwards for the bucket.
  now = std::max(now, last_);
  tokens_ = std::min(burst_, tokens_ + rate_ * (now - last_));
  last_ = now;
  tokens_ -= n;
  if (tokens_ >= 0) return now;
  return now + (-tokens_) / rate_;
}

Pacer::Pacer(double spans_per_second, double batch_spans, Clock::time_point start)
    : rate_(spans_per_second), start_(start), bucket_(spans_per_second, batch_spans, 0.0) {}

Clock::time_point Pacer::Reserve(double n) {
  Clock::time_point now = Clock::now();
  if (rate_ <= 0) return now;
  double since_start = std::chrono::duration<double>(now - start_).count();
  double at;
  {
    std::lock_guard<std::mutex> lock(mu_);
    at = bucket_.Reserve(n, since_start);
  }
  return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at));
}

}  // namespace rubato::load
