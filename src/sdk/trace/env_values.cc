#include "sdk/trace/env_values.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rubato::sdk {

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string EnvAssignment(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + std::string(value) + "\"";
}

void WarnIgnored(EnvWarnings* warnings, std::string_view name, std::string_view value, std::string_view expected,
                 std::string_view consequence) {
  std::string line = EnvAssignment(name, value) + " is not " + std::string(expected) + "; " + std::string(consequence);
  // Once per value, though several settings may fall back to one variable.
  if (std::find(warnings->begin(), warnings->end(), line) == warnings->end()) warnings->push_back(std::move(line));
}

std::optional<uint64_t> EnvUnsigned(const Environment& env, std::string_view name, uint64_t min, uint64_t max,
                                    EnvWarnings* warnings) {
  auto parse = [&](std::string_view raw) -> std::optional<uint64_t> {
    std::string_view text = TrimOws(raw);
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
      return std::nullopt;
    }
    return value;
  };
  std::string expected = "an integer from " + std::to_string(min) + " to " + std::to_string(max);
  return EnvParsed<uint64_t>(env, name, parse, expected, warnings);
}

std::optional<double> EnvRatio(const Environment& env, std::string_view name, EnvWarnings* warnings) {
  auto parse = [](std::string_view raw) -> std::optional<double> {
    std::string_view text = TrimOws(raw);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    // (Written so that NaN fails too.)
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !(value >= 0 && value <= 1)) {
      return std::nullopt;
    }
    return value;
  };
  return EnvParsed<double>(env, name, parse, "a number from 0 to 1", warnings);
}

std::optional<bool> EnvBool(const Environment& env, std::string_view name, EnvWarnings* warnings) {
  std::optional<std::string> raw = env.Get(name);
  if (!raw) return std::nullopt;
  std::string lower(TrimOws(*raw));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != "true" && lower != "false") WarnIgnored(warnings, name, *raw, "true or false", "taken as false");
  return lower == "true";
}

void PrintEnvWarnings(const EnvWarnings& warnings, FILE* out) {
  if (out == nullptr) return;
  for (const std::string& w : warnings) std::fprintf(out, "rubato sdk: warning: %s\n", w.c_str());
}

}  // namespace rubato::sdk
