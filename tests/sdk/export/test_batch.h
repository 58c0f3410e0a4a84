// Batches for the exporter tests: the standard workload, small.
#pragma once

#include "model/batch.h"
#include "workload/generator.h"

namespace rubato::sdk::testing {

inline model::Batch WorkloadBatch(uint32_t spans, uint64_t seed = 7) {
  workload::Options o;
  o.seed = seed;
  o.spans_per_batch = spans;
  workload::Generator g(o);
  model::Batch b;
  g.Next(&b);
  return b;
}

}  // namespace rubato::sdk::testing
