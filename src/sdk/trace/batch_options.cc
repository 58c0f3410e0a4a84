// BatchProcessorOptions::FromEnvironment: OTEL_BSP_*, each unusable value
// warned about and replaced by the spec's default.
#include <algorithm>

#include "sdk/trace/env_values.h"
#include "sdk/trace/span_processor.h"

namespace rubato::sdk {

BatchProcessorOptions BatchProcessorOptions::FromEnvironment(const Environment& env, EnvWarnings* warnings) {
  BatchProcessorOptions options;
  // Queue and batch sizes are bounded so a typo cannot ask for terabytes.
  constexpr uint64_t kMaxQueue = uint64_t{1} << 24;
  constexpr uint64_t kMaxMillis = uint64_t{1} << 40;
  if (auto v = EnvUnsigned(env, "OTEL_BSP_MAX_QUEUE_SIZE", 1, kMaxQueue, warnings)) options.max_queue_size = *v;
  if (auto v = EnvUnsigned(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 1, kMaxQueue, warnings)) {
    options.max_export_batch_size = *v;
  }
  if (auto v = EnvUnsigned(env, "OTEL_BSP_SCHEDULE_DELAY", 0, kMaxMillis, warnings)) {
    options.schedule_delay = std::chrono::milliseconds(*v);
  }
  if (auto v = EnvUnsigned(env, "OTEL_BSP_EXPORT_TIMEOUT", 0, kMaxMillis, warnings)) {
    options.export_timeout = std::chrono::milliseconds(*v);
  }
  // The spec: the batch size must not exceed the queue size.
  options.max_export_batch_size = std::min(options.max_export_batch_size, options.max_queue_size);
  return options;
}

}  // namespace rubato::sdk
