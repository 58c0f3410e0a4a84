// The batch span processor: application threads push ended records onto a
// bounded lock-free queue (a full queue drops and counts, never waits); one
// worker thread converts them to model::Batches and exports. With a roomy
// queue, each thread stages its records and pushes them RecordStages::kChunk
// at a time (record_stages.h); the worker takes staged records too whenever
// it drains everything, so ForceFlush and Shutdown still export them all. A batch leaves
// as soon as max_export_batch_size spans are queued, and whatever is queued
// leaves every schedule_delay, on ForceFlush and on Shutdown.
#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sdk/trace/batch_builder.h"
#include "sdk/trace/env_values.h"
#include "sdk/trace/record_queue.h"
#include "sdk/trace/record_stages.h"
#include "sdk/trace/span_pool.h"
#include "sdk/trace/span_processor.h"

namespace rubato::sdk {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Waits on `cv` until `done()` or the timeout; a timeout of a day or more (or
// zero, "no limit" in OTEL_BSP_EXPORT_TIMEOUT) waits without one, since
// now() + milliseconds::max() would overflow.
template <typename Pred>
bool WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, milliseconds timeout, Pred done) {
  if (timeout.count() == 0 || timeout >= std::chrono::hours(24)) {
    cv.wait(lock, done);
    return true;
  }
  return cv.wait_for(lock, timeout, done);
}

// State shared by the processor and its worker thread. Shared (not owned by
// the processor) so that a worker stuck in an export past the timeout can
// be left behind at Shutdown without using freed memory.
// Staging only where a chunk is small next to the queue and the batch: a
// queue a few chunks long would drop spans that staging held back, and
// small batches would wait for a chunk to fill.
bool UseStaging(const BatchProcessorOptions& o) {
  return o.max_queue_size >= 16 * RecordStages::kChunk && o.max_export_batch_size >= RecordStages::kChunk;
}

struct Core final : StageSink {
  Core(std::unique_ptr<SpanExporter> e, const BatchProcessorOptions& o)
      : exporter(std::move(e)), options(o), queue(o.max_queue_size), signal_at(o.max_export_batch_size) {
    taken.reserve(options.max_export_batch_size);
    to_free.reserve(options.max_export_batch_size);
    if (UseStaging(options)) stages = std::make_unique<RecordStages>(this);
  }

  // From an application thread: one record, or a stage's chunk.
  void Push(SpanRecord* r);
  void PushChunk(SpanRecord* const* records, size_t n) override;
  void SignalIfFull(uint64_t last_position);

  void Run();
  // Pops up to max_export_batch_size records (exactly that many when `full`),
  // converts and exports them. Returns how many it exported; 0 also when the
  // processor gave up on this worker.
  size_t ExportBatch(bool full);
  void SignalFull();

  const std::unique_ptr<SpanExporter> exporter;
  const BatchProcessorOptions options;
  RecordQueue queue;
  std::atomic<bool> accepting{true};
  std::atomic<bool> full_signaled{false};
  // The push position at which a full batch waits, as of the worker's last
  // look: pushes compare against it instead of reading the consumer's
  // position (a cache line the worker writes on every pop).
  std::atomic<uint64_t> signal_at{0};
  std::atomic<uint64_t> dropped{0};

  std::mutex mu;
  std::condition_variable wake;  // to the worker
  std::condition_variable done;  // from the worker
  bool full_pending = false;     // guarded by mu
  bool stop = false;             // guarded by mu
  bool exited = false;           // guarded by mu
  uint64_t flush_requested = 0;  // guarded by mu
  uint64_t flush_done = 0;       // guarded by mu

  std::mutex drain_mu;     // held while records are taken from the queue and converted
  bool abandoned = false;  // guarded by drain_mu

  std::unique_ptr<RecordStages> stages;  // null: each record is pushed as it ends

