// The RED metrics every demo service exposes at /metrics, named as the seed's
// earlier posts scrape them from FastAPI (prometheus-fastapi-instrumentator):
//   http_requests_total{method, handler, status}
//   http_request_duration_seconds{method, handler}  (histogram)
// `handler` is the route template ("/stock/{item}"), so cardinality stays bounded.
#pragma once

#include <string>
#include <string_view>

#include "metrics/registry.h"

namespace rubato::demo {

class RequestMetrics {
 public:
  explicit RequestMetrics(metrics::Registry* registry) : registry_(registry) {}
  void Observe(std::string_view method, std::string_view route, unsigned status, double seconds);

 private:
  metrics::Registry* registry_;
};

}  // namespace rubato::demo
