#include "service_main/service.h"

#include <CLI/CLI.hpp>

#include <pthread.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "metrics/registry.h"
#include "sdk/export/exporter_from_env.h"
#include "sdk/http/traced_server.h"
#include "sdk/log/json_log.h"
#include "sdk/propagation/text_map.h"
#include "sdk/trace/tracer_provider.h"
#include "service_main/request_metrics.h"

namespace rubato::demo {
namespace {

int Fail(const std::string& service, const std::string& what) {
  std::cerr << service << ": " << what << "\n";
  return 1;
}

// Wraps a route's handler: JSON answer, X-Trace-Id, metrics, one log line.
sdk::http::RouteHandler Instrumented(Route route, RequestMetrics* metrics) {
  return [route = std::move(route), metrics](net::HttpRequest& req, const sdk::http::PathParams& params,
                                             net::HttpResponse& resp) {
    auto started = std::chrono::steady_clock::now();
    Reply reply = route.handler(req, params);
    resp.status = reply.status;
    resp.content_type = "application/json";
    resp.body = std::move(reply.json);
    // The trace this request joined, so a caller (make demo, the e2e test)
    // can look it up without reading logs. The SERVER span is current here.
    const sdk::SpanContext& sc = sdk::Context::Current().span_context();
    if (sc.IsValid()) resp.headers.emplace_back("X-Trace-Id", sc.trace_id.ToHex());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics->Observe(req.method, route.path_template, resp.status, seconds);
    sdk::log::Write(resp.status >= 500 ? sdk::log::Level::kError : sdk::log::Level::kInfo,
                    req.method + " " + std::string(req.path()) + " " + std::to_string(resp.status),
                    {{"http.request.method", std::string_view(req.method)},
                     {"http.route", std::string_view(route.path_template)},
                     {"http.response.status_code", int64_t{resp.status}},
                     {"duration_ms", std::round(seconds * 1e6) / 1e3}});
  };
}

}  // namespace

std::string EnvOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

int RunService(int argc, char** argv, const ServiceDefaults& defaults, std::vector<Route> routes) {
  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // The seed sets SERVICE_NAME per container; a bare binary names itself.
  if (EnvOr("OTEL_SERVICE_NAME", "").empty() && EnvOr("SERVICE_NAME", "").empty()) {
    ::setenv("SERVICE_NAME", defaults.name.c_str(), 1);
  }
  const std::string name = EnvOr("OTEL_SERVICE_NAME", EnvOr("SERVICE_NAME", defaults.name));

  CLI::App app{name + ": one of the seed's four demo services (docs/demo.md)"};
  std::string host = EnvOr("HOST", "127.0.0.1");
  int port = std::atoi(EnvOr("PORT", std::to_string(defaults.port)).c_str());
  app.add_option("--port", port, "port to listen on (env PORT)")->capture_default_str()->check(CLI::Range(0, 65535));
  app.add_option("--host", host, "address to listen on (env HOST; 0.0.0.0 for every interface)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (port < 0 || port > 65535) return Fail(name, "PORT must be 0-65535");

  sdk::Environment env = sdk::Environment::Process();
  auto exporter = sdk::SpanExporterFromEnvironment(env);
  if (!exporter.ok()) return Fail(name, "exporter: " + exporter.status().message());
  auto provider = sdk::TracerProvider::FromEnvironment(env, std::move(*exporter));
  if (!provider.ok()) return Fail(name, "tracing: " + provider.status().message());
  sdk::SetGlobalTracerProvider(provider->get());
  sdk::EnvWarnings propagator_warnings;
  sdk::SetGlobalPropagator(sdk::PropagatorFromEnvironment(env, &propagator_warnings));
  for (const std::string& w : propagator_warnings) std::fprintf(stderr, "rubato sdk: warning: %s\n", w.c_str());

  metrics::Registry registry;
  RequestMetrics request_metrics(&registry);
  sdk::http::Router router;
  for (Route& r : routes) {
    std::string method = r.method, path = r.path_template;
    router.Handle(method, path, Instrumented(std::move(r), &request_metrics));
  }
  // Health and metrics: served, never traced (the seed's excluded_urls), not logged.
  router.Handle("GET", "/health", [](net::HttpRequest&, const sdk::http::PathParams&, net::HttpResponse& resp) {
    resp.content_type = "application/json";
    resp.body = "{\"status\":\"ok\"}";
  });
  router.Handle("GET", "/metrics", [&registry](net::HttpRequest&, const sdk::http::PathParams&,
                                                net::HttpResponse& resp) {
    resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
    resp.body = registry.Render();
  });

  sdk::http::TracedServerOptions options;
  options.http.address = host;
  options.http.port = static_cast<uint16_t>(port);
  options.http.threads = 8;  // handlers block on downstream calls and sleeps
  options.http.max_body_bytes = 1 << 20;
  auto server = sdk::http::StartTracedServer(std::move(options), std::move(router));
  if (!server.ok()) return Fail(name, "cannot listen on " + host + ":" + std::to_string(port) + ": " +
                                          server.status().message());
  sdk::log::Info("listening", {{"server.address", std::string_view(host)}, {"server.port", int64_t{(*server)->port()}}});

  int sig = 0;
  sigwait(&stop_signals, &sig);
  sdk::log::Info(sig == SIGTERM ? "SIGTERM, stopping" : "SIGINT, stopping");
  (*server)->Stop(std::chrono::milliseconds(3000));
  (*provider)->Shutdown();  // flushes the spans still queued
  sdk::SetGlobalTracerProvider(nullptr);
  sdk::log::Info("stopped");
  return 0;
}

}  // namespace rubato::demo
