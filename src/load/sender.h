// What the HTTP and gRPC senders share: the run's clock and pacing, the batch
// cursor and the counters, and the interface the runner drives.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "load/acked_log.h"
#include "load/batch_set.h"
#include "load/histogram.h"
#include "load/options.h"
#include "load/pacer.h"
#include "load/stats.h"
#include "status/status.h"

namespace rubato::load {

struct SendContext {
  const LoadOptions* options = nullptr;
  const BatchSet* batches = nullptr;
  Pacer* pacer = nullptr;
  LoadStats* stats = nullptr;
  Clock::time_point deadline;  // no request starts at or after this
  std::atomic<bool>* stop = nullptr;  // set to end early (SIGINT)
  AckedLog* acked_log = nullptr;      // --acked-log; null when not asked for
  std::atomic<uint64_t> next_batch{0};  // senders take batches in turn from here

  // The next batch index, cycling through the set.
  size_t TakeBatch() { return static_cast<size_t>(next_batch.fetch_add(1) % batches->bodies.size()); }
  // The next batch and which pass over the set it belongs to.
  struct Turn {
    size_t batch;
    uint64_t pass;
  };
  Turn TakeTurn() {
    uint64_t n = next_batch.fetch_add(1);
    return {static_cast<size_t>(n % batches->bodies.size()), n / batches->bodies.size()};
  }
  bool Stopping() const { return stop->load(std::memory_order_relaxed) || Clock::now() >= deadline; }
};

// How long to back off after a retryable answer that named no delay:
// 100 ms doubling per consecutive retryable answer, up to 5 s.
std::chrono::milliseconds DefaultBackoff(int consecutive_retryable);

// Sleeps until `t` or the deadline, whichever is first; false if the run is over.
bool SleepUntil(const SendContext& ctx, Clock::time_point t);

class Sender {
 public:
  virtual ~Sender() = default;
  // Before the clock: opens connections. Unavailable names the endpoint.
  virtual Status Connect(std::chrono::milliseconds timeout) = 0;
  // Sends until the deadline, waits for requests in flight, and merges the
  // senders' latencies into *latencies.
  virtual void Run(SendContext* ctx, LatencyHistogram* latencies) = 0;
};

std::unique_ptr<Sender> MakeHttpSender(const LoadOptions& options, const BatchSet& batches);
std::unique_ptr<Sender> MakeGrpcSender(const LoadOptions& options, const BatchSet& batches);

}  // namespace rubato::load
