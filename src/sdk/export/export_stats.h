// What an OTLP exporter has done so far, for tests, self-monitoring and the
// diagnostics line a partial success deserves. Counters are updated by the
// exporting thread and may be read from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "sdk/export/otlp_response.h"

namespace rubato::sdk {

struct ExportStats {
  uint64_t exports = 0;         // Export calls that delivered their batch
  uint64_t failed_exports = 0;  // Export calls that gave up (batch dropped)
  uint64_t spans_exported = 0;  // spans of delivered batches, rejected ones included
  uint64_t spans_rejected = 0;  // partial success: spans the server refused
  uint64_t spans_dropped = 0;   // spans of batches given up on
  uint64_t attempts = 0;        // requests (calls) sent
  uint64_t retries = 0;         // attempts after a transient failure
  uint64_t connections = 0;     // HTTP: TCP connections opened
};

class ExportCounters {
 public:
  void Attempt() { attempts_.fetch_add(1, std::memory_order_relaxed); }
  void Connections(uint64_t total) { connections_.store(total, std::memory_order_relaxed); }
  void Retries(uint64_t total) { retries_.store(total, std::memory_order_relaxed); }
  void Finished(bool delivered, size_t spans) {
    (delivered ? exports_ : failed_).fetch_add(1, std::memory_order_relaxed);
    (delivered ? spans_exported_ : spans_dropped_).fetch_add(spans, std::memory_order_relaxed);
  }
  // Counts the rejections and writes one line about them to `out` (if not null).
  void PartialSuccessFrom(std::string_view endpoint, const PartialSuccess& ps, size_t spans, FILE* out) {
    if (ps.rejected_spans > 0)
      spans_rejected_.fetch_add(static_cast<uint64_t>(ps.rejected_spans), std::memory_order_relaxed);
    if (out == nullptr) return;
    std::fprintf(out, "rubato sdk: OTLP export to %.*s: the server rejected %lld of %zu spans: %.*s\n",
                 static_cast<int>(endpoint.size()), endpoint.data(), static_cast<long long>(ps.rejected_spans),
                 spans, static_cast<int>(ps.error_message.size()), ps.error_message.data());
  }

  ExportStats Snapshot() const {
    ExportStats s;
    s.exports = exports_.load(std::memory_order_relaxed);
    s.failed_exports = failed_.load(std::memory_order_relaxed);
    s.spans_exported = spans_exported_.load(std::memory_order_relaxed);
    s.spans_rejected = spans_rejected_.load(std::memory_order_relaxed);
    s.spans_dropped = spans_dropped_.load(std::memory_order_relaxed);
    s.attempts = attempts_.load(std::memory_order_relaxed);
    s.retries = retries_.load(std::memory_order_relaxed);
    s.connections = connections_.load(std::memory_order_relaxed);
    return s;
  }

 private:
  std::atomic<uint64_t> exports_{0}, failed_{0}, spans_exported_{0}, spans_rejected_{0}, spans_dropped_{0};
  std::atomic<uint64_t> attempts_{0}, retries_{0}, connections_{0};
};

}  // namespace rubato::sdk
