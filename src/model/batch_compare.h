// Logical comparison of two Batches: equal when they describe the same OTLP
// request, whatever their pools' layout. Used to check that codecs agree.
#pragma once

#include <string>

#include "model/batch.h"

namespace rubato::model {

// Returns "" when a and b are equal; otherwise the path and values of the first difference.
std::string DescribeDifference(const Batch& a, const Batch& b);

}  // namespace rubato::model
