// Random trace and span IDs: a per-thread xoshiro256** generator seeded from
// std::random_device, so generating an ID takes no lock and no system call.
// W3C Trace Context Level 2 wants the right-most 7 bytes of a trace ID random;
// all 16 are. IDs are never all zero.
#pragma once

#include <cstdint>

#include "model/ids.h"

namespace rubato::sdk {

model::TraceId NewTraceId();
model::SpanId NewSpanId();
// A span's IDs at once (one look at the thread's generator): a new trace ID
// only when `trace_id` is not null (a root span).
void NewSpanIds(model::TraceId* trace_id, model::SpanId* span_id);
// One 64-bit draw from this thread's generator (never zero).
uint64_t RandomNonZero64();

}  // namespace rubato::sdk
