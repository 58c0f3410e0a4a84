// Internals shared by the row-group encoder and decoder (docs/format/block.md,
// "Columns" and "The generic attribute stream"): value tags, run layouts,
// the dedicated-column list, UUID text <-> bytes, fixed-width integers, and
// the span-time reference modes.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "store/block/encoding.h"
#include "store/block/format.h"

namespace rubato::store::block::rg {

// Tags of a tagged value: model::ValueKind (0-7), then two that only the
// format has: a string that is a canonical UUID, stored as its 16 bytes.
inline constexpr uint8_t kTagUuidLower = 8;  // "0123abcd-…" (digits and a-f)
inline constexpr uint8_t kTagUuidUpper = 9;  // "0123ABCD-…" (digits and A-F)
inline constexpr uint8_t kTagCount = 10;

// How a run of attribute values is laid out. Every layout but kTagged is
// fixed width, so the decoder finds entry k of a run at k × width without
// parsing the entries before it.
enum Layout : uint8_t {
  kLayoutTagged = 0,     // entries are tagged values (any kind, any nesting)
  kLayoutString = 1,     // dictionary code, `width` bytes LE
  kLayoutBytes = 2,      // dictionary code, `width` bytes LE
  kLayoutInt = 3,        // zig-zag, `width` bytes LE
  kLayoutDouble = 4,     // 8 bytes IEEE 754 LE
  kLayoutBool = 5,       // 1 byte, 0 or 1
  kLayoutUuidLower = 6,  // 16 bytes, rendered as lowercase canonical text
  kLayoutUuidUpper = 7,  // 16 bytes, rendered as uppercase canonical text
  kLayoutCount = 8,
};
// Or'ed into a run's layout byte: the payload starts with a bitmap, one bit
// per entry (LSB first), set when the entry repeats the previous entry's
// value; only the entries whose bit is clear store a value. Used for values
// of 8 bytes or more (UUIDs, doubles), which a trace repeats span after span.
inline constexpr uint8_t kLayoutRepeats = 0x80;
inline constexpr uint32_t kRepeatsMinWidth = 8;

inline constexpr bool LayoutHasWidth(uint8_t l) { return l == kLayoutString || l == kLayoutBytes || l == kLayoutInt; }
inline constexpr uint32_t LayoutFixedWidth(uint8_t l) {
  return l == kLayoutDouble ? 8 : l == kLayoutBool ? 1 : (l == kLayoutUuidLower || l == kLayoutUuidUpper) ? 16 : 0;
}

// The semantic-convention attributes with a column of their own, and the one
// layout that column holds (block.md "Dedicated attribute columns").
struct DedicatedKey {
  std::string_view key;
  Column column;
  Layout layout;
};
inline constexpr DedicatedKey kDedicatedKeys[] = {
    {"http.request.method", kAttrHttpRequestMethod, kLayoutString},
    {"http.route", kAttrHttpRoute, kLayoutString},
    {"http.response.status_code", kAttrHttpResponseStatusCode, kLayoutInt},
    {"url.path", kAttrUrlPath, kLayoutString},
    {"url.full", kAttrUrlFull, kLayoutString},
    {"server.address", kAttrServerAddress, kLayoutString},
    {"server.port", kAttrServerPort, kLayoutInt},
    {"client.address", kAttrClientAddress, kLayoutString},
    {"db.system", kAttrDbSystem, kLayoutString},
    {"db.statement", kAttrDbStatement, kLayoutString},
    {"db.operation", kAttrDbOperation, kLayoutString},
    {"rpc.service", kAttrRpcService, kLayoutString},
    {"rpc.method", kAttrRpcMethod, kLayoutString},
    {"messaging.system", kAttrMessagingSystem, kLayoutString},
    {"error.type", kAttrErrorType, kLayoutString},
    {"peer.service", kAttrPeerService, kLayoutString},
};
inline const DedicatedKey* FindDedicated(std::string_view key) {
  for (const DedicatedKey& d : kDedicatedKeys) if (d.key == key) return &d;
  return nullptr;
}
inline bool IsDedicatedColumn(uint16_t id) { return id >= kAttrHttpRequestMethod && id <= kAttrPeerService; }

// Span-time reference modes, one byte per row in span.time_ref: bits 0-1
// say what the start is relative to, bit 2 what the end is relative to.
// "Siblings" are earlier rows of the trace with the same span.parent code.
inline constexpr uint8_t kStartFromParent = 0;      // parent's start if an earlier row, else trace start
inline constexpr uint8_t kStartAfterSiblings = 1;   // latest end among earlier siblings
inline constexpr uint8_t kStartFromSibling = 2;     // start of the previous sibling
inline constexpr uint8_t kEndFromStart = 0;         // value = end − start (the duration)
inline constexpr uint8_t kEndFromParentEnd = 4;     // value = parent's end − end (parent an earlier row)

// Canonical UUID text: 8-4-4-4-12 hex digits, all letters one case.
// Returns kTagUuidLower, kTagUuidUpper, or 0 when `s` is not one (a UUID
// with digits only counts as lowercase: both render it the same).
// (Table-driven: the encoder asks once per distinct string value.)
namespace uuid_detail {
inline constexpr uint8_t kDigit = 1, kLower = 2, kUpper = 4, kOther = 8;
inline constexpr auto kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c >= '0' && c <= '9' ? kDigit : c >= 'a' && c <= 'f' ? kLower : c >= 'A' && c <= 'F' ? kUpper : kOther;
  }
  return t;
}();
inline constexpr auto kHex = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0;
  }
  return t;
}();
// Where each byte's two hex digits start in the text.
inline constexpr uint8_t kDigitPairs[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
}  // namespace uuid_detail
inline uint8_t UuidTag(std::string_view s) {
  using namespace uuid_detail;
  if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-') return 0;
  uint8_t seen = 0;
  for (uint8_t at : kDigitPairs) seen |= kClass[static_cast<uint8_t>(s[at])] | kClass[static_cast<uint8_t>(s[at + 1])];
  if ((seen & kOther) != 0 || (seen & (kLower | kUpper)) == (kLower | kUpper)) return 0;
  return (seen & kUpper) != 0 ? kTagUuidUpper : kTagUuidLower;
}
// `s` must be canonical (UuidTag != 0), so every digit is valid hex.
inline void UuidToBytes(std::string_view s, char out[16]) {
  using namespace uuid_detail;
  for (int i = 0; i < 16; ++i) {
    uint8_t at = kDigitPairs[i];
    out[i] = static_cast<char>(kHex[static_cast<uint8_t>(s[at])] << 4 | kHex[static_cast<uint8_t>(s[at + 1])]);
  }
}
inline void UuidToText(const char in[16], bool upper, char out[36]) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int o = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
    uint8_t b = static_cast<uint8_t>(in[i]);
    out[o++] = digits[b >> 4];
    out[o++] = digits[b & 15];
  }
}

