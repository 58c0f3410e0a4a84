// A net::HttpServer whose every request (except excluded paths) runs inside a
// SERVER span named "{method} {route}", with context extracted from the
// headers and the semconv HTTP server attributes. Handlers write no span code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "net/http_server.h"
#include "sdk/http/router.h"
#include "sdk/trace/tracer.h"
#include "status/status.h"

namespace rubato::sdk::http {

struct TracedServerOptions {
  net::HttpServerOptions http;
  // Paths served but never traced, as the seed's excluded_urls="/metrics,/health".
  std::vector<std::string> excluded_paths = {"/metrics", "/health"};
  // Null: GetTracer("rubato.http.server") of the global provider at each request.
  const Tracer* tracer = nullptr;
};

// Serves `router` (404/405 for unmatched requests, still traced with the path
// as name-less route: span name is just the method, as semconv says).
Result<std::unique_ptr<net::HttpServer>> StartTracedServer(TracedServerOptions options, Router router);

}  // namespace rubato::sdk::http
