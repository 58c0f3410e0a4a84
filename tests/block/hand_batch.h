// A hand-built batch that uses every AnyValue kind (nested arrays and kvlists,
// bytes, empty values), events, links, flags, trace_state, status messages,
// dropped counts, and a parent outside its trace.
#pragma once

#include "model/batch.h"

namespace rubato::store::block::testing_support {

model::Batch HandBatch();

}  // namespace rubato::store::block::testing_support
