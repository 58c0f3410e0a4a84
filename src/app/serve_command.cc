#include "app/serve_command.h"

#include <algorithm>
#include <chrono>
#include <malloc.h>
#include <sys/resource.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "api/tempo_api.h"
#include "config/server_config.h"
#include "ingest/grpc_receiver.h"
#include "ingest/http_receiver.h"
#include "ingest/otlp_ingester.h"
#include "ingest/receiver_metrics.h"
#include "metrics/process_metrics.h"
#include "metrics/registry.h"
#include "net/http_server.h"
#include "app/storage_metrics.h"
#include "store/trace_db.h"

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

ingest::LimitsConfig LimitsFrom(const config::ServerConfig& cfg) {
  ingest::LimitsConfig l;
  l.rate_limit_bytes = cfg.limits.rate_limit_bytes;
  l.burst_size_bytes = cfg.limits.burst_size_bytes;
  l.max_bytes_per_trace = cfg.limits.max_bytes_per_trace;
  l.max_live_traces = cfg.limits.max_traces_per_user;
  l.trace_idle_period = cfg.ingester.trace_idle_period;
  return l;
}

store::TraceDbOptions StorageFrom(const config::ServerConfig& cfg) {
  store::TraceDbOptions o;
  o.wal_dir = cfg.storage.wal_path;
  o.blocks_dir = cfg.storage.local_path;
  o.max_block_bytes = cfg.ingester.max_block_bytes;
  o.max_block_duration = cfg.ingester.max_block_duration;
  o.trace_idle_period = cfg.ingester.trace_idle_period;
  o.block_retention = cfg.compactor.block_retention;
  o.compaction_window = cfg.compactor.compaction_window;
  o.max_compacted_block_traces = cfg.compactor.max_compaction_objects;
  o.compaction_cycle = cfg.compactor.compaction_cycle;
  o.log = [](std::string_view msg) { std::cerr << "rubato serve: " << msg << "\n"; };
  return o;
}

// Exposes the gRPC receiver's own counters in the shared families.
void RegisterGrpcStats(metrics::Registry* registry, const ingest::GrpcReceiverStats* stats) {
  static const char* kResults[] = {"ok",          "invalid",         "too_large", "unavailable",
                                   "unauthenticated", "unsupported", "error",     "aborted"};
  for (size_t r = 0; r < static_cast<size_t>(ingest::GrpcResult::kCount); ++r) {
    registry->AddCounterFunc("rubato_receiver_requests_total", "OTLP export requests by protocol and result.",
                             {{"protocol", "grpc"}, {"result", kResults[r]}},
                             [stats, r] { return stats->requests[r].load(); });
  }
  registry->AddCounterFunc(ingest::kSpansName, ingest::kSpansHelp, {{"protocol", "grpc"}, {"result", "accepted"}},
                           [stats] { return stats->accepted_spans.load(); });
  registry->AddCounterFunc(ingest::kSpansName, ingest::kSpansHelp, {{"protocol", "grpc"}, {"result", "refused"}},
                           [stats] { return stats->rejected_spans.load(); });
  registry->AddCounterFunc("rubato_receiver_bytes_total", "OTLP request bytes received, after decompression.",
                           {{"protocol", "grpc"}}, [stats] {
                             uint64_t sum = 0;
                             for (const auto& b : stats->bytes) sum += b.load();
                             return sum;
                           });
}

int Fail(const std::string& what) {
  std::cerr << "rubato serve: " << what << "\n";
  return 1;
}

}  // namespace

