// Builds protobuf bytes by hand for the load tests (responses, google.rpc.Status).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rubato::load::wire {

inline void Varint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
inline std::string VarintField(uint32_t field, uint64_t v) {
  std::string out;
  Varint(&out, uint64_t{field} << 3);
  Varint(&out, v);
  return out;
}
inline std::string BytesField(uint32_t field, std::string_view payload) {
  std::string out;
  Varint(&out, (uint64_t{field} << 3) | 2);
  Varint(&out, payload.size());
  out.append(payload);
  return out;
}
// ExportTraceServiceResponse{partial_success{rejected_spans, error_message}}.
inline std::string PartialSuccessResponse(int64_t rejected, std::string_view message) {
  std::string inner = VarintField(1, static_cast<uint64_t>(rejected));
  if (!message.empty()) inner += BytesField(2, message);
  return BytesField(1, inner);
}
// google.rpc.Status{code, message, details=[Any{RetryInfo{retry_delay}}]}.
inline std::string RpcStatusWithRetry(int code, std::string_view message, int64_t seconds, int32_t nanos) {
  std::string duration;
  if (seconds) duration += VarintField(1, static_cast<uint64_t>(seconds));
  if (nanos) duration += VarintField(2, static_cast<uint64_t>(nanos));
  std::string any = BytesField(1, "type.googleapis.com/google.rpc.RetryInfo") + BytesField(2, BytesField(1, duration));
  return VarintField(1, static_cast<uint64_t>(code)) + BytesField(2, message) + BytesField(3, any);
}

}  // namespace rubato::load::wire
