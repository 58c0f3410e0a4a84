// The Retry-After header of a 429/503 answer, as `rubato load` honours it.
// (What an OTLP answer's body says is read by src/otlp/export_response.h.)
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace rubato::load {

// Retry-After as delta-seconds. An HTTP-date (or anything else) gives nullopt:
// the load generator then backs off on its own schedule.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value);

}  // namespace rubato::load
