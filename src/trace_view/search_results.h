// The answer of Tempo's GET /api/search, read and printed as a table for
// `rubato search`: one line per matching trace.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "status/status.h"

namespace rubato::trace_view {

struct SearchHit {
  std::string trace_id;
  std::string root_service;  // Tempo says "<root span not yet received>" when it has none
  std::string root_name;
  uint64_t start_unix_nano = 0;
  uint64_t duration_ms = 0;  // Tempo omits it under 1 ms
};

// {"traces":[{"traceID", "rootServiceName", "rootTraceName",
// "startTimeUnixNano", "durationMs", ...}], ...}. Numbers may come quoted
// (jsonpb writes 64-bit integers as strings). Unknown fields are ignored;
// a body of another shape is an error saying what was expected.
Result<std::vector<SearchHit>> ParseSearchResponse(std::string_view json);

// A header line, one line per hit (start time in UTC), and a count.
std::string RenderSearchHits(const std::vector<SearchHit>& hits);

}  // namespace rubato::trace_view
