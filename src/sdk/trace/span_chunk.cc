#include "sdk/trace/span_chunk.h"

namespace rubato::sdk {

SpanChunk::Added SpanChunk::AppendHeld(SpanRecord* record) {
  constexpr uint32_t bytes = sizeof(EntryHeader) + sizeof(SpanRecord*);
  if (spans_ == kMaxSpans || bytes > kBytes - used_) return Added::kFull;
  std::byte* p = bytes_ + used_;
  new (p) EntryHeader{bytes, 0, 0, 1};
  new (p + sizeof(EntryHeader)) SpanRecord*(record);
  used_ += bytes;
  ++spans_;
  ++held_;
  return Added::kHeld;
}

SpanView SpanChunk::At(uint32_t offset, uint32_t* next) const {
  const std::byte* p = bytes_ + offset;
  const auto* h = std::launder(reinterpret_cast<const EntryHeader*>(p));
  *next = offset + h->bytes;
  if (h->held != 0) return SpanView::Of(**std::launder(reinterpret_cast<SpanRecord* const*>(p + sizeof(EntryHeader))));
  const std::byte* attributes = p + kCopyFixedBytes;
  const std::byte* strings = attributes + h->attribute_count * sizeof(StoredAttribute);
  return {std::launder(reinterpret_cast<const SpanHead*>(p + sizeof(EntryHeader))),
          std::launder(reinterpret_cast<const StoredAttribute*>(attributes)),
          h->attribute_count,
          reinterpret_cast<const char*>(strings),
          h->string_bytes,
          nullptr};
}

}  // namespace rubato::sdk
