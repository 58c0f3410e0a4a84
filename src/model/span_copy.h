// Copies chosen spans, with their resource, scope, attributes, events and
// links, from one Batch into another that owns every copied byte. This is how
// a query result (one trace gathered from many requests) gets built.
#pragma once

#include <cstdint>
#include <span>

#include "model/batch.h"

namespace rubato::model {

// Appends src.spans[i] for each i in `spans` to *dst. Consecutive spans that
// share a scope share one copied resource and scope in dst.
void CopySpans(const Batch& src, std::span<const uint32_t> spans, Batch* dst);

}  // namespace rubato::model
