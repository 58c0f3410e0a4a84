// Percent-encoding as W3C Baggage values and OTEL_RESOURCE_ATTRIBUTES use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rubato::sdk {

// Decodes %XX escapes (either case); nullopt for a '%' not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view s);

// Appends s to out, escaping '%' and every byte for which keep(byte) is false.
void PercentEncode(std::string_view s, bool (*keep)(unsigned char), std::string* out);

}  // namespace rubato::sdk
