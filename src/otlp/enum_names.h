// The proto enum value names of Span.SpanKind and Status.StatusCode, as
// protobuf's JSON mapping writes them (and as JSON readers must accept them).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace rubato::otlp {

inline constexpr std::string_view kSpanKindNames[] = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
};

inline constexpr std::string_view kStatusCodeNames[] = {
    "STATUS_CODE_UNSET",
    "STATUS_CODE_OK",
    "STATUS_CODE_ERROR",
};

// The name of enum number v, or "" when v has no name (an open enum keeps
// unknown numbers; protobuf's JSON then writes the number).
inline std::string_view EnumName(std::span<const std::string_view> names, int32_t v) {
  return v >= 0 && static_cast<size_t>(v) < names.size() ? names[static_cast<size_t>(v)] : std::string_view();
}

inline std::optional<int32_t> EnumNumber(std::span<const std::string_view> names, std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int32_t>(i);
  }
  return std::nullopt;
}

}  // namespace rubato::otlp
