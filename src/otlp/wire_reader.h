// A bounds-checked reader of protobuf wire format over borrowed bytes.
// It never allocates and never throws: a failed read returns false and the
// reader remembers what went wrong and at which byte offset.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace rubato::otlp {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,  // deprecated groups: rejected
  kEndGroup = 4,
  kFixed32 = 5,
};

const char* WireTypeName(WireType t);

class WireReader {
 public:
  // Reads bytes [begin, end); offsets in errors count from origin (the start of the request).
  WireReader(const char* begin, const char* end, const char* origin)
      : p_(begin), end_(end), origin_(origin) {}

  bool done() const { return p_ >= end_; }
  size_t offset() const { return static_cast<size_t>(p_ - origin_); }
  const char* position() const { return p_; }

  // Reads a field key. Field number 0 and wire types 3, 4, 6 and 7 are errors.
  bool ReadKey(uint32_t* field, WireType* type) {
    // Fast path: a one-byte key (fields 1-15) with a valid wire type.
    if (p_ < end_) {
      uint8_t b = static_cast<uint8_t>(*p_);
      uint8_t wt = b & 7;
      if (b < 0x80 && (b >> 3) != 0 && (wt <= 2 || wt == 5)) {
        ++p_;
        *field = b >> 3;
        *type = static_cast<WireType>(wt);
        return true;
      }
    }
    return ReadKeySlow(field, type);
  }
  bool ReadVarint(uint64_t* v) {
    if (p_ < end_ && static_cast<uint8_t>(*p_) < 0x80) {  // one-byte fast path
      *v = static_cast<uint8_t>(*p_++);
      return true;
    }
    if (end_ - p_ >= 2 && static_cast<uint8_t>(p_[1]) < 0x80) {  // two bytes: lengths < 16 KiB, ports, statuses
      *v = (static_cast<uint8_t>(p_[0]) & 0x7f) | static_cast<uint64_t>(static_cast<uint8_t>(p_[1])) << 7;
      p_ += 2;
      return true;
    }
    return ReadVarintSlow(v);
  }
  bool ReadFixed32(uint32_t* v) { return ReadRaw(v, 4); }
  bool ReadFixed64(uint64_t* v) { return ReadRaw(v, 8); }
  // Reads a length-delimited payload as a view of the borrowed bytes.
  bool ReadBytes(std::string_view* out) {
    // Fast path: a one-byte length that fits.
    if (p_ < end_) {
      uint8_t len = static_cast<uint8_t>(*p_);
      if (len < 0x80 && len < end_ - p_) {
        *out = std::string_view(p_ + 1, len);
        p_ += 1 + len;
        return true;
      }
    }
    return ReadBytesSlow(out);
  }
  // Skips a value of the given wire type (used for unknown fields).
  bool Skip(WireType type) {
    uint64_t u64;
    std::string_view sv;
    switch (type) {
      case WireType::kVarint: return ReadVarint(&u64);
      case WireType::kLengthDelimited: return ReadBytes(&sv);
      case WireType::kFixed64: return ReadFixed64(&u64);
      default: return SkipSlow(type);
    }
  }

  // Reads the value of a known field, checking that it came with the expected wire type.
  bool Expect(WireType got, WireType want, uint32_t field) {
    return got == want || ExpectFailed(got, want, field);
  }

  // Records a failure at the current offset, unless one is already recorded.
  [[gnu::cold]] bool Fail(std::string message);
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

 private:
  bool ReadVarintSlow(uint64_t* v);
  bool ReadKeySlow(uint32_t* field, WireType* type);
  bool ReadBytesSlow(std::string_view* out);
  bool SkipSlow(WireType type);
  bool ExpectFailed(WireType got, WireType want, uint32_t field);
  template <typename T>
  bool ReadRaw(T* v, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return Fail("truncated fixed" + std::to_string(8 * n) + " value");
    std::memcpy(v, p_, n);  // protobuf is little-endian, as is every host we build for
    p_ += n;
    return true;
  }

  const char* p_;
  const char* end_;
  const char* origin_;
  std::string error_;
  size_t error_offset_ = 0;
};

}  // namespace rubato::otlp
