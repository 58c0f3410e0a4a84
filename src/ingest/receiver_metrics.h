// Per-protocol request metrics of a receiver: requests by result, request
// bytes and handling time, registered once and updated lock-free.
#pragma once

#include <string>

#include "metrics/registry.h"

namespace rubato::ingest {

class ReceiverMetrics {
 public:
  ReceiverMetrics(metrics::Registry* registry, const std::string& protocol);
  // result: "ok", "invalid", "too_large", "unavailable", "unauthenticated", "unsupported", "error".
  void Record(const std::string& result, uint64_t bytes, double seconds);

 private:
  metrics::Registry* registry_;
  std::string protocol_;
  metrics::Counter* bytes_;
  metrics::Histogram* duration_;
};

}  // namespace rubato::ingest
