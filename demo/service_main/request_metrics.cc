#include "service_main/request_metrics.h"

namespace rubato::demo {

void RequestMetrics::Observe(std::string_view method, std::string_view route, unsigned status, double seconds) {
  std::string m(method), r(route);
  registry_
      ->GetCounter("http_requests_total", "HTTP requests by method, route template and status code.",
                   {{"method", m}, {"handler", r}, {"status", std::to_string(status)}})
      ->Add();
  registry_
      ->GetHistogram("http_request_duration_seconds", "Time to answer an HTTP request, by method and route template.",
                     {{"method", m}, {"handler", r}}, metrics::LatencyBuckets())
      ->Observe(seconds);
}

}  // namespace rubato::demo
