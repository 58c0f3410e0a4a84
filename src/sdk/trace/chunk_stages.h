// ChunkStages: per-thread staging of ended spans on their way to one
// consumer (the batch processor's worker). Each thread appends its spans to
// its own SpanChunk with plain stores (no read-modify-write, no line another
// thread writes) and hands the consumer the whole chunk when it is full. The
// consumer can take what a stage holds at any time (ForceFlush, Shutdown,
// the schedule delay), so staging delays a span but never hides it.
// A stage's owner thread is the only writer of its chunk's entries and of
// `published`; everything else about a stage is guarded by its mutex, taken
// once per chunk.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "sdk/trace/span_chunk.h"

namespace rubato::sdk {

// The consumer's side, called with a stage's mutex held.
class StageSink {
 public:
  // A full chunk, of which the entries from byte `begin` on (`spans` of
  // them) have not been taken yet; returns an empty one to fill next.
  virtual std::unique_ptr<SpanChunk> PushChunk(std::unique_ptr<SpanChunk> chunk, uint32_t begin,
                                               uint32_t spans) = 0;
  // An empty chunk for a new stage to fill.
  virtual std::unique_ptr<SpanChunk> EmptyChunk() = 0;

 protected:
  ~StageSink() = default;
};

class ChunkStages {
 public:
  explicit ChunkStages(StageSink* sink);
  ~ChunkStages();
  ChunkStages(const ChunkStages&) = delete;
  ChunkStages& operator=(const ChunkStages&) = delete;

  // Stages a span ended on this thread; a full chunk goes to the sink (one
  // with no room for the span first, one with kMaxSpans at once). kCopied:
  // the caller is done with the record and releases it.
  SpanChunk::Added Append(SpanRecord* record) {
    Stage* stage = ThisThread();
    SpanChunk::Added added = stage->chunk->Append(record);
    if (added == SpanChunk::Added::kFull) [[unlikely]] {
      HandOver(stage);
      added = stage->chunk->Append(record);  // an empty chunk has room for any span
    }
    stage->published.store(stage->chunk->used(), std::memory_order_release);
    if (stage->chunk->spans() == SpanChunk::kMaxSpans) [[unlikely]] HandOver(stage);
    return added;
  }

  // Consumer side: views of up to `max` staged spans (of every thread),
  // appended to `out`. They stay valid until the consumer recycles chunks
  // (owners never rewrite what they have published, and hand a full chunk to
  // the sink rather than reuse it). Returns how many.
  size_t Take(std::vector<SpanView>* out, size_t max);

  // No more chunks go to the sink after this; the records held by what is
  // staged are moved to `held` (spans appended later are never looked at).
  // Call before the sink dies, once the consumer is done with its views.
  void Close(std::vector<SpanRecord*>* held);

 private:
  struct Stage {
    std::atomic<uint32_t> published{0};  // bytes of `chunk` holding whole entries; written by the owner only
    std::unique_ptr<SpanChunk> chunk;    // null once the owner has exited; replaced under mu
    std::mutex mu;
    uint32_t taken = 0;        // bytes of `chunk` the consumer has taken; guarded by mu
    uint32_t taken_spans = 0;  // guarded by mu
    bool closed = false;       // guarded by mu: the ChunkStages (and its sink) may be gone
    bool orphaned = false;     // guarded by mu: the owner thread has exited
    ChunkStages* owner = nullptr;  // valid while !closed
  };
  struct ThreadStages;
  friend struct ThreadStages;

  Stage* ThisThread() {
    Stage* s = tls_last_stage;
    if (tls_last_id == id_) [[likely]] return s;
    return ThisThreadSlow();
  }
  Stage* ThisThreadSlow();
  // Replaces the stage's chunk with an empty one, the full one going to the
  // sink (or, once closed, its spans released).
  void HandOver(Stage* stage);
  // Hands chunk[taken, used) to the sink, and takes the empty one it gives
  // back; mu held.
  void PushLocked(Stage* stage);

  static inline thread_local uint64_t tls_last_id = 0;  // the ChunkStages tls_last_stage belongs to
  static inline thread_local Stage* tls_last_stage = nullptr;

  const uint64_t id_;
  StageSink* const sink_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Stage>> stages_;  // guarded by mu_
  bool closed_ = false;                         // guarded by mu_
};

}  // namespace rubato::sdk
