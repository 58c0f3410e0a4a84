// The standard benchmark workload (shared/bench/workload.md): deterministic
// batches of whole traces across the seed's four services. docs/workload.md
// describes the traces it makes and the choices behind them.
#pragma once

#include <cstdint>
#include <memory>

#include "model/batch.h"

namespace rubato::workload {

struct Options {
  uint64_t seed = 1;
  uint32_t spans_per_batch = 1024;
  // Base of the timestamps. 0 means a fixed instant, so equal seeds give equal bytes.
  uint64_t base_time_unix_nano = 0;
};

// The instant used when Options::base_time_unix_nano is 0: 2024-01-01T00:00:00Z.
inline constexpr uint64_t kDefaultBaseTimeUnixNano = 1'704'067'200'000'000'000ULL;

// Produces batches of the standard workload. The same Options give the same batches.
class Generator {
 public:
  explicit Generator(Options options);
  ~Generator();
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Clears *batch and fills it with traces totalling exactly spans_per_batch
  // spans, one ResourceSpans (with one ScopeSpans) per service present. Every
  // trace is whole except possibly the batch's last, which is cut to the spans
  // that fit: a preorder prefix of its tree, so still one root and every
  // parent present.
  void Next(model::Batch* batch);

 private:
  struct State;
  Options options_;
  std::unique_ptr<State> state_;
};

}  // namespace rubato::workload
