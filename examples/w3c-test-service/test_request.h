// The body of the W3C trace-context harness's POST /test: a JSON array of
// {"url": ..., "arguments": ...}; each element becomes one callback.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "status/status.h"

namespace rubato::examples {

struct Callback {
  std::string url;
  std::string arguments_json;  // `arguments` re-serialized, compact
};

// Errors name the problem and, for elements, their index. Nesting deeper
// than kMaxDepth is refused so that a hostile body cannot exhaust the stack.
Result<std::vector<Callback>> ParseTestRequest(std::string_view body);
inline constexpr int kMaxDepth = 64;

}  // namespace rubato::examples