int RunServe(const std::string& config_path) {
  // The release server runs on jemalloc (src/CMakeLists.txt); this is for
  // builds on glibc's malloc (sanitizers), which gives each busy thread its own
  // arena: with gRPC workers, the cutter and the compactor trading large
  // buffers that cost ~40 MB of RSS in free-but-held memory (288-322 MB →
  // 273-293 MB under full load). jemalloc ignores it.
  ::mallopt(M_ARENA_MAX, 2);
  // Open files: the soft limit (often 1,024) up to the hard one. The block
  // store keeps half of it open (a lookup reads every block's filter), and
  // each client connection takes one.
  if (struct rlimit lim; ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = std::max<rlim_t>(lim.rlim_cur, std::min<rlim_t>(lim.rlim_max, 65536));
    (void)::setrlimit(RLIMIT_NOFILE, &lim);
  }
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

  metrics::Registry registry;
  auto db = store::TraceDb::Open(StorageFrom(*cfg));
  if (!db.ok()) return Fail("storage: " + db.status().message());
  store::TraceDb& store = **db;
  RegisterStorageMetrics(&registry, &store);
  metrics::RegisterProcessMetrics(&registry);
  ingest::OtlpIngester ingester(&store, &registry, LimitsFrom(*cfg));

  std::unique_ptr<ingest::GrpcReceiver> otlp_grpc;
  if (cfg->otlp.grpc.enabled) {
    ingest::GrpcReceiverOptions o;
    o.endpoint = cfg->otlp.grpc.endpoint;
    if (o.endpoint.rfind(':', 0) == 0) o.endpoint = "0.0.0.0" + o.endpoint;
    o.max_receive_message_bytes = cfg->otlp.grpc.max_body_bytes;
    o.require_tenant = cfg->multitenancy_enabled;
    o.duration = registry.GetHistogram("rubato_receiver_request_duration_seconds",
                                       "Time to handle an OTLP export request.", {{"protocol", "grpc"}},
                                       metrics::LatencyBuckets());
    auto r = ingest::GrpcReceiver::Start(o, &ingester);
    if (!r.ok()) return Fail("OTLP/gRPC receiver: " + r.status().message());
    otlp_grpc = std::move(*r);
    RegisterGrpcStats(&registry, &otlp_grpc->stats());
    registry.AddGaugeFunc("rubato_receiver_requests_in_flight",
                          "Export requests being decoded and stored now (the ingest path has no queue).",
                          {{"protocol", "grpc"}}, [r = otlp_grpc.get()] { return r->stats().in_flight.load(); });
    std::cerr << "rubato serve: OTLP/gRPC on " << o.endpoint << "\n";
  }

  ingest::ReceiverMetrics http_metrics(&registry, "http");
  ingest::HttpReceiverOptions http_opts;
  http_opts.max_decompressed_bytes = cfg->otlp.http.max_body_bytes;
  http_opts.multitenancy = cfg->multitenancy_enabled;
  http_opts.metrics = &http_metrics;
  std::unique_ptr<net::HttpServer> otlp_http;
  if (cfg->otlp.http.enabled) {
    auto listen = ListenOn(cfg->otlp.http.endpoint);
    if (!listen.ok()) return Fail(listen.status().message());
    net::HttpServerOptions opts = *listen;
    opts.max_body_bytes = cfg->otlp.http.max_body_bytes;  // compressed bodies can't be larger either
    // A request holds its thread until its batch is durable (the WAL's group
    // commit): threads waiting on a sync are what a sync can take together.
    opts.threads = static_cast<int>(4 * std::max(1u, std::thread::hardware_concurrency()));
    auto server = net::HttpServer::Start(opts, [&](net::HttpRequest& req, net::HttpResponse& resp) {
      ingest::HandleOtlpHttp(&ingester, http_opts, req, resp);
    });
    if (!server.ok()) return Fail("OTLP/HTTP receiver: " + server.status().message());
    otlp_http = std::move(*server);
    registry.AddGaugeFunc("rubato_receiver_requests_in_flight",
                          "Export requests being decoded and stored now (the ingest path has no queue).",
                          {{"protocol", "http"}}, [s = otlp_http.get()] { return s->in_flight(); });
    std::cerr << "rubato serve: OTLP/HTTP on " << opts.address << ":" << otlp_http->port() << "\n";
  }

  api::TempoApi api(&store, {RUBATO_VERSION, "unknown", "main", __DATE__}, cfg->multitenancy_enabled,
                    [&] { return registry.Render(); });
  registry.AddGaugeFunc("rubato_tag_catalog_bytes", "Memory held by the blocks' tag catalogs (search's tags and tag values).",
                        {}, [&api] { return static_cast<int64_t>(api.search().catalog_stats().bytes); });
  // Tag catalogs follow compaction (an output's is merged from its inputs').
  store.SetBlockEvents(api.search().CatalogEvents());
  // Unhooked before `api` goes, whichever way this function returns (the compactor outlives it).
  struct EventsReset {
    store::TraceDb* db;
    ~EventsReset() { db->SetBlockEvents({}); }
  } events_reset{&store};
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
  auto stopping = std::chrono::steady_clock::now();
  std::cerr << "rubato serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << ", stopping\n";
  // Receivers first (no new data, requests in flight finish), then the API.
  if (otlp_grpc) otlp_grpc->Stop(std::chrono::milliseconds(2000));
  if (otlp_http) otlp_http->Stop(std::chrono::milliseconds(2000));
  (*api_server)->Stop(std::chrono::milliseconds(500));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - stopping);
  std::cerr << "rubato serve: stopped in " << ms.count() << " ms\n";
  return 0;
}

}  // namespace rubato::app
