#include "store/wal/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace rubato::store::wal {
namespace {

constexpr uint32_t kPoly = 0x82F63B78;  // reflected Castagnoli polynomial

// kTables[k][b]: the CRC of byte b followed by k zero bytes; slicing-by-8
// consumes 8 input bytes per step with 8 independent look-ups.
using Tables = std::array<std::array<uint32_t, 256>, 8>;
constexpr Tables MakeTables() {
  Tables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int i = 0; i < 8; ++i) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
    t[0][b] = c;
  }
  for (int k = 1; k < 8; ++k)
    for (uint32_t b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  return t;
}
constexpr Tables kTables = MakeTables();

uint64_t Load64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);  // the table walk below assumes a little-endian host, as the WAL does
  return v;
}

}  // namespace

uint32_t Crc32cPortable(uint32_t crc, const void* data, size_t n) {
  auto p = static_cast<const unsigned char*>(data);
  uint32_t c = ~crc;
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t v = Load64(p) ^ c;
    c = kTables[7][v & 0xFF] ^ kTables[6][(v >> 8) & 0xFF] ^ kTables[5][(v >> 16) & 0xFF] ^
        kTables[4][(v >> 24) & 0xFF] ^ kTables[3][(v >> 32) & 0xFF] ^ kTables[2][(v >> 40) & 0xFF] ^
        kTables[1][(v >> 48) & 0xFF] ^ kTables[0][v >> 56];
  }
  for (; n > 0; --n, ++p) c = (c >> 8) ^ kTables[0][(c ^ *p) & 0xFF];
  return ~c;
}

namespace {

// Multiplication modulo the polynomial, in the reflected bit order (zlib's
// multmodp): what combining CRCs of consecutive pieces needs.
uint32_t MultModP(uint32_t a, uint32_t b) {
  uint32_t m = 1u << 31, p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ kPoly : b >> 1;
  }
  return p;
}

// x^(8 * n) modulo the polynomial: multiplying a CRC state by it appends n zero bytes.
uint32_t ShiftBytes(uint64_t n) {
  uint32_t power = 1u << 30;  // x^1
  uint32_t result = 1u << 31;  // x^0
  for (uint64_t bits = n * 8; bits; bits >>= 1) {
    if (bits & 1) result = MultModP(power, result);
    power = MultModP(power, power);
  }
  return result;
}

// Lane length of the three-way hardware loop, and the shift that joins lanes.
constexpr size_t kLane = 4096;
const uint32_t kLaneShift = ShiftBytes(kLane);

}  // namespace

#if defined(__x86_64__)
// Compiled for SSE4.2 regardless of the project's baseline flags (-O2, no
// -march): only ever called after the run-time check below.
//
// The crc32 instruction takes 3 cycles but can start every cycle, so one
// dependency chain runs at a third of its speed: blocks of 3 x 4 KiB go as
// three independent lanes whose states are then joined (state(a b) =
// state(a) * x^(8|b|) + state_from_zero(b)). A WAL record of a 1,024-span
// request is ~390 KB; its CRC was 4.5 % of the receivers' CPU.
__attribute__((target("sse4.2"))) uint32_t Crc32cHardware(uint32_t crc, const void* data, size_t n) {
  auto p = static_cast<const unsigned char*>(data);
  uint64_t c = ~crc;
  for (; n >= 3 * kLane; n -= 3 * kLane, p += 3 * kLane) {
    uint64_t c1 = 0, c2 = 0;
    for (size_t i = 0; i < kLane; i += 8) {
      c = _mm_crc32_u64(c, Load64(p + i));
      c1 = _mm_crc32_u64(c1, Load64(p + kLane + i));
      c2 = _mm_crc32_u64(c2, Load64(p + 2 * kLane + i));
    }
    uint32_t joined = MultModP(kLaneShift, static_cast<uint32_t>(c)) ^ static_cast<uint32_t>(c1);
    c = MultModP(kLaneShift, joined) ^ static_cast<uint32_t>(c2);
  }
  for (; n >= 8; n -= 8, p += 8) c = _mm_crc32_u64(c, Load64(p));
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; n > 0; --n, ++p) c32 = _mm_crc32_u8(c32, *p);
  return ~c32;
}
bool HaveHardwareCrc32c() {
  static const bool have = __builtin_cpu_supports("sse4.2");
  return have;
}
#else
uint32_t Crc32cHardware(uint32_t crc, const void* data, size_t n) { return Crc32cPortable(crc, data, n); }
bool HaveHardwareCrc32c() { return false; }
#endif

uint32_t Crc32c(uint32_t crc, const void* data, size_t n) {
  return HaveHardwareCrc32c() ? Crc32cHardware(crc, data, n) : Crc32cPortable(crc, data, n);
}

}  // namespace rubato::store::wal
