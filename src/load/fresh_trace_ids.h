// Fresh trace IDs per pass: `rubato load --fresh-trace-ids` sends its
// pre-encoded batches over and over, and without this every pass would repeat
// the first pass's traces (a store would deduplicate them, or refuse them as
// too large). Each pass rewrites the first 8 bytes of every trace ID (spans'
// and links') in a copy of the body, so pass n sends traces no other pass sent.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "status/status.h"

namespace rubato::load {

// Byte offsets of every trace ID (Span.trace_id and Span.links[].trace_id) in
// an ExportTraceServiceRequest. InvalidArgument if the body does not parse.
Result<std::vector<uint32_t>> FindTraceIdOffsets(std::string_view body);

// Writes into *out the body with each trace ID's first 8 bytes XORed with a
// mix of `pass` (pass 0 leaves the body unchanged). Reuses *out's capacity.
void RewriteTraceIds(std::string_view body, std::span<const uint32_t> offsets, uint64_t pass,
                     std::string* out);

}  // namespace rubato::load