  // Worker-only, reused from batch to batch.
  BatchBuilder builder;
  model::Batch batch;
  std::vector<SpanRecord*> taken;
  std::vector<SpanRecord*> to_free;
};

void Core::Push(SpanRecord* r) {
  uint64_t position;
  if (!queue.TryPush(r, &position)) {
    dropped.fetch_add(1, std::memory_order_relaxed);
    ReleaseRecord(*r);
    return;
  }
  SignalIfFull(position);
}

void Core::PushChunk(SpanRecord* const* records, size_t n) {
  uint64_t position = 0;
  size_t pushed = queue.TryPushMany(records, n, &position);
  if (pushed < n) {
    dropped.fetch_add(n - pushed, std::memory_order_relaxed);
    for (size_t i = pushed; i < n; ++i) ReleaseRecord(*records[i]);
  }
  if (pushed > 0) SignalIfFull(position);
}

void Core::SignalIfFull(uint64_t last_position) {
  // A full batch is waiting: wake the worker (once until it has looked).
  if (last_position + 1 >= signal_at.load(std::memory_order_relaxed) &&
      !full_signaled.load(std::memory_order_relaxed) && !full_signaled.exchange(true, std::memory_order_relaxed)) {
    SignalFull();
  }
}

void Core::SignalFull() {
  {
    std::lock_guard lock(mu);
    full_pending = true;
  }
  wake.notify_one();
}

size_t Core::ExportBatch(bool full) {
  {
    std::lock_guard drain(drain_mu);
    if (abandoned) return 0;
    taken.clear();
    const size_t max = options.max_export_batch_size;
    while (taken.size() < max) {
      SpanRecord* r = queue.TryPop();
      if (r != nullptr) {
        taken.push_back(r);
      } else if (full && queue.SizeApprox() > 0) {
        std::this_thread::yield();  // a push has claimed the slot and is about to fill it
      } else {
        break;
      }
    }
    // Draining everything (not just full batches): staged records too.
    if (!full && stages && taken.size() < max) stages->Take(&taken, max - taken.size());
    if (taken.empty()) return 0;
    builder.Build(taken, &batch);
    // The batch owns copies of every string: the records can go back now.
    to_free.clear();
    for (SpanRecord* r : taken) {
      if (DropReference(*r)) to_free.push_back(r);
    }
    size_t start = 0;
    for (size_t i = 1; i <= to_free.size(); ++i) {
      if (i == to_free.size() || to_free[i]->pool != to_free[start]->pool) {
        to_free[start]->pool->ReleaseMany({to_free.data() + start, i - start});
        start = i;
      }
    }
  }
  (void)exporter->Export(batch);  // the exporter reports its own failures; the spans are gone either way
  return taken.size();
}

void Core::Run() {
  const milliseconds delay = std::max(options.schedule_delay, milliseconds(1));
  Clock::time_point deadline = Clock::now() + delay;
  std::unique_lock lock(mu);
  while (true) {
    wake.wait_until(lock, deadline, [&] { return stop || flush_requested > flush_done || full_pending; });
    full_pending = false;
    full_signaled.store(false, std::memory_order_relaxed);
    const bool stopping = stop;
    const uint64_t flush_gen = flush_requested;
    const bool flushing = flush_gen > flush_done;
    lock.unlock();

    const size_t batch_size = options.max_export_batch_size;
    while (queue.SizeApprox() >= batch_size && ExportBatch(true) > 0) {
    }
    if (stopping || flushing || Clock::now() >= deadline) {
      while (ExportBatch(false) > 0) {
      }
      deadline = Clock::now() + delay;
    }
    bool gave_up;
    {
      std::lock_guard drain(drain_mu);
      gave_up = abandoned;
    }
    signal_at.store(queue.popped() + batch_size, std::memory_order_relaxed);
    if (!gave_up && (flushing || stopping)) (void)exporter->ForceFlush(options.export_timeout);
    if (!gave_up && stopping) exporter->Shutdown();

    lock.lock();
    if (flushing) flush_done = flush_gen;
    if (stopping || gave_up) {
      exited = true;
      done.notify_all();
      return;
    }
    if (flushing) done.notify_all();
  }
}

class BatchProcessor final : public SpanProcessor {
 public:
  BatchProcessor(std::unique_ptr<SpanExporter> exporter, const BatchProcessorOptions& options)
      : core_(std::make_shared<Core>(std::move(exporter), options)) {
    worker_ = std::thread([core = core_] { core->Run(); });
  }
  ~BatchProcessor() override { Shutdown(); }

