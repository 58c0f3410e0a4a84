// From a decoded trace (what GET /api/traces/{id} returns, as a model::Batch)
// to the waterfall's plain rows: service name from the resource, ids as hex.
#pragma once

#include <vector>

#include "model/batch.h"
#include "trace_view/waterfall.h"

namespace rubato::trace_view {

// Every span of the batch; a resource without service.name is "unknown_service".
std::vector<WaterfallSpan> WaterfallSpansFromBatch(const model::Batch& batch);

}  // namespace rubato::trace_view
