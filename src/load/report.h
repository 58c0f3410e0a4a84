// What `rubato load` tells its user: a progress line per second on stderr and
// the final report, as text or as one JSON object (for scripts and
// docs/performance.md).
#pragma once

#include <cstdint>
#include <string>

#include "load/histogram.h"
#include "load/options.h"
#include "load/stats.h"

namespace rubato::load {

struct Report {
  std::string protocol;
  std::string endpoint;
  int concurrency = 0;
  double target_rate = 0;  // spans/s, 0 = unpaced
  double duration_s = 0;   // as asked
  double elapsed_s = 0;    // from the first request to the last answer
  bool gzip = false;
  std::string source;      // "generated (seed N)" or "replay FILE"
  uint32_t distinct_batches = 0;
  double bytes_per_span = 0;  // of the bodies as sent (after gzip, for HTTP)
  StatsSnapshot stats;
  double sent_spans_per_s = 0;
  double accepted_spans_per_s = 0;
  uint64_t latency_samples = 0;
  double latency_p50_ms = 0, latency_p99_ms = 0, latency_max_ms = 0, latency_mean_ms = 0;
  double cpu_user_s = 0, cpu_sys_s = 0;
  double cpu_percent = 0;  // (user + sys) / elapsed, as % of one core
  std::string first_error;
  std::string acked_log;            // --acked-log path, or ""
  uint64_t acked_spans_logged = 0;  // lines recorded there
  std::string acked_log_error;      // the log could not be written (the run itself went on)
};

// Fills the derived figures (rates, percentiles) from the counters.
void Finish(Report* r, const LatencyHistogram& latencies);

// "UNAVAILABLE" for gRPC codes, "HTTP 503" for HTTP statuses.
std::string StatusLabel(Protocol p, int status);

std::string FormatText(const Report& r, Protocol p);
std::string FormatJson(const Report& r, Protocol p);

// One line of progress: what happened between two snapshots `dt` seconds apart.
std::string ProgressLine(double t, double dt, const StatsSnapshot& before, const StatsSnapshot& now);

}  // namespace rubato::load
