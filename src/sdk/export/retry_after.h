// Reading HTTP's Retry-After header (RFC 9110 §10.2.3): delay-seconds or an
// HTTP-date, which OTLP/HTTP servers send with 429 and 503 to pace clients.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace rubato::sdk {

// The wait that `value` asks for, counted from `now`: delay-seconds ("120"),
// or an HTTP-date in any of its three forms (IMF-fixdate "Sun, 06 Nov 1994
// 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT", asctime
// "Sun Nov  6 08:49:37 1994"). A date in the past asks for no wait.
// nullopt when the value is neither.
std::optional<std::chrono::nanoseconds> ParseRetryAfter(std::string_view value,
                                                        std::chrono::system_clock::time_point now);

}  // namespace rubato::sdk
