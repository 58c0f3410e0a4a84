// What the four demo services share, the seed's tracer.py and main.py
// boilerplate: settings from the environment, the tracer provider and its
// exporter, the traced HTTP server with /health and /metrics (not traced), a
// JSON log line per request, and a graceful stop on SIGTERM/SIGINT that
// flushes the spans still queued.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http_json/reply.h"
#include "net/http_server.h"
#include "sdk/http/router.h"

namespace rubato::demo {

using Handler = std::function<Reply(const net::HttpRequest&, const sdk::http::PathParams&)>;

struct Route {
  std::string method;
  std::string path_template;  // "/stock/{item}/reserve": names the SERVER span
  Handler handler;
};

struct ServiceDefaults {
  std::string name;   // service.name unless OTEL_SERVICE_NAME or SERVICE_NAME says otherwise
  uint16_t port = 0;  // unless PORT or --port says otherwise
};

// Runs the service until SIGTERM or SIGINT; returns the process exit code
// (non-zero when the configuration is wrong or the port is busy, with a
// message naming the problem on stderr). Call it first thing in main(),
// before any thread starts. Options: --port N, --host ADDR (env PORT, HOST).
int RunService(int argc, char** argv, const ServiceDefaults& defaults, std::vector<Route> routes);

// An environment variable, or `fallback` when unset or empty.
std::string EnvOr(const char* name, std::string fallback);

}  // namespace rubato::demo
