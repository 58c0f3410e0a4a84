// Trace and span identifiers: fixed-size byte arrays with hex parse and format.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::model {

// N bytes of identifier. All-zero is the "absent/invalid" value, as in W3C Trace Context.
template <size_t N>
struct Id {
  std::array<uint8_t, N> bytes{};

  static constexpr size_t kSize = N;

  // Parses exactly 2*N hex digits, either case.
  static Result<Id> FromHex(std::string_view hex);
  // Copies exactly N bytes; any other length is an error.
  static Result<Id> FromBytes(std::string_view raw);

  std::string ToHex() const;  // lowercase
  void AppendHex(std::string* out) const;
  std::string_view AsBytes() const { return {reinterpret_cast<const char*>(bytes.data()), N}; }
  bool IsZero() const {
    for (uint8_t b : bytes) if (b != 0) return false;
    return true;
  }
  auto operator<=>(const Id&) const = default;
  bool operator==(const Id&) const = default;
};

using TraceId = Id<16>;
using SpanId = Id<8>;

// Hash for unordered containers. IDs are random (W3C requires it), so their
// first bytes already are a good hash.
struct IdHash {
  template <size_t N>
  size_t operator()(const Id<N>& id) const {
    size_t h;
    std::memcpy(&h, id.bytes.data(), sizeof h);
    return h;
  }
};

// Decodes one hex digit; returns -1 when c is not hex.
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);  // fold case
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

template <size_t N>
Result<Id<N>> Id<N>::FromHex(std::string_view hex) {
  if (hex.size() != 2 * N) {
    return Status::InvalidArgument("id must be " + std::to_string(2 * N) + " hex digits, got " +
                                   std::to_string(hex.size()));
  }
  Id id;
  for (size_t i = 0; i < N; ++i) {
    int hi = HexDigitValue(hex[2 * i]);
    int lo = HexDigitValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      size_t at = hi < 0 ? 2 * i : 2 * i + 1;
      return Status::InvalidArgument("id has a non-hex character at position " + std::to_string(at));
    }
    id.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return id;
}

template <size_t N>
Result<Id<N>> Id<N>::FromBytes(std::string_view raw) {
  if (raw.size() != N) {
    return Status::InvalidArgument("id must be " + std::to_string(N) + " bytes, got " +
                                   std::to_string(raw.size()));
  }
  Id id;
  std::memcpy(id.bytes.data(), raw.data(), N);
  return id;
}

template <size_t N>
void Id<N>::AppendHex(std::string* out) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (uint8_t b : bytes) {
    out->push_back(kDigits[b >> 4]);
    out->push_back(kDigits[b & 15]);
  }
}

template <size_t N>
std::string Id<N>::ToHex() const {
  std::string s;
  s.reserve(2 * N);
  AppendHex(&s);
  return s;
}

}  // namespace rubato::model
