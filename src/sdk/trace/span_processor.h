// SpanProcessor: receives spans as they end. The batch processor queues them
// and exports full batches on its own thread; the simple one exports each span
// at once (tests, debugging).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "sdk/trace/environment.h"
#include "sdk/trace/span_exporter.h"
#include "status/status.h"

namespace rubato::sdk {

struct SpanRecord;

class SpanProcessor {
 public:
  virtual ~SpanProcessor() = default;
  // Called on the thread that ended the span; must never block it. The
  // processor must call ReleaseRecord(span) (sdk/trace/span_record.h) exactly
  // once, when it no longer needs the record.
  virtual void OnEnd(const SpanRecord& span) = 0;
  virtual Status ForceFlush(std::chrono::milliseconds timeout) = 0;
  virtual void Shutdown() = 0;
  // Spans dropped because a queue was full (the batch processor's count).
  virtual uint64_t DroppedSpans() const { return 0; }
};

// OTEL_BSP_* with the spec's defaults.
struct BatchProcessorOptions {
  size_t max_queue_size = 2048;
  size_t max_export_batch_size = 512;
  std::chrono::milliseconds schedule_delay{5000};
  std::chrono::milliseconds export_timeout{30000};
  // From OTEL_BSP_*; an unusable value is warned about and its default kept.
  static BatchProcessorOptions FromEnvironment(const Environment& env, EnvWarnings* warnings);
};

std::unique_ptr<SpanProcessor> BatchSpanProcessor(std::unique_ptr<SpanExporter> exporter,
                                                  BatchProcessorOptions options = {});
std::unique_ptr<SpanProcessor> SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter);

}  // namespace rubato::sdk
