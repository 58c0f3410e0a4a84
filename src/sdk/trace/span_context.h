// SpanContext: the part of a span that crosses process boundaries (W3C Trace
// Context: trace ID, parent ID, flags, tracestate).
#pragma once

#include <cstdint>
#include <cstring>
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
  // (Word-wise: Id::IsZero's byte loop is too slow for every span start.)
  bool IsValid() const {
    uint64_t t0, t1, s0;
    std::memcpy(&t0, trace_id.bytes.data(), 8);
    std::memcpy(&t1, trace_id.bytes.data() + 8, 8);
    std::memcpy(&s0, span_id.bytes.data(), 8);
    return (t0 | t1) != 0 && s0 != 0;
  }
  bool IsSampled() const { return (trace_flags & kSampled) != 0; }
};

}  // namespace rubato::sdk
