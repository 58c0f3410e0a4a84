// The value syntax of Tempo's config files, on plain text (no YAML here), so
// each rule can be tested alone. Messages name the bad text and show what would
// be accepted; the caller prefixes "file:line:col: key: ".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/server_config.h"
#include "status/status.h"

namespace rubato::config {

// A whole number >= 0 as YAML 1.1 (Tempo's YAML library) writes it: "10000",
// "1_000_000", "+5", "0x1F", "0b101", "0o17". A leading zero ("0100") is an
// error, because YAML 1.1 would read it as octal and nobody means that.
Result<uint64_t> ParseCount(std::string_view text);

// A size in bytes: a count as above, or a number with a unit, as Tempo's
// byte-size flags take it: "64MiB", "1GB", "1.5 GiB", "500kb". Decimal units
// (k, KB, MB, GB, TB, PB) are powers of 1000, binary ones (KiB ... PiB) of 1024.
Result<uint64_t> ParseSize(std::string_view text);

// A duration in Go's syntax (time.ParseDuration): "500ms", "10s", "5m",
// "1h30m", "1.5h", or "0". Units: ns, us (µs), ms, s, m, h; no days. Must be >= 0.
Result<Duration> ParseDuration(std::string_view text);

// YAML 1.1 booleans, as Tempo reads them: true/false, yes/no, on/off, y/n, in
// lower, Title or UPPER case.
Result<bool> ParseBool(std::string_view text);

// A TCP port, 0 to 65535 (0: let the system pick).
Result<int> ParsePort(std::string_view text);

// "host:port" to listen on: "0.0.0.0:4317", "localhost:4318", "[::1]:4317",
// ":4317" (every interface).
Status CheckEndpoint(std::string_view text);

// The text in double quotes for a message, with control characters escaped and
// long text cut short.
std::string Quote(std::string_view text);

// Optimal string alignment distance (Levenshtein plus adjacent transpositions):
// typos are mostly one wrong, missing, extra or swapped letter.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace rubato::config
