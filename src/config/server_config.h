// ServerConfig: what `rubato serve` runs with, read from YAML in Grafana Tempo's
// shape so that an existing tempo.yml works unchanged. Every key Rubato knows,
// its default and its Tempo equivalent are listed in docs/config.md.
//
// Loading never throws and never logs. Problems come back as Diagnostics:
// errors fail the load (the Status message lists them, one per line, each as
// "file:line:col: message"); warnings and notices ride along in
// ServerConfig::diagnostics for the caller to log.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "status/status.h"

namespace rubato::config {

// Go's time.Duration is an int64 count of nanoseconds; so is this.
using Duration = std::chrono::nanoseconds;

inline constexpr uint64_t kMiB = uint64_t{1} << 20;

struct ServerSection {
  // Tempo listens on every interface by default; Rubato only on loopback
  // unless told otherwise. "" means every interface, as in Tempo.
  std::string http_listen_address = "127.0.0.1";
  int http_listen_port = 3200;  // Tempo's API (0 picks a free port)
  int grpc_listen_port = 9095;  // accepted; Rubato has no internal gRPC API yet
  std::string log_level = "info";     // debug | info | warn | error
  std::string log_format = "logfmt";  // logfmt | json
};

// One OTLP receiver protocol (OpenTelemetry Collector receiver settings).
struct OtlpProtocol {
  bool enabled = true;
  std::string endpoint;        // host:port; host "" means every interface
  uint64_t max_body_bytes = 0;  // largest request accepted, after decompression
};

struct OtlpReceivers {
  // gRPC's limit is set in MiB (max_recv_msg_size_mib); HTTP's in bytes
  // (max_request_body_size). Both are held here in bytes.
  OtlpProtocol grpc{true, "127.0.0.1:4317", 64 * kMiB};
  OtlpProtocol http{true, "127.0.0.1:4318", 64 * kMiB};
};

struct IngesterSection {
  uint64_t max_block_bytes = 500 * kMiB;               // cut the head block at this size
  Duration max_block_duration = std::chrono::minutes(30);  // ... or at this age
  Duration trace_idle_period = std::chrono::seconds(10);   // a trace with no new spans for this long is complete
};

struct CompactorSection {
  Duration block_retention = std::chrono::hours(14 * 24);  // Tempo's default: 14 days
  Duration compaction_window = std::chrono::hours(1);      // blocks are merged within one window
  uint64_t max_compaction_objects = 6'000'000;             // most traces in a compacted block
  Duration compaction_cycle = std::chrono::seconds(30);    // the longest a block waits for others to join its compaction
};

struct StorageSection {
  std::string backend = "local";  // the only backend so far
  std::string local_path = "./data/blocks";
  std::string wal_path = "./data/wal";
};

// Per-tenant limits. Only the defaults for every tenant can be set so far;
// per-tenant override files are not read yet.
struct Limits {
  std::string rate_strategy = "local";        // local | global (the same on one node)
  uint64_t rate_limit_bytes = 15'000'000;     // bytes per second, per tenant
  uint64_t burst_size_bytes = 20'000'000;
  uint64_t max_bytes_per_trace = 5'000'000;   // 0: no limit
  uint64_t max_traces_per_user = 10'000;      // live traces; 0: no limit
  std::vector<std::string> metrics_generator_processors;  // e.g. service-graphs
};

struct RemoteWrite {
  std::string url;
  std::string name;
  bool send_exemplars = false;
  std::map<std::string, std::string> headers;
};

// Accepted and kept for the metrics generator that comes later; nothing reads
// it yet. `raw_yaml` is the whole metrics_generator block as written, so that
// keys without a typed field here are not lost.
struct MetricsGenerator {
  bool configured = false;  // the block was present
  std::string raw_yaml;
  std::map<std::string, std::string> external_labels;  // registry.external_labels
  std::string storage_path;                             // storage.path (metrics WAL)
  std::vector<RemoteWrite> remote_write;                // storage.remote_write
  std::string traces_storage_path;                      // traces_storage.path
  std::vector<std::string> service_graphs_dimensions;   // processor.service_graphs.dimensions
  Duration service_graphs_wait = std::chrono::seconds(10);  // processor.service_graphs.wait
  std::vector<std::string> span_metrics_dimensions;     // processor.span_metrics.dimensions
};

struct ServerConfig {
  std::string source = "<defaults>";  // the file it came from
  ServerSection server;
  OtlpReceivers otlp;  // distributor.receivers.otlp.protocols
  IngesterSection ingester;
  CompactorSection compactor;
  StorageSection storage;
  bool multitenancy_enabled = false;  // X-Scope-OrgID selects (and is required for) the tenant
  Limits limits;                      // overrides.defaults (or Tempo's legacy flat overrides)
  MetricsGenerator metrics_generator;

  // Warnings and notices from loading (errors fail the load instead).
  std::vector<Diagnostic> diagnostics;
};

// The embedded defaults `rubato serve` uses when given no config file: data
// under ./data, API on 127.0.0.1:3200, OTLP on 127.0.0.1:4317 and :4318.
ServerConfig DefaultServerConfig();

// Parses YAML text; `name_for_errors` (usually the path) starts every message.
// Keys left out keep their defaults.
Result<ServerConfig> ParseServerConfig(std::string_view yaml, const std::string& name_for_errors);

// Reads and parses a file (Tempo's -config.file). A file that cannot be read is
// NotFound or InvalidArgument; a bad config is InvalidArgument.
Result<ServerConfig> LoadServerConfig(const std::string& path);

}  // namespace rubato::config
