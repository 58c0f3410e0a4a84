#include "sdk/trace/env_values.h"

#include <charconv>
#include <cmath>

namespace rubato::sdk {

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<std::optional<uint64_t>> EnvUnsigned(const Environment& env, std::string_view name, uint64_t max) {
  std::optional<std::string> raw = env.Get(name);
  if (!raw) return std::optional<uint64_t>();
  std::string_view text = TrimOws(*raw);
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(std::string(name) + " must be a non-negative integer, got \"" + *raw + "\"");
  }
  if (value > max) {
    return Status::InvalidArgument(std::string(name) + " must be at most " + std::to_string(max) + ", got " +
                                   std::string(text));
  }
  return std::optional<uint64_t>(value);
}

Result<std::optional<double>> EnvDouble(const Environment& env, std::string_view name) {
  std::optional<std::string> raw = env.Get(name);
  if (!raw) return std::optional<double>();
  std::string_view text = TrimOws(*raw);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return Status::InvalidArgument(std::string(name) + " must be a number, got \"" + *raw + "\"");
  }
  return std::optional<double>(value);
}

}  // namespace rubato::sdk
