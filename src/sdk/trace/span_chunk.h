// SpanChunk: spans ended on one thread on their way to the batch processor's
// worker, back to back in one block. A span with only what every span has
// (no events, links, arrays, status message...: see
// SpanRecord::OnlyHeadAttributesAndStrings) is copied in, head, attributes
// and strings, so its record goes back to the pool at once while
// it is still in the recording core's cache; any other span is kept as its
// record ("held"). The worker then reads memory that one core wrote front to
// back, instead of the scattered lines of records it would hand back for the
// recording core to fetch again, line by line, on the next spans.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include "sdk/trace/batch_builder.h"
#include "sdk/trace/span_record.h"

namespace rubato::sdk {

class SpanChunk {
 public:
  static constexpr uint32_t kBytes = 16 * 1024;
  // At most this many spans per chunk: the batch processor stages only when
  // its queue and batches are large next to it.
  static constexpr uint32_t kMaxSpans = 64;
  // Larger spans are held, so that any copy fits an empty chunk.
  static constexpr uint32_t kMaxCopiedAttributes = 128;
  static constexpr uint32_t kMaxCopiedStringBytes = 4096;

  enum class Added { kFull, kCopied, kHeld };

  // Leaves the bytes as they are (value-initializing would write 16 KiB):
  // an entry is always written before it is read.
  SpanChunk() {}

  // Appends the span: a copy (the caller may then release the record) or
  // the record itself. kFull, appending nothing, when there is no room.
  Added Append(SpanRecord* record) {
    const uint32_t attributes = record->attributes.size();
    const size_t string_bytes = record->strings.size();
    if (attributes > kMaxCopiedAttributes || string_bytes > kMaxCopiedStringBytes ||
        !record->OnlyHeadAttributesAndStrings()) [[unlikely]] {
      return AppendHeld(record);
    }
    const uint32_t attribute_bytes = attributes * static_cast<uint32_t>(sizeof(StoredAttribute));
    const uint32_t bytes = kCopyFixedBytes + attribute_bytes + RoundUp(static_cast<uint32_t>(string_bytes));
    if (spans_ == kMaxSpans || bytes > kBytes - used_) return Added::kFull;
    std::byte* p = bytes_ + used_;
    new (p) EntryHeader{bytes, attributes, static_cast<uint32_t>(string_bytes), 0};
    new (p + sizeof(EntryHeader)) SpanHead(*record);
    CopyWords(p + kCopyFixedBytes, record->attributes.data(), attribute_bytes);
    std::memcpy(p + kCopyFixedBytes + attribute_bytes, record->strings.data(), string_bytes);
    used_ += bytes;
    ++spans_;
    return Added::kCopied;
  }

  // The span at `offset` (an entry boundary below used()); *next is where
  // the one after it starts.
  SpanView At(uint32_t offset, uint32_t* next) const;

  // Calls f(SpanRecord*) for each record held among the entries in bytes
  // [begin, end), in order.
  template <typename F>
  void ForEachHeld(uint32_t begin, uint32_t end, F f) const {
    for (uint32_t at = begin; at < end;) {
      SpanView v = At(at, &at);
      if (v.record != nullptr) f(const_cast<SpanRecord*>(v.record));
    }
  }
  void HeldRecords(uint32_t begin, uint32_t end, std::vector<SpanRecord*>* out) const {
    ForEachHeld(begin, end, [out](SpanRecord* r) { out->push_back(r); });
  }

  uint32_t used() const { return used_; }  // bytes of entries
  uint32_t spans() const { return spans_; }
  // Held entries (none: nothing to release). For the filling thread: others
  // go by what it has published, and walk the entries.
  uint32_t held() const { return held_; }
  void Reset() { used_ = spans_ = held_ = 0; }

 private:
  struct EntryHeader {
    uint32_t bytes;  // the whole entry, this header included: a multiple of 8
    uint32_t attribute_count;
    uint32_t string_bytes;
    uint32_t held;  // 1: a SpanRecord* follows instead of a copy
  };
  static constexpr uint32_t kCopyFixedBytes = sizeof(EntryHeader) + sizeof(SpanHead);
  static_assert(kCopyFixedBytes % alignof(StoredAttribute) == 0 && kCopyFixedBytes % 8 == 0);

  static uint32_t RoundUp(uint32_t n) { return (n + 7) & ~uint32_t{7}; }
  // 16 bytes at a time (`bytes` is a multiple of 8): for the few attributes a
  // span has, a memcpy of their total size is a string instruction (rep
  // movs) whose start-up costs more than the copy.
  static void CopyWords(std::byte* dst, const void* src, uint32_t bytes) {
    const auto* from = static_cast<const std::byte*>(src);
    uint32_t i = 0;
    for (; i + 16 <= bytes; i += 16) {
      std::byte block[16];
      std::memcpy(block, from + i, 16);
      std::memcpy(dst + i, block, 16);
    }
    if (i < bytes) {
      std::byte tail[8];
      std::memcpy(tail, from + i, 8);
      std::memcpy(dst + i, tail, 8);
    }
  }
  Added AppendHeld(SpanRecord* record);

  uint32_t used_ = 0;   // written by the filling thread only
  uint32_t spans_ = 0;  // written by the filling thread only
  uint32_t held_ = 0;   // held entries; written by the filling thread only
  alignas(64) std::byte bytes_[kBytes];
};

}  // namespace rubato::sdk
