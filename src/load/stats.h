// What the senders count. Counters are atomics so the progress line can read
// them once a second while senders run; latencies go to a histogram owned by
// each sender thread (merged at the end), so recording never contends.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "load/histogram.h"

namespace rubato::load {

enum class Outcome {
  kAccepted,   // HTTP 2xx / gRPC OK, possibly with partial success
  kRetryable,  // HTTP 429/503, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED: the server asks to back off
  kError,      // any other status
  kTransport,  // no answer: connection refused or reset, timeout
};

struct RequestResult {
  Outcome outcome = Outcome::kAccepted;
  int status = 0;  // HTTP status or gRPC code; unused for kTransport
  uint32_t spans = 0;
  uint64_t bytes = 0;
  int64_t rejected_spans = 0;  // partial success
  // kAccepted with a readable answer that rejected nothing: every span is the
  // server's (what --acked-log records).
  bool acknowledged = false;
  std::chrono::nanoseconds latency{0};
  std::string_view error;  // message, for the first-error line of the report
};

// A plain copy of the counters.
struct StatsSnapshot {
  uint64_t requests = 0;
  uint64_t spans_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t spans_accepted = 0;
  uint64_t spans_rejected = 0;     // partial success
  uint64_t partial_requests = 0;   // requests answered with partial success
  uint64_t retryable_requests = 0;
  uint64_t retryable_spans = 0;
  uint64_t error_requests = 0;     // non-retryable statuses
  uint64_t transport_errors = 0;
  std::vector<std::pair<int, uint64_t>> by_status;  // non-success statuses, ascending
};

class LoadStats {
 public:
  // HTTP statuses and gRPC codes (0-16) share one table; they do not overlap.
  static constexpr int kStatusSlots = 600;

  void Record(const RequestResult& r, LatencyHistogram* latencies);
  StatsSnapshot Snapshot() const;
  // The first error message seen (with its status), or "".
  std::string first_error() const;

 private:
  using Counter = std::atomic<uint64_t>;
  Counter requests_{0}, spans_sent_{0}, bytes_sent_{0}, spans_accepted_{0}, spans_rejected_{0},
      partial_requests_{0}, retryable_requests_{0}, retryable_spans_{0}, error_requests_{0},
      transport_errors_{0};
  std::array<Counter, kStatusSlots> by_status_{};
  mutable std::mutex mu_;
  std::string first_error_;  // guarded by mu_; set once, on the error path only
};

}  // namespace rubato::load
