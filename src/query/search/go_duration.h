// Go's time.ParseDuration syntax ("100ms", "1.5s", "1h30m", "250us", "0"),
// which Tempo's minDuration and maxDuration parameters take.
#pragma once

#include <cstdint>
#include <string_view>

#include "status/status.h"

namespace rubato::query::search {

// Nanoseconds. InvalidArgument naming the text for anything else (negative
// durations included: they bound nothing).
Result<uint64_t> ParseGoDuration(std::string_view text);

}  // namespace rubato::query::search
