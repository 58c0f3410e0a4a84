// The W3C traceparent header (Trace Context Level 2): parsing, with the
// spec's rules for version 00 and for future versions, and formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/ids.h"
#include "sdk/trace/span_context.h"

namespace rubato::sdk {

struct TraceParent {
  model::TraceId trace_id;
  model::SpanId parent_id;
  uint8_t trace_flags = 0;  // all 8 bits as received
};

// Nullopt when the header must be ignored (the trace then restarts).
std::optional<TraceParent> ParseTraceParent(std::string_view header);

// "00-<trace-id>-<parent-id>-<flags>", keeping only the flags Level 2
// defines (sampled, random); the others must be sent as zero.
std::string FormatTraceParent(const SpanContext& context);

}  // namespace rubato::sdk
