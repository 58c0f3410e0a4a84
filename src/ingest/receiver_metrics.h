// Per-protocol request metrics of a receiver: requests by result, request
// bytes and handling time, registered once and updated lock-free.
#pragma once

#include <string>

#include "metrics/registry.h"

namespace rubato::ingest {

extern const char* const kSpansName;  // the family both receivers' span counts go to
extern const char* const kSpansHelp;

class ReceiverMetrics {
 public:
  ReceiverMetrics(metrics::Registry* registry, const std::string& protocol);
  // result: "ok", "invalid", "too_large", "unavailable", "unauthenticated", "unsupported", "error".
  void Record(const std::string& result, uint64_t bytes, double seconds);
  // Spans of an accepted request: stored, and refused one by one (partial success).
  void RecordSpans(uint64_t accepted, uint64_t refused);

 private:
  metrics::Registry* registry_;
  std::string protocol_;
  metrics::Counter* bytes_;
  metrics::Histogram* duration_;
  metrics::Counter* spans_accepted_;
  metrics::Counter* spans_refused_;
};

}  // namespace rubato::ingest
