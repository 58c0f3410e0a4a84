// SpanContext: the part of a span that crosses process boundaries (W3C Trace
// Context: trace ID, parent ID, flags, tracestate).
#pragma once

#include <cstdint>
#include <string>

#include "model/ids.h"

namespace rubato::sdk {

struct SpanContext {
  model::TraceId trace_id;
  model::SpanId span_id;
  uint8_t trace_flags = 0;   // bit 0: sampled
  bool remote = false;       // extracted from a carrier rather than created here
  std::string trace_state;   // W3C tracestate header value, already validated

  static constexpr uint8_t kSampled = 0x01;
  // W3C Trace Context Level 2: the right-most 7 bytes of trace_id are random.
  static constexpr uint8_t kRandom = 0x02;
  bool IsValid() const { return !trace_id.IsZero() && !span_id.IsZero(); }
  bool IsSampled() const { return (trace_flags & kSampled) != 0; }
};

}  // namespace rubato::sdk
