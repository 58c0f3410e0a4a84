// The batch span processor: application threads hand ended spans to one
// worker thread, which converts them to model::Batches and exports. A full
// queue drops and counts; ending a span never waits. With a roomy queue, each
// thread copies its spans into a chunk of its own (span_chunk.h,
// chunk_stages.h) and queues whole chunks (chunk_queue.h), so that records
// are reused on the thread that recorded them and the worker reads memory
// written front to back; the worker takes what chunks hold too whenever it
// drains everything, so ForceFlush and Shutdown still export it all. With a
// small queue, each record is pushed onto a lock-free queue as it ends
// (record_queue.h). A batch leaves as soon as max_export_batch_size spans are
// queued, and whatever is queued leaves every schedule_delay, on ForceFlush
// and on Shutdown.
#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sdk/trace/batch_builder.h"
#include "sdk/trace/chunk_queue.h"
#include "sdk/trace/chunk_stages.h"
#include "sdk/trace/record_queue.h"
#include "sdk/trace/span_chunk.h"
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

// Staging only where a chunk is small next to the queue and the batch: a
// queue a few chunks long would drop spans that staging held back, and
// small batches would wait for a chunk to fill.
bool UseStaging(const BatchProcessorOptions& o) {
  return o.max_queue_size >= 16 * SpanChunk::kMaxSpans && o.max_export_batch_size >= SpanChunk::kMaxSpans;
}

// Chunks a stage's next chunk comes after, oldest first: 1 MiB, about what
// a worker core's cache holds (see ChunkQueue::Empty).
constexpr size_t kChunksBetweenReuses = (size_t{1} << 20) / SpanChunk::kBytes;

// State shared by the processor and its worker thread. Shared (not owned by
// the processor) so that a worker stuck in an export past the timeout can
// be left behind at Shutdown without using freed memory.
struct Core final : StageSink {
  Core(std::unique_ptr<SpanExporter> e, const BatchProcessorOptions& o)
      : exporter(std::move(e)), options(o), queue(UseStaging(o) ? 1 : o.max_queue_size) {
    taken.reserve(options.max_export_batch_size);
    to_free.reserve(options.max_export_batch_size);
    if (UseStaging(options)) {
      chunks = std::make_unique<ChunkQueue>(options.max_queue_size, kChunksBetweenReuses);
      stages = std::make_unique<ChunkStages>(this);
    }
    signal_at.store(FullLevel(), std::memory_order_relaxed);
  }

  // From an application thread: one record (unstaged), or a stage's chunk.
  void Push(SpanRecord* r);
  std::unique_ptr<SpanChunk> PushChunk(std::unique_ptr<SpanChunk> chunk, uint32_t begin, uint32_t spans) override;
  std::unique_ptr<SpanChunk> EmptyChunk() override { return chunks->Empty(); }
  void SignalIfAtLeast(uint64_t level);
  void SignalFull();

  void Run();
  // Spans waiting in the queue.
  size_t Queued() const { return chunks ? chunks->spans() : queue.SizeApprox(); }
  // The SignalIfAtLeast level at which a full batch waits: a count of
  // queued spans, or a position in the stream of pushed records.
  uint64_t FullLevel() const {
    return chunks ? options.max_export_batch_size : queue.popped() + options.max_export_batch_size;
  }
  // Takes up to max_export_batch_size spans (exactly that many when `full`),
  // converts and exports them. Returns how many it exported; 0 also when the
  // processor gave up on this worker.
  size_t ExportBatch(bool full);
  void TakeQueued(bool full, size_t max);
  void ReleaseTaken();

  const std::unique_ptr<SpanExporter> exporter;
  const BatchProcessorOptions options;
  RecordQueue queue;  // unstaged: each record as it ends (a one-slot stub when staged)
  std::unique_ptr<ChunkQueue> chunks;  // staged: full chunks (null when unstaged)
  std::unique_ptr<ChunkStages> stages;
  std::atomic<bool> accepting{true};
  std::atomic<bool> full_signaled{false};
  // The level (see FullLevel) at which pushes wake the worker, as of its
  // last look: pushes compare against it instead of reading the consumer's
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

  std::mutex drain_mu;     // held while spans are taken, converted and released
  bool abandoned = false;  // guarded by drain_mu

  // Worker-only, reused from batch to batch.
  BatchBuilder builder;
  model::Batch batch;
  std::vector<SpanView> taken;
  std::vector<SpanRecord*> to_free;
};

void Core::Push(SpanRecord* r) {
  uint64_t position;
  if (!queue.TryPush(r, &position)) {
    dropped.fetch_add(1, std::memory_order_relaxed);
    ReleaseRecord(*r);
    return;
  }
  SignalIfAtLeast(position + 1);
}

