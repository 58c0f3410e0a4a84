#include "otlp/base64.h"

#include <array>
#include <cstdint>

namespace rubato::otlp {
namespace {

constexpr char kStdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Maps both alphabets to 6-bit values; everything else to kInvalid.
constexpr uint8_t kInvalid = 0xff;
constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(kStdAlphabet[i])] = i;
  t['-'] = 62;  // URL-safe alphabet
  t['_'] = 63;
  return t;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

void Base64Encode(std::string_view in, std::string* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(in.data());
  size_t n = in.size();
  size_t start = out->size();
  out->resize(start + (n + 2) / 3 * 4);
  char* o = out->data() + start;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = uint32_t{p[i]} << 16 | uint32_t{p[i + 1]} << 8 | p[i + 2];
    *o++ = kStdAlphabet[v >> 18];
    *o++ = kStdAlphabet[(v >> 12) & 63];
    *o++ = kStdAlphabet[(v >> 6) & 63];
    *o++ = kStdAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{p[i]} << 16;
    *o++ = kStdAlphabet[v >> 18];
    *o++ = kStdAlphabet[(v >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (n - i == 2) {
    uint32_t v = uint32_t{p[i]} << 16 | uint32_t{p[i + 1]} << 8;
    *o++ = kStdAlphabet[v >> 18];
    *o++ = kStdAlphabet[(v >> 12) & 63];
    *o++ = kStdAlphabet[(v >> 6) & 63];
    *o++ = '=';
  }
}

Base64Result Base64Decode(std::string_view in, char* out) {
  size_t n = in.size();
  // Padding may only close the final quantum: strip up to two '=' there.
  size_t data_len = n;
  if (n % 4 == 0 && n > 0 && in[n - 1] == '=') data_len -= (in[n - 2] == '=') ? 2 : 1;
  size_t o = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < data_len; ++i) {
    uint8_t v = kDecode[static_cast<uint8_t>(in[i])];
    if (v == kInvalid) return {false, 0, i};
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // A lone final character carries 6 bits: not even one byte.
  if (data_len % 4 == 1) return {false, 0, data_len - 1};
  return {true, o, 0};
}

}  // namespace rubato::otlp
