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
  bool ReadKey(uint32_t* field, WireType* type);
  bool ReadVarint(uint64_t* v) {
    if (p_ < end_ && static_cast<uint8_t>(*p_) < 0x80) {  // one-byte fast path
      *v = static_cast<uint8_t>(*p_++);
      return true;
    }
    return ReadVarintSlow(v);
  }
  bool ReadFixed32(uint32_t* v) { return ReadRaw(v, 4); }
  bool ReadFixed64(uint64_t* v) { return ReadRaw(v, 8); }
  // Reads a length-delimited payload as a view of the borrowed bytes.
  bool ReadBytes(std::string_view* out);
  // Skips a value of the given wire type (used for unknown fields).
  bool Skip(WireType type);

  // Reads the value of a known field, checking that it came with the expected wire type.
  bool Expect(WireType got, WireType want, uint32_t field);

  // Records a failure at the current offset, unless one is already recorded.
  bool Fail(std::string message);
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

 private:
  bool ReadVarintSlow(uint64_t* v);
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
