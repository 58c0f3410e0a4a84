// ChunkQueue: the batch processor's queue when its threads stage spans in
// chunks (chunk_stages.h): the full chunks handed over, in order, bounded by
// the spans they hold; and the empty chunks the stages fill next. One mutex,
// taken once per chunk by a stage and once per chunk by the worker, and only
// for moving chunks around: the worker reads them without it, so an
// application thread never waits for more than a few pointer moves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "sdk/trace/span_chunk.h"

namespace rubato::sdk {

// A first-in first-out list that keeps its storage (std::deque allocates and
// frees blocks as items pass through it): a vector read from `head_`, its
// read part dropped once it is half the vector.
template <typename T>
class Fifo {
 public:
  bool empty() const { return head_ == items_.size(); }
  size_t size() const { return items_.size() - head_; }
  T& front() { return items_[head_]; }
  void push_back(T item) { items_.push_back(std::move(item)); }
  void pop_front() {
    items_[head_++] = T();
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 32 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }
  void clear() {
    items_.clear();
    head_ = 0;
  }
  auto begin() { return items_.begin() + static_cast<std::ptrdiff_t>(head_); }
  auto end() { return items_.end(); }

 private:
  std::vector<T> items_;
  size_t head_ = 0;
};

class ChunkQueue {
 public:
  // `max_spans`: the queue refuses a chunk that would take it past this.
  // `min_free`: see Empty.
  ChunkQueue(size_t max_spans, size_t min_free) : max_spans_(max_spans), min_free_(min_free) {}

  // A stage's full chunk, of which the `spans` entries from byte `begin` on
  // are to be exported; returns an empty one for the stage to go on with
  // (see Empty), under the same lock. When the spans would overflow the
  // queue, returns null: the chunk stays with the caller, which drops them
  // and then retires it. *queued: the spans queued after.
  std::unique_ptr<SpanChunk> Push(std::unique_ptr<SpanChunk>& chunk, uint32_t begin, uint32_t spans,
                                  size_t* queued);
  // A chunk no span of which is to be exported (any more); recycled once the
  // worker is done with the views it may still hold into it.
  void Retire(std::unique_ptr<SpanChunk> chunk);
  // An empty chunk for a stage: the one recycled longest ago, once at least
  // `min_free` are waiting, else a new one. A chunk the worker has just read
  // is still in its core's cache; filling it would take each line back from
  // there, one at a time, in the middle of recording spans. Memory the
  // worker read long ago has left its cache, and comes in at the pace of
  // sequential writes.
  std::unique_ptr<SpanChunk> Empty();

  // Worker: views of up to `max` queued spans, in order, appended to `out`.
  // Returns how many.
  size_t Take(std::vector<SpanView>* out, size_t max);
  // Worker, once done with the views Take gave: the chunks it emptied, and
  // the retired ones, become free.
  void Recycle();
  // Spans queued now (those of a chunk the worker is reading included).
  size_t spans() const;
  // Shutdown, with the worker gone: forgets what is queued, moving the
  // records it held to `held`.
  void Clear(std::vector<SpanRecord*>* held);

 private:
  std::unique_ptr<SpanChunk> EmptyLocked();

  struct Queued {
    std::unique_ptr<SpanChunk> chunk;
    uint32_t begin = 0;  // the next entry to take
    uint32_t spans = 0;  // entries left from `begin`
  };
  const size_t max_spans_;
  const size_t min_free_;
  mutable std::mutex mu_;
  Fifo<Queued> queue_;                               // guarded by mu_
  size_t spans_ = 0;                                 // in queue_ and reading; guarded by mu_
  std::vector<std::unique_ptr<SpanChunk>> retired_;  // not free yet; guarded by mu_
  Fifo<std::unique_ptr<SpanChunk>> free_;            // guarded by mu_
  // Worker-only: the chunk it is reading (taken off queue_), and those it
  // has read since the last Recycle.
  Queued reading_{nullptr, 0, 0};
  std::vector<std::unique_ptr<SpanChunk>> read_;
};

}  // namespace rubato::sdk
