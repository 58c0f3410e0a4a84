// RecordQueue: a bounded lock-free queue of ended SpanRecords (Vyukov's
// array queue: one compare-and-swap per push, none per pop for the single
// consumer). A batch processor whose queue is too small to stage chunks
// (span_chunk.h) has its application threads push here; its worker pops.
// A full queue refuses the push at once, so ending a span never waits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sdk/trace/span_record.h"

namespace rubato::sdk {

class RecordQueue {
 public:
  explicit RecordQueue(size_t capacity) : capacity_(capacity), slots_(new Slot[capacity]) {
    for (size_t i = 0; i < capacity; ++i) slots_[i].sequence.store(i, std::memory_order_relaxed);
  }

  size_t capacity() const { return capacity_; }

  // False when full. On success, *position is the record's place in the
  // stream of everything ever pushed (0, 1, 2, ...).
  bool TryPush(SpanRecord* record, uint64_t* position) {
    uint64_t pos = enqueue_.load(std::memory_order_relaxed);
    Slot* slot;
    while (true) {
      slot = &slots_[pos % capacity_];
      uint64_t seq = slot->sequence.load(std::memory_order_acquire);
      auto diff = static_cast<int64_t>(seq - pos);
      if (diff == 0) {
        if (enqueue_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      } else if (diff < 0) {
        return false;  // the slot still holds the record from one lap ago: full
      } else {
        pos = enqueue_.load(std::memory_order_relaxed);
      }
    }
    slot->record = record;
    slot->sequence.store(pos + 1, std::memory_order_release);
    *position = pos;
    return true;
  }

  // Single consumer. Null when empty, or when the next record's push has
  // claimed its slot but not yet written it.
  SpanRecord* TryPop() {
    uint64_t pos = dequeue_.load(std::memory_order_relaxed);
    Slot& slot = slots_[pos % capacity_];
    if (slot.sequence.load(std::memory_order_acquire) != pos + 1) return nullptr;
    SpanRecord* record = slot.record;
    dequeue_.store(pos + 1, std::memory_order_relaxed);
    slot.sequence.store(pos + capacity_, std::memory_order_release);
    return record;
  }

  // Records popped so far (the consumer's position).
  uint64_t popped() const { return dequeue_.load(std::memory_order_relaxed); }

  // Pushes claimed minus pops: exact when no push is in flight.
  size_t SizeApprox() const {
    uint64_t head = dequeue_.load(std::memory_order_relaxed);
    uint64_t tail = enqueue_.load(std::memory_order_relaxed);
    return tail > head ? static_cast<size_t>(tail - head) : 0;
  }

 private:
  struct Slot {
    std::atomic<uint64_t> sequence{0};
    SpanRecord* record = nullptr;
  };
  const size_t capacity_;
  std::unique_ptr<Slot[]> slots_;
  alignas(64) std::atomic<uint64_t> enqueue_{0};
  alignas(64) std::atomic<uint64_t> dequeue_{0};
};

}  // namespace rubato::sdk
