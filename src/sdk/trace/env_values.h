// Typed reads of OTEL_* variables, the one place the SDK (core and
// exporters) decides what a value it cannot use does: the specification says
// such a value is warned about, naming the variable and its value, and the
// default applies; the SDK must never fail to start over one. Each read here
// returns nullopt for an unset or unusable value (after recording the
// warning), so callers only supply their default.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "sdk/trace/environment.h"

namespace rubato::sdk {

// NAME="value": how warnings and errors show a setting.
std::string EnvAssignment(std::string_view name, std::string_view value);

// Records `NAME="value" is not <expected>; <consequence>`.
void WarnIgnored(EnvWarnings* warnings, std::string_view name, std::string_view value, std::string_view expected,
                 std::string_view consequence = "ignored");

// `name` as `parse` (string_view -> std::optional<T>) reads it; nullopt when
// unset, and nullopt with a warning when parse rejects it.
template <typename T, typename Parse>
std::optional<T> EnvParsed(const Environment& env, std::string_view name, Parse parse, std::string_view expected,
                           EnvWarnings* warnings) {
  std::optional<std::string> raw = env.Get(name);
  if (!raw) return std::nullopt;
  std::optional<T> value = parse(std::string_view(*raw));
  if (!value) WarnIgnored(warnings, name, *raw, expected);
  return value;
}

// A decimal integer in [min, max] (surrounding blanks allowed).
std::optional<uint64_t> EnvUnsigned(const Environment& env, std::string_view name, uint64_t min, uint64_t max,
                                    EnvWarnings* warnings);
// A decimal number in [0, 1].
std::optional<double> EnvRatio(const Environment& env, std::string_view name, EnvWarnings* warnings);
// The OTel Boolean: "true" in any case is true; anything else is false, with
// a warning unless it is "false".
std::optional<bool> EnvBool(const Environment& env, std::string_view name, EnvWarnings* warnings);

// Writes each warning as a "rubato sdk: warning: " line (nothing when `out`
// is null: the caller asked for silence).
void PrintEnvWarnings(const EnvWarnings& warnings, FILE* out);

// Whitespace (space, tab) trimmed from both ends.
std::string_view TrimOws(std::string_view s);

}  // namespace rubato::sdk
