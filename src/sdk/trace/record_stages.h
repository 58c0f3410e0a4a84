// RecordStages: per-thread staging of ended records on their way to one
// consumer (the batch processor's queue). Each thread appends to its own
// stage with plain stores (no read-modify-write, no line shared with another
// producer) and hands the consumer a chunk of kChunk records at once. The
// consumer can take what a stage holds at any time (ForceFlush, Shutdown,
// the schedule delay), so staging delays a record but never hides it.
// A stage's owner thread is its only writer of `count`; everything else
// about a stage is guarded by its mutex, taken once per chunk.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "sdk/trace/span_record.h"

namespace rubato::sdk {

// Where full chunks go (the consumer). Called with the stage's mutex held.
class StageSink {
 public:
  virtual void PushChunk(SpanRecord* const* records, size_t n) = 0;

 protected:
  ~StageSink() = default;
};

class RecordStages {
 public:
  static constexpr uint32_t kChunk = 64;

  explicit RecordStages(StageSink* sink);
  ~RecordStages();
  RecordStages(const RecordStages&) = delete;
  RecordStages& operator=(const RecordStages&) = delete;

  // Stages a record ended on this thread; each kChunk-th goes to the sink
  // with the ones before it.
  void Append(SpanRecord* record) {
    Stage* stage = ThisThread();
    uint32_t n = stage->count.load(std::memory_order_relaxed);
    stage->records[n] = record;
    if (n + 1 < kChunk) [[likely]] {
      stage->count.store(n + 1, std::memory_order_release);
      return;
    }
    stage->count.store(kChunk, std::memory_order_release);
    PushFull(stage);
  }

  // Consumer side: moves up to `max` staged records (of every thread) to
  // `out`. Returns how many.
  size_t Take(std::vector<SpanRecord*>* out, size_t max);

  // No more chunks go to the sink after this; staged records are moved to
  // `out` (and any appended later are never looked at). Call before the sink dies.
  void Close(std::vector<SpanRecord*>* out);

 private:
  struct Stage {
    std::atomic<uint32_t> count{0};  // records[0, count) appended; written by the owner only
    SpanRecord* records[kChunk];
    std::mutex mu;
    uint32_t taken = 0;     // records[0, taken) already taken by the consumer; guarded by mu
    bool closed = false;    // guarded by mu: the RecordStages (and its sink) may be gone
    bool orphaned = false;  // guarded by mu: the owner thread has exited
    RecordStages* owner = nullptr;  // valid while !closed
  };
  struct ThreadStages;
  friend struct ThreadStages;

  Stage* ThisThread() {
    Stage* s = tls_last_stage;
    if (tls_last_id == id_) [[likely]] return s;
    return ThisThreadSlow();
  }
  Stage* ThisThreadSlow();
  void PushFull(Stage* stage);
  // Hands records[taken, count) to the sink and empties the stage; mu held.
  void FlushLocked(Stage* stage);

  static inline thread_local uint64_t tls_last_id = 0;  // the RecordStages tls_last_stage belongs to
  static inline thread_local Stage* tls_last_stage = nullptr;

  const uint64_t id_;
  StageSink* const sink_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Stage>> stages_;  // guarded by mu_
  bool closed_ = false;                         // guarded by mu_
};

}  // namespace rubato::sdk
