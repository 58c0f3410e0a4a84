#include "app/serve_command.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "api/tempo_api.h"
#include "config/server_config.h"
#include "ingest/http_receiver.h"
#include "ingest/otlp_ingester.h"
#include "net/http_server.h"
#include "store/memory_store.h"

#ifndef RUBATO_VERSION
#define RUBATO_VERSION "dev"
#endif

namespace rubato::app {
namespace {

// "host:port" → listen options; an empty host means every interface.
Result<net::HttpServerOptions> ListenOn(const std::string& endpoint) {
  size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("endpoint '" + endpoint + "' has no port");
  net::HttpServerOptions o;
  o.address = endpoint.substr(0, colon);
  if (o.address.empty()) o.address = "0.0.0.0";
  if (o.address == "localhost") o.address = "127.0.0.1";
  o.port = static_cast<uint16_t>(std::stoi(endpoint.substr(colon + 1)));
  return o;
}

std::string RenderMetrics(const ingest::IngestStats& s) {
  std::string out;
  auto counter = [&](const char* name, const char* help, const char* labels, int64_t v) {
    out += "# HELP " + std::string(name) + " " + help + "\n# TYPE " + name + " counter\n";
    out += std::string(name) + labels + " " + std::to_string(v) + "\n";
  };
  counter("rubato_ingest_requests_total", "OTLP export requests by result.", "{result=\"ok\"}", s.requests_ok);
  out += "rubato_ingest_requests_total{result=\"invalid\"} " + std::to_string(s.requests_invalid) + "\n";
  counter("rubato_ingest_spans_accepted_total", "Spans stored.", "", s.spans_accepted);
  counter("rubato_ingest_spans_rejected_total", "Spans refused, by reason.", "{reason=\"invalid_id\"}",
          s.spans_rejected_invalid_id);
  counter("rubato_ingest_bytes_total", "Request bytes received (after decompression).", "", s.bytes_received);
  return out;
}

int Fail(const std::string& what) {
  std::cerr << "rubato serve: " << what << "\n";
  return 1;
}

}  // namespace

int RunServe(const std::string& config_path) {
  auto cfg = config_path.empty() ? Result<config::ServerConfig>(config::DefaultServerConfig())
                                 : config::LoadServerConfig(config_path);
  if (!cfg.ok()) return Fail(cfg.status().message());
  for (const auto& d : cfg->diagnostics) std::cerr << d.ToString() << "\n";

  // Block the stop signals before any thread starts, so only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  store::MemoryStore store;
  ingest::OtlpIngester ingester(&store);
  ingest::HttpReceiverOptions http_opts;
  http_opts.max_decompressed_bytes = cfg->otlp.http.max_body_bytes;
  http_opts.multitenancy = cfg->multitenancy_enabled;

  std::unique_ptr<net::HttpServer> otlp_http;
  if (cfg->otlp.http.enabled) {
    auto listen = ListenOn(cfg->otlp.http.endpoint);
    if (!listen.ok()) return Fail(listen.status().message());
    net::HttpServerOptions opts = *listen;
    opts.max_body_bytes = cfg->otlp.http.max_body_bytes;  // compressed bodies can't be larger either
    auto server = net::HttpServer::Start(opts, [&](net::HttpRequest& req, net::HttpResponse& resp) {
      ingest::HandleOtlpHttp(&ingester, http_opts, req, resp);
    });
    if (!server.ok()) return Fail("OTLP/HTTP receiver: " + server.status().message());
    otlp_http = std::move(*server);
    std::cerr << "rubato serve: OTLP/HTTP on " << opts.address << ":" << otlp_http->port() << "\n";
  }

  api::TempoApi api(&store, {RUBATO_VERSION, "unknown", "main", __DATE__}, cfg->multitenancy_enabled,
                    [&] { return RenderMetrics(ingester.stats()); });
  net::HttpServerOptions api_opts;
  api_opts.address = cfg->server.http_listen_address;
  api_opts.port = static_cast<uint16_t>(cfg->server.http_listen_port);
  auto api_server = net::HttpServer::Start(api_opts, [&](net::HttpRequest& req, net::HttpResponse& resp) {
    api.Handle(req, resp);
  });
  if (!api_server.ok()) return Fail("query API: " + api_server.status().message());
  std::cerr << "rubato serve: Tempo API on http://" << api_opts.address << ":" << (*api_server)->port() << "\n";

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cerr << "rubato serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ", stopping\n";
  if (otlp_http) otlp_http->Stop();
  (*api_server)->Stop();
  std::cerr << "rubato serve: stopped\n";
  return 0;
}

}  // namespace rubato::app
