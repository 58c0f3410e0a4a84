// The W3C Baggage header: list-members key=value with optional properties,
// values percent-encoded. We keep and send at most 64 members and 8192 bytes
// (the spec's minimum limits), dropping whole members past them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sdk/trace/context.h"

namespace rubato::sdk {

inline constexpr size_t kMaxBaggageMembers = 64;
inline constexpr size_t kMaxBaggageBytes = 8192;

// `combined` is every baggage header joined with ','. Malformed members are
// skipped (the spec lets a receiver remove them); the rest are kept in order,
// values percent-decoded, properties normalized to ";k=v;flag".
std::vector<BaggageEntry> ParseBaggage(std::string_view combined);

// The header value ("" when nothing is valid to send): names that are not
// RFC 7230 tokens are skipped, values percent-encoded where the grammar
// requires it, members past the limits dropped.
std::string SerializeBaggage(const std::vector<BaggageEntry>& entries);

}  // namespace rubato::sdk