// Bytes needed for `max` as a fixed-width little-endian integer (1-8).
inline uint32_t ByteWidth(uint64_t max) {
  uint32_t width = 1;
  while (width < 8 && (max >> (8 * width)) != 0) ++width;
  return width;
}
inline void PutLe(std::string* out, uint64_t v, uint32_t width) {
  char b[8];
  std::memcpy(b, &v, 8);  // little-endian hosts only, as PutFixed
  out->append(b, width);
}
inline uint64_t GetLe(const char* p, uint32_t width) {
  uint64_t v = 0;
  std::memcpy(&v, p, width);
  return v;
}

// Number of bytes below 0x80 in a word: each ends one uvarint. (A multiply
// sums the eight 0/1 flags; -O2 without -mpopcnt makes popcount a libcall.)
inline uint64_t VarintEnds(uint64_t w) {
  uint64_t ends = (~w & 0x8080808080808080ull) >> 7;
  return (ends * 0x0101010101010101ull) >> 56;
}

// Advances past n uvarints without decoding them; false when the column
// ends first. Eight bytes at a time.
inline bool SkipUvarints(ByteReader& r, uint64_t n) {
  const auto* p = reinterpret_cast<const uint8_t*>(r.ptr());
  size_t size = r.remaining(), i = 0;
  while (n >= 8 && size - i >= 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    n -= VarintEnds(w);  // at most 8 and n >= 8: no underflow
    i += 8;
  }
  for (; n > 0 && i < size; ++i) n -= p[i] < 0x80;
  if (n > 0) return r.Fail(), false;
  r.Bytes(i);
  return true;
}

// Like SkipUvarints, and returns how many of the n uvarints equal `value`
// (below 0x80, so a one-byte uvarint).
inline uint64_t SkipUvarintsCounting(ByteReader& r, uint64_t n, uint8_t value) {
  const auto* p = reinterpret_cast<const uint8_t*>(r.ptr());
  size_t size = r.remaining(), i = 0;
  uint64_t found = 0;
  bool at_start = true;
  for (; n > 0 && i < size; ++i) {
    found += at_start && p[i] == value;
    at_start = p[i] < 0x80;
    n -= at_start;
  }
  if (n > 0) return r.Fail(), 0;
  r.Bytes(i);
  return found;
}

// Clear bits among bits [from, to) of an LSB-first bitmap. (SWAR popcount:
// -O2 without -mpopcnt makes std::popcount a libcall.)
inline uint64_t Popcount(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ull;
  x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
  return (x * 0x0101010101010101ull) >> 56;
}
inline uint64_t ClearBits(const uint8_t* bitmap, uint64_t from, uint64_t to) {
  uint64_t set = 0, i = from;
  for (; i < to && (i & 7) != 0; ++i) set += bitmap[i >> 3] >> (i & 7) & 1;
  for (; i + 64 <= to; i += 64) {
    uint64_t w;
    std::memcpy(&w, bitmap + (i >> 3), 8);
    set += Popcount(w);
  }
  for (; i < to; ++i) set += bitmap[i >> 3] >> (i & 7) & 1;
  return (to - from) - set;
}

// A uvarint, with the one-byte case (most codes) inline.
inline uint64_t ReadUvarint(ByteReader& r) {
  if (r.remaining() > 0) {
    uint8_t b = static_cast<uint8_t>(*r.ptr());
    if (b < 0x80) {
      r.Bytes(1);
      return b;
    }
  }
  return r.Uvarint();
}

}  // namespace rubato::store::block::rg
