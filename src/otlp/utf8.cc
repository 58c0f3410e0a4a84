#include "otlp/utf8.h"

#include <simdjson.h>

#include <cstdint>
#include <cstring>

namespace rubato::otlp {

bool IsValidUtf8(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t high = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    high |= w;
  }
  for (; i < n; ++i) high |= static_cast<uint8_t>(p[i]);
  if ((high & 0x8080808080808080ULL) == 0) return true;
  return simdjson::validate_utf8(p, n);
}

}  // namespace rubato::otlp
