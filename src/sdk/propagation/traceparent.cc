#include "sdk/propagation/traceparent.h"

#include "sdk/trace/env_values.h"

namespace rubato::sdk {

namespace {

constexpr size_t kVersion00Size = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2
constexpr uint8_t kKnownFlags = SpanContext::kSampled | SpanContext::kRandom;

int LowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper-case hex is not HEXDIGLC
}

// Decodes exactly N bytes of lower-case hex.
template <size_t N>
bool DecodeHex(std::string_view hex, uint8_t (&out)[N]) {
  for (size_t i = 0; i < N; ++i) {
    int hi = LowerHexValue(hex[2 * i]);
    int lo = LowerHexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

template <size_t N>
bool DecodeId(std::string_view hex, model::Id<N>* id) {
  uint8_t bytes[N];
  if (!DecodeHex(hex, bytes)) return false;
  for (size_t i = 0; i < N; ++i) id->bytes[i] = bytes[i];
  return !id->IsZero();  // all zeroes is forbidden for both IDs
}

}  // namespace

std::optional<TraceParent> ParseTraceParent(std::string_view header) {
  // HTTP strips optional whitespace around a field value; so do we.
  std::string_view h = TrimOws(header);
  // The version prefix: 2 lower-case hex digits and a dash, else restart.
  if (h.size() < 3 || h[2] != '-') return std::nullopt;
  uint8_t version[1];
  if (!DecodeHex(h.substr(0, 2), version)) return std::nullopt;
  if (version[0] == 0xff) return std::nullopt;  // forbidden version
  if (h.size() < kVersion00Size) return std::nullopt;
  if (version[0] == 0x00) {
    if (h.size() != kVersion00Size) return std::nullopt;  // version 00 has exactly four fields
  } else if (h.size() > kVersion00Size && h[kVersion00Size] != '-') {
    return std::nullopt;  // a higher version may add fields, each after a dash
  }
  if (h[35] != '-' || h[52] != '-') return std::nullopt;
  TraceParent tp;
  uint8_t flags[1];
  if (!DecodeId(h.substr(3, 32), &tp.trace_id) || !DecodeId(h.substr(36, 16), &tp.parent_id) ||
      !DecodeHex(h.substr(53, 2), flags)) {
    return std::nullopt;
  }
  tp.trace_flags = flags[0];
  return tp;
}

std::string FormatTraceParent(const SpanContext& context) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(kVersion00Size);
  out += "00-";
  context.trace_id.AppendHex(&out);
  out.push_back('-');
  context.span_id.AppendHex(&out);
  out.push_back('-');
  uint8_t flags = context.trace_flags & kKnownFlags;
  out.push_back(kDigits[flags >> 4]);
  out.push_back(kDigits[flags & 15]);
  return out;
}

}  // namespace rubato::sdk
