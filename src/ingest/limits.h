// Per-tenant ingest limits, in Tempo's terms (overrides.defaults.*): ingestion
// rate and burst in bytes, max bytes per trace, max live traces. Every refusal
// is reported to the caller (never silent): the ingester turns it into a
// retryable status or partial success and counts it by reason.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/batch.h"
#include "model/id_map.h"

namespace rubato::ingest {

struct LimitsConfig {
  uint64_t rate_limit_bytes = 15'000'000;  // per second, per tenant; 0: none
  uint64_t burst_size_bytes = 20'000'000;
  uint64_t max_bytes_per_trace = 5'000'000;  // 0: none
  uint64_t max_live_traces = 10'000;         // 0: none
  std::chrono::nanoseconds trace_idle_period = std::chrono::seconds(10);  // a trace stops being live after this
};

enum class SpanVerdict : uint8_t { kAccept, kTraceTooLarge, kLiveTracesExceeded };

using Clock = std::chrono::steady_clock;

class IngestLimiter {
 public:
  explicit IngestLimiter(LimitsConfig config) : config_(config) {}

  // Token bucket over request bytes. Returns 0 when admitted, else the seconds
  // to wait before the request would fit (for Retry-After / RetryInfo).
  double AdmitBytes(const std::string& tenant, uint64_t bytes, Clock::time_point now);

  // Decides each span of `batch` (in order) against the per-trace limits, and
  // counts the accepted ones against their trace. `verdicts` is resized to spans.size().
  void AdmitSpans(const std::string& tenant, const model::Batch& batch, const std::vector<bool>& valid,
                  Clock::time_point now, std::vector<SpanVerdict>* verdicts);

  size_t live_traces(const std::string& tenant) const;

 private:
  // A live trace is keyed by a 64-bit hash of its ID and stamped in ms since
  // the limiter was made (compared modulo 2^32: exact for idle periods under
  // 24 days), so a slot is 16 bytes, not 32: at full rate about a million
  // traces are live. Two live traces share a key with odds of about n²/2^65
  // (3·10⁻⁸ for a million); they would then share one byte count.
  using TraceKey = model::SpanId;  // 8 bytes, never all zero
  struct LiveTrace {
    uint32_t bytes = 0;  // saturates: a limit over 4 GB is no limit
    uint32_t last_seen_ms = 0;
  };
  static TraceKey KeyOf(const model::TraceId& id);
  uint32_t MsSinceStart(Clock::time_point t) const {
    return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::milliseconds>(t - start_).count());
  }
  // Live traces are sharded by trace ID, each shard with its own lock and
  // sweep: with one lock, every request's spans and the once-a-second sweep
  // of all live traces (~300 k at 400 k spans/s) serialized the receivers.
  static constexpr size_t kShards = 64;
  struct LiveShard {
    std::mutex mu;
    model::IdMap<TraceKey, LiveTrace> live;
    // Traces by when they may next expire, oldest first: expiring looks only
    // at the front, where a full sweep of `live` touched every trace each time.
    std::deque<std::pair<TraceKey, uint32_t>> expiry;  // (key, ms since start)
  };
  struct Tenant {
    bool filled = false;  // the token bucket's fields are guarded by mu_
    double tokens = 0;    // may go negative after a request larger than the burst
    Clock::time_point refilled;
    std::atomic<size_t> live_count{0};
    LiveShard shards[kShards];
  };
  Tenant& TenantFor(const std::string& tenant);     // created on first use; never removed
  Tenant& TenantLocked(const std::string& tenant);  // the same, with mu_ held
  void Expire(Tenant* t, LiveShard* shard, uint32_t now_ms);  // with shard->mu held

  LimitsConfig config_;
  const Clock::time_point start_ = Clock::now();
  const uint32_t idle_ms_ = static_cast<uint32_t>(std::min<int64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.trace_idle_period).count(), INT32_MAX));
  mutable std::mutex mu_;  // the tenant map and token buckets
  std::map<std::string, std::unique_ptr<Tenant>, std::less<>> tenants_;
};

// Roughly the span's OTLP protobuf size: what max_bytes_per_trace counts.
uint64_t EstimateSpanBytes(const model::Batch& batch, const model::Span& span);

}  // namespace rubato::ingest
