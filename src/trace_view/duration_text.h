// How `rubato trace` and `rubato search` write durations and offsets: in
// milliseconds like the seed's figure ("342ms"), with more precision only
// where whole milliseconds would say nothing ("2.4ms", "850µs").
#pragma once

#include <cstdint>
#include <string>

namespace rubato::trace_view {

// 0 → "0ms"; under 1 ms → "850µs"; under 10 ms → "2.4ms" (but "2ms", not "2.0ms"); else "342ms".
std::string DurationText(uint64_t nanos);

}  // namespace rubato::trace_view
