#include "trace_view/duration_text.h"

#include <cstdio>

namespace rubato::trace_view {

std::string DurationText(uint64_t nanos) {
  if (nanos == 0) return "0ms";
  char buf[48];
  if (nanos < 1000000) {
    std::snprintf(buf, sizeof buf, "%lluµs", static_cast<unsigned long long>((nanos + 500) / 1000));
    // 999.6 µs rounds to 1000µs: say 1.0ms instead.
    if (nanos >= 999500) return "1ms";
  } else if (nanos < 9950000) {
    std::snprintf(buf, sizeof buf, "%.1fms", static_cast<double>(nanos) / 1e6);
    std::string text = buf;
    size_t dot = text.find(".0ms");
    if (dot != std::string::npos) text.erase(dot, 2);  // "2.0ms" reads better as "2ms", as in the seed
    return text;
  } else {
    std::snprintf(buf, sizeof buf, "%llums", static_cast<unsigned long long>(nanos / 1000000 + (nanos % 1000000 >= 500000)));
  }
  return buf;
}

}  // namespace rubato::trace_view
