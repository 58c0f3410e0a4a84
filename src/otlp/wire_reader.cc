#include "otlp/wire_reader.h"

namespace rubato::otlp {

const char* WireTypeName(WireType t) {
  switch (t) {
    case WireType::kVarint: return "varint";
    case WireType::kFixed64: return "fixed64";
    case WireType::kLengthDelimited: return "length-delimited";
    case WireType::kStartGroup: return "start-group";
    case WireType::kEndGroup: return "end-group";
    case WireType::kFixed32: return "fixed32";
  }
  return "unknown";
}

bool WireReader::Fail(std::string message) {
  if (error_.empty()) {
    error_ = std::move(message);
    error_offset_ = offset();
  }
  return false;
}

bool WireReader::ReadVarintSlow(uint64_t* v) {
  const char* start = p_;
  uint64_t result = 0;
  for (int shift = 0;; shift += 7) {
    if (p_ >= end_) {
      p_ = start;  // errors point at the start of the varint
      return Fail("truncated varint");
    }
    uint8_t b = static_cast<uint8_t>(*p_++);
    if (shift == 63 && b > 1) {  // the tenth byte may only hold bit 63
      p_ = start;
      return Fail("varint overflows 64 bits");
    }
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) {
      *v = result;
      return true;
    }
  }
}

bool WireReader::ReadKeySlow(uint32_t* field, WireType* type) {
  uint64_t key;
  if (!ReadVarint(&key)) return false;
  uint64_t number = key >> 3;
  uint8_t wt = key & 7;
  if (number == 0 || number > 536870911) return Fail("invalid field number " + std::to_string(number));
  if (wt == 3 || wt == 4) return Fail("groups (wire type " + std::to_string(wt) + ") are not supported");
  if (wt > 5) return Fail("invalid wire type " + std::to_string(wt));
  *field = static_cast<uint32_t>(number);
  *type = static_cast<WireType>(wt);
  return true;
}

bool WireReader::ReadBytesSlow(std::string_view* out) {
  uint64_t len;
  if (!ReadVarint(&len)) return false;
  if (len > static_cast<uint64_t>(end_ - p_)) {
    return Fail("length " + std::to_string(len) + " runs past the end of its message (" +
                std::to_string(end_ - p_) + " bytes left)");
  }
  *out = std::string_view(p_, len);
  p_ += len;
  return true;
}

bool WireReader::SkipSlow(WireType type) {
  uint64_t u64;
  uint32_t u32;
  std::string_view sv;
  switch (type) {
    case WireType::kVarint: return ReadVarint(&u64);
    case WireType::kFixed64: return ReadFixed64(&u64);
    case WireType::kFixed32: return ReadFixed32(&u32);
    case WireType::kLengthDelimited: return ReadBytes(&sv);
    default: return Fail("cannot skip wire type " + std::to_string(static_cast<int>(type)));
  }
}

bool WireReader::ExpectFailed(WireType got, WireType want, uint32_t field) {
  return Fail("field " + std::to_string(field) + " has wire type " + WireTypeName(got) + ", expected " +
              WireTypeName(want));
}

}  // namespace rubato::otlp
