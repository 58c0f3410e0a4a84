// TraceQL literal spellings, both ways: reading numbers and Go-style
// durations (`1h30m`, `1.5s`, `250ms`) and writing the canonical text of
// strings, floats and durations (so canonical text re-parses to itself).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rubato::query::traceql {

struct DurationParse {
  enum Outcome { kOk, kInvalid, kOutOfRange } status = kInvalid;
  int64_t nanos = 0;
};

// A sequence of <decimal><unit> (units ns, us, µs, μs, ms, s, m, h), as Go's
// time.ParseDuration reads it, without a sign.
DurationParse ParseDurationLiteral(std::string_view text);

// A finite double, or nullopt if it overflows.
std::optional<double> ParseFloatLiteral(std::string_view text);

// Durations in the largest unit that divides them exactly: 1500ms, 2h, 0s.
std::string FormatDuration(int64_t nanos);
// The shortest text that reads back as the same double, always with a `.` or
// an exponent so it re-lexes as a float: 2.0, 0.5, 1e+20.
std::string FormatFloat(double v);
// Double-quoted, escaping `"`, `\` and control characters.
std::string QuoteString(std::string_view s);
// An attribute name as written after its scope: bare when it is made of
// letters, digits and `_ . - / @` (not starting with a digit), quoted otherwise.
std::string FormatAttributeName(std::string_view name);

}  // namespace rubato::query::traceql
