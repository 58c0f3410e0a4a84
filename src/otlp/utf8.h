// UTF-8 validation for OTLP string fields (protobuf requires valid UTF-8 in `string`).
#pragma once

#include <cstddef>
#include <string_view>

namespace rubato::otlp {

// True when s is valid UTF-8. ASCII is checked eight bytes at a time; anything
// else goes to simdjson's SIMD validator.
bool IsValidUtf8(std::string_view s);

// Offset of the first byte that does not start a valid UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are invalid), or s.size()
// when all of s is valid. Scalar: meant for error paths and rare inputs.
size_t FindInvalidUtf8(std::string_view s);

}  // namespace rubato::otlp