std::unique_ptr<SpanChunk> Core::PushChunk(std::unique_ptr<SpanChunk> chunk, uint32_t begin, uint32_t spans) {
  size_t queued = 0;
  std::unique_ptr<SpanChunk> next = chunks->Push(chunk, begin, spans, &queued);
  if (next) {
    SignalIfAtLeast(queued);
    return next;
  }
  // The queue is full: the spans are dropped and counted.
  dropped.fetch_add(spans, std::memory_order_relaxed);
  if (chunk->held() > 0) chunk->ForEachHeld(begin, chunk->used(), [](SpanRecord* r) { ReleaseRecord(*r); });
  if (begin == 0) {
    // The worker took none of it, so holds no view into it: the stage can
    // fill it again at once (and its lines are still in this core's cache).
    chunk->Reset();
    return chunk;
  }
  chunks->Retire(std::move(chunk));
  return chunks->Empty();
}

void Core::SignalIfAtLeast(uint64_t level) {
  // A full batch is waiting: wake the worker (once until it has looked).
  if (level >= signal_at.load(std::memory_order_relaxed) && !full_signaled.load(std::memory_order_relaxed) &&
      !full_signaled.exchange(true, std::memory_order_relaxed)) {
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

void Core::TakeQueued(bool full, size_t max) {
  if (chunks) {
    chunks->Take(&taken, max);  // a chunk is queued whole: nothing in flight
    return;
  }
  while (taken.size() < max) {
    if (SpanRecord* r = queue.TryPop()) {
      taken.push_back(SpanView::Of(*r));
    } else if (full && queue.SizeApprox() > 0) {
      std::this_thread::yield();  // a push has claimed the slot and is about to fill it
    } else {
      break;
    }
  }
}

void Core::ReleaseTaken() {
  // The batch owns copies of every string: the records can go back now.
  to_free.clear();
  for (const SpanView& v : taken) {
    auto* r = const_cast<SpanRecord*>(v.record);
    if (r != nullptr && DropReference(*r)) to_free.push_back(r);
  }
  size_t start = 0;
  for (size_t i = 1; i <= to_free.size(); ++i) {
    if (i == to_free.size() || to_free[i]->pool != to_free[start]->pool) {
      to_free[start]->pool->ReleaseMany({to_free.data() + start, i - start});
      start = i;
    }
  }
  if (chunks) chunks->Recycle();  // no view into them is left
}

size_t Core::ExportBatch(bool full) {
  {
    std::lock_guard drain(drain_mu);
    if (abandoned) return 0;
    taken.clear();
    const size_t max = options.max_export_batch_size;
    TakeQueued(full, max);
    // Draining everything (not just full batches): staged spans too.
    if (!full && stages && taken.size() < max) stages->Take(&taken, max - taken.size());
    if (!taken.empty()) builder.Build(taken, &batch);
    ReleaseTaken();
    if (taken.empty()) return 0;
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
    const bool stopping = stop;
    const uint64_t flush_gen = flush_requested;
    const bool flushing = flush_gen > flush_done;
    lock.unlock();

    const size_t batch_size = options.max_export_batch_size;
    while (Queued() >= batch_size && ExportBatch(true) > 0) {
    }
    if (stopping || flushing || Clock::now() >= deadline) {
      while (ExportBatch(false) > 0) {
      }
      deadline = Clock::now() + delay;
    }
    signal_at.store(FullLevel(), std::memory_order_relaxed);
    // Only now may pushes signal again: during the round they would see the
    // last round's level, already passed, and wake the worker for nothing.
    // A batch that filled since the last look, with no push after to signal
    // it, is seen here.
    full_signaled.store(false, std::memory_order_relaxed);
    const bool refilled = Queued() >= batch_size;
    bool gave_up;
    {
      std::lock_guard drain(drain_mu);
      gave_up = abandoned;
    }
    if (!gave_up && (flushing || stopping)) (void)exporter->ForceFlush(options.export_timeout);
    if (!gave_up && stopping) exporter->Shutdown();

    lock.lock();
    if (refilled) full_pending = true;
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
      if (core.stages->Append(r) == SpanChunk::Added::kCopied) ReleaseRecord(span);
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
      // Spans staged or pushed while shutting down, or left by an abandoned
      // worker. Staging closes first: no chunk reaches the queue after.
      if (core.stages) {
        std::vector<SpanRecord*> held;
        core.stages->Close(&held);
        core.chunks->Clear(&held);
        for (SpanRecord* r : held) ReleaseRecord(*r);
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

std::unique_ptr<SpanProcessor> BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                                  BatchProcessorOptions options) {
  options.max_queue_size = std::max<size_t>(options.max_queue_size, 1);
  options.max_export_batch_size = std::clamp<size_t>(options.max_export_batch_size, 1, options.max_queue_size);
  return std::make_unique<BatchProcessor>(std::move(exporter), options);
}

}  // namespace rubato::sdk
