// The standard benchmark workload (shared/bench/workload.md): deterministic
// batches of whole traces across the seed's four services.
#pragma once

#include <cstdint>

#include "model/batch.h"

namespace rubato::workload {

struct Options {
  uint64_t seed = 1;
  uint32_t spans_per_batch = 1024;
  // Base of the timestamps. 0 means a fixed instant, so equal seeds give equal bytes.
  uint64_t base_time_unix_nano = 0;
};

// Produces batches of the standard workload. The same Options give the same batches.
class Generator {
 public:
  explicit Generator(Options options);
  ~Generator();
  // Clears *batch and fills it with whole traces totalling exactly spans_per_batch spans.
  void Next(model::Batch* batch);

 private:
  struct State;
  Options options_;
  State* state_;
};

}  // namespace rubato::workload
