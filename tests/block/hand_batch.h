// A hand-built batch that uses every AnyValue kind (nested arrays and kvlists,
// bytes, empty values), events, links, flags, trace_state, status messages,
// dropped counts, and a parent outside its trace.
#pragma once

#include "model/batch.h"

namespace rubato::store::block::testing_support {

model::Batch HandBatch();

}  // namespace rubato::store::block::testing_support

namespace rubato::store::block::testing_support {

// Spans that stress the row-group codec's special cases: UUID-shaped strings
// (lower, upper, mixed case, look-alikes), attributes whose type differs from
// their dedicated column's, duplicate keys, 0 and 200 attributes, parents
// that come later, are external, are the span itself or share an ID, odd
// times (negative durations, 0, near 2^64), open-enum values, and a
// 300-span trace with events and links.
model::Batch EdgeCaseBatch();

}  // namespace rubato::store::block::testing_support
