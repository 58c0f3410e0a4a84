#include "sdk/trace/chunk_queue.h"

namespace rubato::sdk {

std::unique_ptr<SpanChunk> ChunkQueue::Push(std::unique_ptr<SpanChunk>& chunk, uint32_t begin, uint32_t spans,
                                            size_t* queued) {
  std::lock_guard lock(mu_);
  *queued = spans_;
  if (spans > max_spans_ - spans_) return nullptr;
  if (spans == 0) {
    retired_.push_back(std::move(chunk));
  } else {
    spans_ += spans;
    *queued = spans_;
    queue_.push_back({std::move(chunk), begin, spans});
  }
  return EmptyLocked();
}

void ChunkQueue::Retire(std::unique_ptr<SpanChunk> chunk) {
  std::lock_guard lock(mu_);
  retired_.push_back(std::move(chunk));
}

std::unique_ptr<SpanChunk> ChunkQueue::Empty() {
  std::lock_guard lock(mu_);
  return EmptyLocked();
}

std::unique_ptr<SpanChunk> ChunkQueue::EmptyLocked() {
  if (free_.size() < min_free_ || free_.empty()) return std::make_unique<SpanChunk>();
  std::unique_ptr<SpanChunk> chunk = std::move(free_.front());
  free_.pop_front();
  return chunk;
}

size_t ChunkQueue::Take(std::vector<SpanView>* out, size_t max) {
  size_t moved = 0;
  while (moved < max) {
    if (!reading_.chunk) {
      std::lock_guard lock(mu_);
      if (queue_.empty()) break;
      reading_ = std::move(queue_.front());
      queue_.pop_front();
    }
    for (; reading_.spans > 0 && moved < max; --reading_.spans, ++moved) {
      out->push_back(reading_.chunk->At(reading_.begin, &reading_.begin));
    }
    if (reading_.spans == 0) read_.push_back(std::move(reading_.chunk));
  }
  std::lock_guard lock(mu_);
  spans_ -= moved;
  return moved;
}

void ChunkQueue::Recycle() {
  std::lock_guard lock(mu_);
  for (auto* list : {&read_, &retired_}) {
    for (std::unique_ptr<SpanChunk>& chunk : *list) {
      chunk->Reset();
      free_.push_back(std::move(chunk));
    }
    list->clear();
  }
}

size_t ChunkQueue::spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

void ChunkQueue::Clear(std::vector<SpanRecord*>* held) {
  std::lock_guard lock(mu_);
  if (reading_.chunk) reading_.chunk->HeldRecords(reading_.begin, reading_.chunk->used(), held);
  reading_ = {nullptr, 0, 0};
  for (const Queued& q : queue_) q.chunk->HeldRecords(q.begin, q.chunk->used(), held);
  queue_.clear();
  spans_ = 0;
}

}  // namespace rubato::sdk
