// ConsoleExporter (OTEL_TRACES_EXPORTER=console): one human-readable line per
// span, for a developer watching a terminal or a test reading a file. Not a
// machine format; OTLP/JSON belongs to the OTLP exporters.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "sdk/trace/span_exporter.h"

namespace rubato::sdk {

class ConsoleExporter final : public SpanExporter {
 public:
  // Writes to `out` (not owned; it must outlive the exporter).
  explicit ConsoleExporter(FILE* out = stdout) : out_(out) {}

  // Appends one line per span, in batch order, e.g.
  //   [order-service] process_order trace=4bf9…4736 span=00f0…02b7 parent=-
  //   kind=internal start=2024-01-01T00:00:00.000000Z duration=12.345ms
  //   status=error "boom" {order.item="book", order.quantity=2} events=1 links=0
  // (on one line), then flushes the stream.
  Status Export(const model::Batch& batch) override;
  Status ForceFlush(std::chrono::milliseconds timeout) override;
  void Shutdown() override;

 private:
  std::mutex mu_;
  FILE* out_;
  bool shut_down_ = false;
  std::string line_;  // reused between exports
};

// The line ConsoleExporter writes for span `index` of `batch`, without the newline.
void AppendConsoleLine(const model::Batch& batch, size_t index, std::string* out);

}  // namespace rubato::sdk
