// UTF-8 validation for OTLP string fields (protobuf requires valid UTF-8 in `string`).
#pragma once

#include <string_view>

namespace rubato::otlp {

// True when s is valid UTF-8. ASCII is checked eight bytes at a time; anything
// else goes to simdjson's SIMD validator.
bool IsValidUtf8(std::string_view s);

}  // namespace rubato::otlp
