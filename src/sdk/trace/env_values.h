// Typed reads of OTEL_* variables, with errors that name the variable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sdk/trace/environment.h"
#include "status/status.h"

namespace rubato::sdk {

// An unsigned decimal integer no larger than `max`; nullopt when unset.
Result<std::optional<uint64_t>> EnvUnsigned(const Environment& env, std::string_view name, uint64_t max);
// A decimal number (e.g. "0.25"); nullopt when unset.
Result<std::optional<double>> EnvDouble(const Environment& env, std::string_view name);

// Whitespace (space, tab) trimmed from both ends.
std::string_view TrimOws(std::string_view s);

}  // namespace rubato::sdk
