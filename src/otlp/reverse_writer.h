// Builds protobuf bytes back to front, so every length prefix is known when it
// is written: one pass, no size pre-computation, no moving of payloads.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace rubato::otlp {

class ReverseWriter {
 public:
  explicit ReverseWriter(size_t initial_capacity = 4096);

  size_t size() const { return static_cast<size_t>(end_ - head_); }
  std::string_view view() const { return {head_, size()}; }
  std::string Take() const { return std::string(view()); }
  void Clear() { head_ = end_; }

  void PrependVarint(uint64_t v) {
    char tmp[10];
    size_t n = 0;
    while (v >= 0x80) {
      tmp[n++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    tmp[n++] = static_cast<char>(v);
    PrependRaw(tmp, n);
  }
  void PrependKey(uint32_t field, uint8_t wire_type) { PrependVarint(static_cast<uint64_t>(field) << 3 | wire_type); }
  void PrependFixed32(uint32_t v) { PrependRaw(&v, 4); }
  void PrependFixed64(uint64_t v) { PrependRaw(&v, 8); }
  void PrependRaw(const void* p, size_t n) {
    if (n == 0) return;  // p may be null then, which memcpy does not allow
    if (static_cast<size_t>(head_ - begin_.get()) < n) Grow(n);
    head_ -= n;
    std::memcpy(head_, p, n);
  }

  // Field helpers, each written whole (value, then key in front).
  void Bytes(uint32_t field, std::string_view s) {
    PrependRaw(s.data(), s.size());
    PrependVarint(s.size());
    PrependKey(field, 2);
  }
  void Varint(uint32_t field, uint64_t v) { PrependVarint(v); PrependKey(field, 0); }
  void Fixed32(uint32_t field, uint32_t v) { PrependFixed32(v); PrependKey(field, 5); }
  void Fixed64(uint32_t field, uint64_t v) { PrependFixed64(v); PrependKey(field, 1); }
  // Closes a nested message whose payload was written since `mark` (a size()).
  void EndMessage(uint32_t field, size_t mark) {
    PrependVarint(size() - mark);
    PrependKey(field, 2);
  }

 private:
  void Grow(size_t need);
  std::unique_ptr<char[]> begin_;
  size_t capacity_;
  char* end_;
  char* head_;
};

}  // namespace rubato::otlp
