// The W3C tracestate header (Trace Context Level 2): list-members key=value,
// at most 32, keys unique. Any invalid member invalidates the whole header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rubato::sdk {

inline constexpr size_t kMaxTraceStateMembers = 32;

// `combined` is every tracestate header joined with ','. Returns the list
// re-joined without empty members or optional whitespace ("" when it held
// none), or nullopt when it is invalid and must be dropped.
std::optional<std::string> ParseTraceState(std::string_view combined);

// key = ( lcalpha / DIGIT ) 0*255 ( lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@" )
// (Level 2 folded Level 1's tenant@system form into this one rule).
bool IsValidTraceStateKey(std::string_view key);
// value = 0*255( %x20 / nblk-chr ) nblk-chr, nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
bool IsValidTraceStateValue(std::string_view value);

}  // namespace rubato::sdk
