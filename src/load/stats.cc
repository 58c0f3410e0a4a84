#include "load/stats.h"

#include <algorithm>

namespace rubato::load {

void LoadStats::Record(const RequestResult& r, LatencyHistogram* latencies) {
  constexpr auto relaxed = std::memory_order_relaxed;  // counters only; nothing is published through them
  requests_.fetch_add(1, relaxed);
  spans_sent_.fetch_add(r.spans, relaxed);
  bytes_sent_.fetch_add(r.bytes, relaxed);
  if (r.outcome != Outcome::kTransport) latencies->Record(static_cast<uint64_t>(std::max<int64_t>(0, r.latency.count())));
  switch (r.outcome) {
    case Outcome::kAccepted: {
      uint64_t rejected = static_cast<uint64_t>(std::clamp<int64_t>(r.rejected_spans, 0, r.spans));
      spans_accepted_.fetch_add(r.spans - rejected, relaxed);
      if (r.rejected_spans != 0) {
        spans_rejected_.fetch_add(rejected, relaxed);
        partial_requests_.fetch_add(1, relaxed);
      }
      break;
    }
    case Outcome::kRetryable:
      retryable_requests_.fetch_add(1, relaxed);
      retryable_spans_.fetch_add(r.spans, relaxed);
      break;
    case Outcome::kError: error_requests_.fetch_add(1, relaxed); break;
    case Outcome::kTransport: transport_errors_.fetch_add(1, relaxed); break;
  }
  if (r.outcome == Outcome::kRetryable || r.outcome == Outcome::kError) {
    if (r.status >= 0 && r.status < kStatusSlots) by_status_[static_cast<size_t>(r.status)].fetch_add(1, relaxed);
  }
  if (r.outcome != Outcome::kAccepted && !r.error.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    if (first_error_.empty()) {
      std::string_view e = r.error.substr(0, 300);
      while (!e.empty() && (e.back() == '\n' || e.back() == '\r' || e.back() == ' ')) e.remove_suffix(1);
      first_error_.assign(e);
    }
  }
}

StatsSnapshot LoadStats::Snapshot() const {
  StatsSnapshot s;
  s.requests = requests_.load();
  s.spans_sent = spans_sent_.load();
  s.bytes_sent = bytes_sent_.load();
  s.spans_accepted = spans_accepted_.load();
  s.spans_rejected = spans_rejected_.load();
  s.partial_requests = partial_requests_.load();
  s.retryable_requests = retryable_requests_.load();
  s.retryable_spans = retryable_spans_.load();
  s.error_requests = error_requests_.load();
  s.transport_errors = transport_errors_.load();
  for (int i = 0; i < kStatusSlots; ++i) {
    uint64_t n = by_status_[static_cast<size_t>(i)].load();
    if (n != 0) s.by_status.emplace_back(i, n);
  }
  return s;
}

std::string LoadStats::first_error() const {
  std::lock_guard<std::mutex> lock(mu_);
  return first_error_;
}

}  // namespace rubato::load
