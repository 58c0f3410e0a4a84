// Byte-level primitives of the block format (docs/format/block.md): varints,
// zig-zag, fixed little-endian integers, and a bounds-checked reader that
// records failure instead of throwing, so corrupt input is an error, not a crash.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace rubato::store::block {

inline void PutUvarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
inline uint64_t ZigZag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
inline int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }
inline void PutSvarint(std::string* out, int64_t v) { PutUvarint(out, ZigZag(v)); }
template <typename T>
inline void PutFixed(std::string* out, T v) {  // little-endian hosts only (x86-64, arm64)
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out->append(b, sizeof(T));
}

// Reads from a byte view; after any out-of-bounds or malformed read, ok() is
// false and every further read returns zero, so callers check once at the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}
  bool ok() const { return ok_; }
  bool done() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  void Fail() { ok_ = false; p_ = end_; }
  const char* ptr() const { return p_; }

  uint64_t Uvarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) break;
      uint8_t b = static_cast<uint8_t>(*p_++);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (b < 0x80) return v;
    }
    Fail();
    return 0;
  }
  int64_t Svarint() { return UnZigZag(Uvarint()); }
  uint32_t Uvarint32() {
    uint64_t v = Uvarint();
    if (v > UINT32_MAX) Fail();
    return ok_ ? static_cast<uint32_t>(v) : 0;
  }
  template <typename T>
  T Fixed() {
    T v{};
    if (remaining() < sizeof(T)) { Fail(); return v; }
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }
  std::string_view Bytes(size_t n) {
    if (remaining() < n) { Fail(); return {}; }
    std::string_view s(p_, n);
    p_ += n;
    return s;
  }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

}  // namespace rubato::store::block