  void OnEnd(const SpanRecord& span) override {
    auto* r = const_cast<SpanRecord*>(&span);
    Core& core = *core_;
    if (!r->sampled() || !core.accepting.load(std::memory_order_relaxed)) {
      ReleaseRecord(span);
      return;
    }
    if (core.stages) {
      core.stages->Append(r);
    } else {
      core.Push(r);
    }
  }

  Status ForceFlush(milliseconds timeout) override {
    Core& core = *core_;
    std::unique_lock lock(core.mu);
    if (core.exited) return Status::Ok();
    uint64_t gen = ++core.flush_requested;
    core.wake.notify_one();
    if (!WaitFor(core.done, lock, timeout, [&] { return core.flush_done >= gen || core.exited; })) {
      return Status::Unavailable("ForceFlush timed out after " + std::to_string(timeout.count()) + " ms");
    }
    return Status::Ok();
  }

  void Shutdown() override {
    std::call_once(shutdown_once_, [this] {
      Core& core = *core_;
      core.accepting.store(false);
      std::unique_lock lock(core.mu);
      core.stop = true;
      core.wake.notify_one();
      bool finished = WaitFor(core.done, lock, core.options.export_timeout, [&] { return core.exited; });
      lock.unlock();
      if (finished) {
        worker_.join();
      } else {
        // The exporter is stuck past export_timeout: leave the worker behind
        // (it owns a reference to the core and stops after that export).
        std::lock_guard drain(core.drain_mu);
        core.abandoned = true;
        worker_.detach();
      }
      // Records staged or pushed while shutting down, or left by an
      // abandoned worker. Staging closes first: no chunk reaches the queue after.
      if (core.stages) {
        std::vector<SpanRecord*> staged;
        core.stages->Close(&staged);
        for (SpanRecord* r : staged) ReleaseRecord(*r);
      }
      while (SpanRecord* r = core.queue.TryPop()) ReleaseRecord(*r);
    });
  }

  uint64_t DroppedSpans() const override { return core_->dropped.load(std::memory_order_relaxed); }

 private:
  std::shared_ptr<Core> core_;
  std::thread worker_;
  std::once_flag shutdown_once_;
};

}  // namespace

Result<BatchProcessorOptions> BatchProcessorOptions::FromEnvironment(const Environment& env) {
  BatchProcessorOptions options;
  // Queue and batch sizes are bounded so a typo cannot ask for terabytes.
  constexpr uint64_t kMaxQueue = uint64_t{1} << 24;
  constexpr uint64_t kMaxMillis = uint64_t{1} << 40;
  struct Count {
    std::string_view name;
    size_t* out;
  };
  for (Count c : {Count{"OTEL_BSP_MAX_QUEUE_SIZE", &options.max_queue_size},
                  Count{"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", &options.max_export_batch_size}}) {
    Result<std::optional<uint64_t>> v = EnvUnsigned(env, c.name, kMaxQueue);
    if (!v.ok()) return v.status();
    if (*v && **v == 0) return Status::InvalidArgument(std::string(c.name) + " must be at least 1");
    if (*v) *c.out = static_cast<size_t>(**v);
  }
  struct Millis {
    std::string_view name;
    milliseconds* out;
  };
  for (Millis m : {Millis{"OTEL_BSP_SCHEDULE_DELAY", &options.schedule_delay},
                   Millis{"OTEL_BSP_EXPORT_TIMEOUT", &options.export_timeout}}) {
    Result<std::optional<uint64_t>> v = EnvUnsigned(env, m.name, kMaxMillis);
    if (!v.ok()) return v.status();
    if (*v) *m.out = milliseconds(static_cast<int64_t>(**v));
  }
  // The spec: the batch size must not exceed the queue size.
  options.max_export_batch_size = std::min(options.max_export_batch_size, options.max_queue_size);
  return options;
}

std::unique_ptr<SpanProcessor> BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                                  BatchProcessorOptions options) {
  options.max_queue_size = std::max<size_t>(options.max_queue_size, 1);
  options.max_export_batch_size = std::clamp<size_t>(options.max_export_batch_size, 1, options.max_queue_size);
  return std::make_unique<BatchProcessor>(std::move(exporter), options);
}

}  // namespace rubato::sdk
