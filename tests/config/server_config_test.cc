// Loading Tempo-shaped config files: the seed's tempo.yml, every typed key,
// defaults, and the exact file:line:col message for each kind of mistake.
#include "config/server_config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace rubato::config {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const std::string kFixtures = RUBATO_FIXTURES "/config/";

std::vector<std::string> Strings(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) out.push_back(std::string(SeverityName(d.severity)) + " " + d.ToString());
  return out;
}

TEST(ServerConfigTest, SeedTempoYmlLoadsUnchanged) {
  const std::string path = kFixtures + "seed-tempo.yml";
  Result<ServerConfig> r = LoadServerConfig(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ServerConfig& c = *r;
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(c.server.http_listen_port, 3200);
  EXPECT_EQ(c.server.http_listen_address, "127.0.0.1");  // not in the file: loopback
  EXPECT_TRUE(c.otlp.grpc.enabled);
  EXPECT_EQ(c.otlp.grpc.endpoint, "0.0.0.0:4317");
  EXPECT_FALSE(c.otlp.http.enabled);  // `protocols` names only grpc
  EXPECT_EQ(c.ingester.max_block_bytes, 1'000'000u);
  EXPECT_EQ(c.ingester.max_block_duration, minutes(5));
  EXPECT_EQ(c.ingester.trace_idle_period, seconds(10));  // default
  EXPECT_EQ(c.compactor.block_retention, hours(24));
  EXPECT_EQ(c.storage.backend, "local");
  EXPECT_EQ(c.storage.local_path, "/tmp/tempo/blocks");
  EXPECT_EQ(c.storage.wal_path, "/tmp/tempo/wal");
  EXPECT_FALSE(c.multitenancy_enabled);
  EXPECT_EQ(c.limits.rate_limit_bytes, 15'000'000u);  // Tempo's defaults
  EXPECT_EQ(c.limits.burst_size_bytes, 20'000'000u);
  EXPECT_EQ(c.limits.max_bytes_per_trace, 5'000'000u);
  EXPECT_EQ(c.limits.max_traces_per_user, 10'000u);
  EXPECT_EQ(c.limits.metrics_generator_processors,
            (std::vector<std::string>{"service-graphs", "span-metrics", "local-blocks"}));

  const MetricsGenerator& g = c.metrics_generator;
  EXPECT_TRUE(g.configured);
  EXPECT_EQ(g.external_labels, (std::map<std::string, std::string>{{"source", "tempo"}}));
  EXPECT_EQ(g.storage_path, "/tmp/tempo/generator/wal");
  ASSERT_EQ(g.remote_write.size(), 1u);
  EXPECT_EQ(g.remote_write[0].url, "http://prometheus:9090/api/v1/write");
  EXPECT_TRUE(g.remote_write[0].send_exemplars);
  EXPECT_EQ(g.traces_storage_path, "/tmp/tempo/generator/traces");
  EXPECT_EQ(g.service_graphs_dimensions, (std::vector<std::string>{"service.name"}));
  EXPECT_EQ(g.service_graphs_wait, seconds(10));
  EXPECT_EQ(g.span_metrics_dimensions, (std::vector<std::string>{"service.name", "span.kind"}));
  // The raw subtree keeps what has no typed field, such as local_blocks.
  EXPECT_NE(g.raw_yaml.find("filter_server_spans: false"), std::string::npos) << g.raw_yaml;
  EXPECT_NE(g.raw_yaml.find("- url: http://prometheus:9090/api/v1/write"), std::string::npos) << g.raw_yaml;

  // No errors, no warnings: two notices that the metrics generator is kept for later.
  EXPECT_EQ(Strings(c.diagnostics),
            (std::vector<std::string>{
                "notice " + path + ":22:1: metrics_generator: accepted and kept for later; not implemented yet",
                "notice " + path + ":44:5: overrides.defaults.metrics_generator: accepted and kept for later; not implemented yet",
            }));
}

TEST(ServerConfigTest, EveryTypedKey) {
  Result<ServerConfig> r = LoadServerConfig(kFixtures + "full.yml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ServerConfig& c = *r;
  EXPECT_TRUE(c.multitenancy_enabled);
  EXPECT_EQ(c.server.http_listen_address, "0.0.0.0");
  EXPECT_EQ(c.server.http_listen_port, 3201);
  EXPECT_EQ(c.server.grpc_listen_port, 9096);
  EXPECT_EQ(c.server.log_level, "debug");
  EXPECT_EQ(c.server.log_format, "json");
  EXPECT_TRUE(c.otlp.grpc.enabled);
  EXPECT_EQ(c.otlp.grpc.endpoint, "[::1]:14317");
  EXPECT_EQ(c.otlp.grpc.max_body_bytes, 16 * kMiB);
  EXPECT_TRUE(c.otlp.http.enabled);
  EXPECT_EQ(c.otlp.http.endpoint, ":14318");
  EXPECT_EQ(c.otlp.http.max_body_bytes, 32 * kMiB);
  EXPECT_EQ(c.ingester.max_block_bytes, 64 * kMiB);
  EXPECT_EQ(c.ingester.max_block_duration, minutes(90));
  EXPECT_EQ(c.ingester.trace_idle_period, milliseconds(500));
  EXPECT_EQ(c.compactor.block_retention, hours(168));
  EXPECT_EQ(c.compactor.compaction_cycle, seconds(45));
  EXPECT_EQ(c.storage.local_path, "/var/lib/rubato/blocks");
  EXPECT_EQ(c.storage.wal_path, "/var/lib/rubato/wal");
  EXPECT_EQ(c.limits.rate_strategy, "global");
  EXPECT_EQ(c.limits.rate_limit_bytes, 30'000'000u);
  EXPECT_EQ(c.limits.burst_size_bytes, 1'000'000'000u);
  EXPECT_EQ(c.limits.max_traces_per_user, 50'000u);
  EXPECT_EQ(c.limits.max_bytes_per_trace, 0x1000000u);
  EXPECT_FALSE(c.metrics_generator.configured);
  const std::string path = kFixtures + "full.yml";
  EXPECT_EQ(Strings(c.diagnostics),
            (std::vector<std::string>{
                "notice " + path + ":7:3: server.grpc_listen_port: accepted but not implemented yet (ignored)",
                "notice " + path + ":8:3: server.log_level: accepted but not implemented yet (ignored)",
                "notice " + path + ":9:3: server.log_format: accepted but not implemented yet (ignored)",
            }));
}

TEST(ServerConfigTest, Defaults) {
  const ServerConfig d = DefaultServerConfig();
  EXPECT_EQ(d.source, "<defaults>");
  EXPECT_EQ(d.server.http_listen_address, "127.0.0.1");
  EXPECT_EQ(d.server.http_listen_port, 3200);
  EXPECT_EQ(d.server.grpc_listen_port, 9095);
  EXPECT_TRUE(d.otlp.grpc.enabled);
  EXPECT_EQ(d.otlp.grpc.endpoint, "127.0.0.1:4317");
  EXPECT_EQ(d.otlp.grpc.max_body_bytes, 64 * kMiB);
  EXPECT_TRUE(d.otlp.http.enabled);
  EXPECT_EQ(d.otlp.http.endpoint, "127.0.0.1:4318");
  EXPECT_EQ(d.otlp.http.max_body_bytes, 64 * kMiB);
  EXPECT_EQ(d.ingester.max_block_bytes, 500 * kMiB);
  EXPECT_EQ(d.ingester.max_block_duration, minutes(30));
  EXPECT_EQ(d.ingester.trace_idle_period, seconds(10));
  EXPECT_EQ(d.compactor.block_retention, hours(14 * 24));
  EXPECT_EQ(d.compactor.compaction_cycle, seconds(30));
  EXPECT_EQ(d.storage.backend, "local");
  EXPECT_EQ(d.storage.local_path, "./data/blocks");
  EXPECT_EQ(d.storage.wal_path, "./data/wal");
  EXPECT_FALSE(d.multitenancy_enabled);
  EXPECT_EQ(d.limits.rate_strategy, "local");
  EXPECT_EQ(d.limits.rate_limit_bytes, 15'000'000u);
  EXPECT_EQ(d.limits.burst_size_bytes, 20'000'000u);
  EXPECT_EQ(d.limits.max_bytes_per_trace, 5'000'000u);
  EXPECT_EQ(d.limits.max_traces_per_user, 10'000u);
  EXPECT_FALSE(d.metrics_generator.configured);
  EXPECT_TRUE(d.diagnostics.empty());

  // An empty file, a file of comments and empty sections all mean the defaults.
  for (const char* yaml : {"", "# nothing here\n", "server:\ningester:\n", "---\n"}) {
    Result<ServerConfig> r = ParseServerConfig(yaml, "tempo.yml");
    ASSERT_TRUE(r.ok()) << yaml << ": " << r.status().message();
    EXPECT_EQ(r->server.http_listen_port, 3200) << yaml;
    EXPECT_EQ(r->otlp.http.endpoint, "127.0.0.1:4318") << yaml;
    EXPECT_TRUE(r->diagnostics.empty()) << yaml;
  }
}

struct ProtocolCase {
  const char* yaml;
  bool grpc, http;
  const char* grpc_endpoint;
  const char* http_endpoint;
};

TEST(ServerConfigTest, ReceiverProtocolsFollowTheCollector) {
  const ProtocolCase cases[] = {
      {"distributor:\n", true, true, "127.0.0.1:4317", "127.0.0.1:4318"},
      {"distributor:\n  receivers:\n    otlp:\n", true, true, "127.0.0.1:4317", "127.0.0.1:4318"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n", true, false, "127.0.0.1:4317", "127.0.0.1:4318"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        http:\n", false, true, "127.0.0.1:4317", "127.0.0.1:4318"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n        http:\n          endpoint: 0.0.0.0:4318\n",
       true, true, "127.0.0.1:4317", "0.0.0.0:4318"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        http: {endpoint: \"localhost:9411\"}\n", false, true,
       "127.0.0.1:4317", "localhost:9411"},
  };
  for (const ProtocolCase& c : cases) {
    Result<ServerConfig> r = ParseServerConfig(c.yaml, "tempo.yml");
    ASSERT_TRUE(r.ok()) << c.yaml << r.status().message();
    EXPECT_EQ(r->otlp.grpc.enabled, c.grpc) << c.yaml;
    EXPECT_EQ(r->otlp.http.enabled, c.http) << c.yaml;
    EXPECT_EQ(r->otlp.grpc.endpoint, c.grpc_endpoint) << c.yaml;
    EXPECT_EQ(r->otlp.http.endpoint, c.http_endpoint) << c.yaml;
  }
}

TEST(ServerConfigTest, NoReceiverIsAWarning) {
  for (const char* yaml : {"distributor:\n  receivers:\n    jaeger:\n", "distributor:\n  receivers:\n    otlp:\n      protocols:\n"}) {
    Result<ServerConfig> r = ParseServerConfig(yaml, "tempo.yml");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_FALSE(r->otlp.grpc.enabled);
    EXPECT_FALSE(r->otlp.http.enabled);
    std::vector<std::string> got = Strings(r->diagnostics);
    ASSERT_FALSE(got.empty());
    EXPECT_EQ(got.back(), "warning tempo.yml:2:3: distributor.receivers: no OTLP receiver is enabled, so no traces can be received");
  }
}

TEST(ServerConfigTest, OverridesNestedAndLegacy) {
  Result<ServerConfig> nested = ParseServerConfig(
      "overrides:\n"
      "  defaults:\n"
      "    ingestion:\n"
      "      rate_limit_bytes: 32000000\n"
      "      burst_size_bytes: 48MB\n"
      "      max_traces_per_user: 50000\n"
      "    global:\n"
      "      max_bytes_per_trace: 10MiB\n",
      "tempo.yml");
  ASSERT_TRUE(nested.ok()) << nested.status().message();
  EXPECT_EQ(nested->limits.rate_limit_bytes, 32'000'000u);
  EXPECT_EQ(nested->limits.burst_size_bytes, 48'000'000u);
  EXPECT_EQ(nested->limits.max_traces_per_user, 50'000u);
  EXPECT_EQ(nested->limits.max_bytes_per_trace, 10 * kMiB);
  EXPECT_TRUE(nested->diagnostics.empty());

  Result<ServerConfig> legacy = ParseServerConfig(
      "overrides:\n"
      "  ingestion_rate_strategy: global\n"
      "  ingestion_rate_limit_bytes: 1_500_000\n"
      "  ingestion_burst_size_bytes: 2_000_000\n"
      "  max_traces_per_user: 100\n"
      "  max_bytes_per_trace: 1000\n"
      "  metrics_generator_processors: [service-graphs]\n"
      "  metrics_generator_max_active_series: 1000\n"
      "  per_tenant_override_config: /etc/overrides.yaml\n",
      "tempo.yml");
  ASSERT_TRUE(legacy.ok()) << legacy.status().message();
  EXPECT_EQ(legacy->limits.rate_strategy, "global");
  EXPECT_EQ(legacy->limits.rate_limit_bytes, 1'500'000u);
  EXPECT_EQ(legacy->limits.burst_size_bytes, 2'000'000u);
  EXPECT_EQ(legacy->limits.max_traces_per_user, 100u);
  EXPECT_EQ(legacy->limits.max_bytes_per_trace, 1000u);
  EXPECT_EQ(legacy->limits.metrics_generator_processors, (std::vector<std::string>{"service-graphs"}));
  EXPECT_EQ(Strings(legacy->diagnostics),
            (std::vector<std::string>{
                "notice tempo.yml:7:3: overrides.metrics_generator_processors: accepted and kept for later; not implemented yet",
                "notice tempo.yml:8:3: overrides.metrics_generator_max_active_series: accepted but not implemented yet (ignored)",
                "notice tempo.yml:9:3: overrides.per_tenant_override_config: accepted but not implemented yet (ignored)",
            }));
}

TEST(ServerConfigTest, RemoteWriteEntries) {
  Result<ServerConfig> r = ParseServerConfig(
      "metrics_generator:\n"
      "  storage:\n"
      "    remote_write:\n"
      "      - url: http://a/api/v1/write\n"
      "        name: a\n"
      "        headers: {X-Scope-OrgID: t1}\n"
      "      - url: http://b/api/v1/write\n"
      "        send_exemplars: yes\n"
      "        queue_config: {capacity: 10}\n",
      "tempo.yml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const auto& rw = r->metrics_generator.remote_write;
  ASSERT_EQ(rw.size(), 2u);
  EXPECT_EQ(rw[0].url, "http://a/api/v1/write");
  EXPECT_EQ(rw[0].name, "a");
  EXPECT_FALSE(rw[0].send_exemplars);
  EXPECT_EQ(rw[0].headers, (std::map<std::string, std::string>{{"X-Scope-OrgID", "t1"}}));
  EXPECT_EQ(rw[1].url, "http://b/api/v1/write");
  EXPECT_TRUE(rw[1].send_exemplars);
  // queue_config is inside the already-announced metrics_generator: no notice of its own.
  EXPECT_EQ(Strings(r->diagnostics),
            (std::vector<std::string>{"notice tempo.yml:1:1: metrics_generator: accepted and kept for later; not implemented yet"}));
}

struct BadCase {
  const char* yaml;
  const char* error;  // the whole Status message
};

TEST(ServerConfigTest, BadConfigsFailWithFileLineColumn) {
  const BadCase cases[] = {
      // Values of the wrong kind.
      {"ingester:\n  max_block_duration: 5 minutes\n",
       "tempo.yml:2:23: ingester.max_block_duration: invalid duration \"5 minutes\" (want e.g. 30s, 5m, 1h)"},
      {"ingester:\n  max_block_duration: 300\n",
       "tempo.yml:2:23: ingester.max_block_duration: invalid duration \"300\" (missing unit; want e.g. 30s, 5m, 1h)"},
      {"compactor:\n  compaction:\n    block_retention: 7d\n",
       "tempo.yml:3:22: compactor.compaction.block_retention: invalid duration \"7d\" (Go durations have no \"d\", use h; want e.g. 30s, 5m, 1h)"},
      {"compactor:\n  compaction:\n    compaction_cycle: -1s\n",
       "tempo.yml:3:23: compactor.compaction.compaction_cycle: invalid duration \"-1s\": must not be negative"},
      {"ingester:\n  trace_idle_period: -10s\n",
       "tempo.yml:2:22: ingester.trace_idle_period: invalid duration \"-10s\": must not be negative"},
      {"ingester:\n  max_block_bytes: -5\n", "tempo.yml:2:20: ingester.max_block_bytes: invalid size \"-5\": must not be negative"},
      {"ingester:\n  max_block_bytes: lots\n",
       "tempo.yml:2:20: ingester.max_block_bytes: invalid size \"lots\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
      {"ingester:\n  max_block_bytes: 0100\n",
       "tempo.yml:2:20: ingester.max_block_bytes: invalid size \"0100\": a leading zero makes YAML read it as octal; drop the zero (or write 0o... for octal)"},
      {"ingester:\n  max_block_bytes: 99999999999999999999\n",
       "tempo.yml:2:20: ingester.max_block_bytes: invalid size \"99999999999999999999\": too large"},
      {"ingester:\n  max_block_bytes: 1.5B\n", "tempo.yml:2:20: ingester.max_block_bytes: invalid size \"1.5B\": not a whole number of bytes"},
      {"ingester:\n  max_block_bytes: {a: 1}\n", "tempo.yml:2:20: ingester.max_block_bytes: want a single value, got a map"},
      {"ingester:\n  max_block_bytes: [1]\n", "tempo.yml:2:20: ingester.max_block_bytes: want a single value, got a list"},
      {"server:\n  http_listen_port: 70000\n", "tempo.yml:2:21: server.http_listen_port: invalid port \"70000\" (want 0 to 65535)"},
      {"server:\n  http_listen_port: http\n", "tempo.yml:2:21: server.http_listen_port: invalid port \"http\" (want 0 to 65535)"},
      {"multitenancy_enabled: maybe\n", "tempo.yml:1:23: multitenancy_enabled: invalid boolean \"maybe\" (want true or false)"},
      {"server:\n  log_level: verbose\n",
       "tempo.yml:2:14: server.log_level: invalid value \"verbose\" (want one of: debug, info, warn, error)"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n          endpoint: localhost\n",
       "tempo.yml:6:21: distributor.receivers.otlp.protocols.grpc.endpoint: invalid endpoint \"localhost\" (no port; want host:port, e.g. 0.0.0.0:4317)"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        http:\n          endpoint: \"::1:4318\"\n",
       "tempo.yml:6:21: distributor.receivers.otlp.protocols.http.endpoint: invalid endpoint \"::1:4318\" (put IPv6 addresses in brackets, e.g. [::1]:4317; want host:port, e.g. 0.0.0.0:4317)"},
      {"distributor:\n  receivers:\n    otlp:\n      protocols:\n        grpc:\n          max_recv_msg_size_mib: 4096\n",
       "tempo.yml:6:34: distributor.receivers.otlp.protocols.grpc.max_recv_msg_size_mib: invalid value \"4096\" (gRPC messages are limited to 2047 MiB)"},
      // Backends and targets Rubato does not have.
      {"storage:\n  trace:\n    backend: s3\n", "tempo.yml:3:14: storage.trace.backend: backend \"s3\" is not supported yet (supported: local)"},
      {"storage:\n  trace:\n    backend: floppy\n", "tempo.yml:3:14: storage.trace.backend: unknown backend \"floppy\" (supported: local)"},
      {"target: querier\n", "tempo.yml:1:9: target: target \"querier\" is not supported: Rubato runs every component in one process (use all)"},
      // Structure.
      {"server: 3200\n", "tempo.yml:1:9: server: want a map of settings, got a single value"},
      {"- server\n", "tempo.yml:1:1: the top level: want a map of settings, got a list"},
      {"server:\n  http_listen_port: 1\n  http_listen_port: 2\n", "tempo.yml:3:3: duplicate key \"server.http_listen_port\""},
      {"metrics_generator:\n  storage:\n    remote_write: http://x\n",
       "tempo.yml:3:19: metrics_generator.storage.remote_write: want a list, got a single value"},
      {"metrics_generator:\n  storage:\n    remote_write:\n      - send_exemplars: true\n",
       "tempo.yml:4:9: metrics_generator.storage.remote_write[0]: url is required"},
      {"metrics_generator:\n  processor:\n    span_metrics:\n      dimensions: service.name\n",
       "tempo.yml:4:19: metrics_generator.processor.span_metrics.dimensions: want a list of values, e.g. [a, b], got a single value"},
      {"overrides:\n  defaults:\n    ingestion:\n      rate_limit_bytes: 1\n  ingestion_burst_size_bytes: 2\n",
       "tempo.yml:5:3: cannot mix \"overrides.defaults\" (nested form) with \"overrides.ingestion_burst_size_bytes\" (legacy flat form); use one form"},
      // YAML syntax, as yaml-cpp reports it.
      {"server:\n  http_listen_port: [3200\n", "tempo.yml:3:1: YAML syntax error: end of sequence flow not found"},
      {"server:\n\thttp_listen_port: 3200\n", "tempo.yml:2:18: YAML syntax error: illegal map value (tabs cannot indent YAML; use spaces)"},
      {"a: b: c\n", "tempo.yml:1:5: YAML syntax error: illegal map value"},
      {"storage: &s\n  trace: *nope\n", "tempo.yml:2:10: YAML syntax error: the referenced anchor is not defined"},
      // Several errors: all of them, one per line.
      {"ingester:\n  max_block_bytes: -1\n  max_block_duration: x\n",
       "tempo.yml:2:20: ingester.max_block_bytes: invalid size \"-1\": must not be negative\n"
       "tempo.yml:3:23: ingester.max_block_duration: invalid duration \"x\" (want e.g. 30s, 5m, 1h)"},
  };
  for (const BadCase& c : cases) {
    Result<ServerConfig> r = ParseServerConfig(c.yaml, "tempo.yml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.error) << c.yaml;
  }
}

struct WarnCase {
  const char* yaml;
  std::vector<std::string> diagnostics;
};

TEST(ServerConfigTest, UnknownKeysWarnWithSuggestions) {
  const WarnCase cases[] = {
      {"distributer:\n  receivers: {}\n", {"warning tempo.yml:1:1: unknown key \"distributer\" (did you mean \"distributor\"?)"}},
      {"server:\n  http_listen_prot: 3200\n",
       {"warning tempo.yml:2:3: unknown key \"server.http_listen_prot\" (did you mean \"server.http_listen_port\"?)"}},
      {"ingester:\n  max_blok_bytes: 1\n  trace_idel_period: 5s\n",
       {"warning tempo.yml:2:3: unknown key \"ingester.max_blok_bytes\" (did you mean \"ingester.max_block_bytes\"?)",
        "warning tempo.yml:3:3: unknown key \"ingester.trace_idel_period\" (did you mean \"ingester.trace_idle_period\"?)"}},
      // Right name, wrong parent: the usual result of a lost indentation.
      {"server:\n  max_block_duration: 5m\n",
       {"warning tempo.yml:2:3: unknown key \"server.max_block_duration\" (did you mean \"ingester.max_block_duration\"? check the indentation)"}},
      {"block_retention: 24h\n",
       {"warning tempo.yml:1:1: unknown key \"block_retention\" (did you mean \"compactor.compaction.block_retention\"? check the indentation)"}},
      {"ingester:\n  zzz_unrelated: 1\n", {"warning tempo.yml:2:3: unknown key \"ingester.zzz_unrelated\""}},
      // A key Tempo reads somewhere else.
      {"overrides:\n  defaults:\n    ingestion:\n      max_bytes_per_trace: 1\n",
       {"warning tempo.yml:4:7: overrides.defaults.ingestion.max_bytes_per_trace: ignored here; Tempo reads it from "
        "\"overrides.defaults.global.max_bytes_per_trace\""}},
      {"ingester:\n  max_block_bytes:\n", {"warning tempo.yml:2:3: ingester.max_block_bytes: no value; keeping the default"}},
      {"overrides:\n  defaults:\n    metrics_generator:\n      processors: [service-graph, span-metrics, magic]\n",
       {"notice tempo.yml:3:5: overrides.defaults.metrics_generator: accepted and kept for later; not implemented yet",
        "warning tempo.yml:4:19: overrides.defaults.metrics_generator.processors: unknown metrics-generator processor "
        "\"service-graph\" (did you mean \"service-graphs\"?)",
        "warning tempo.yml:4:19: overrides.defaults.metrics_generator.processors: unknown metrics-generator processor \"magic\""}},
      {"server: {http_listen_port: 1}\n---\nserver: {http_listen_port: 2}\n",
       {"warning tempo.yml:2:1: only the first YAML document is read; the rest are ignored"}},
  };
  for (const WarnCase& c : cases) {
    Result<ServerConfig> r = ParseServerConfig(c.yaml, "tempo.yml");
    ASSERT_TRUE(r.ok()) << c.yaml << r.status().message();
    EXPECT_EQ(Strings(r->diagnostics), c.diagnostics) << c.yaml;
  }
}

TEST(ServerConfigTest, UnknownKeysFromAFile) {
  const std::string path = kFixtures + "typos.yml";
  Result<ServerConfig> r = LoadServerConfig(path);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->ingester.max_block_duration, minutes(5));
  EXPECT_EQ(Strings(r->diagnostics),
            (std::vector<std::string>{
                "warning " + path + ":1:1: unknown key \"distributer\" (did you mean \"distributor\"?)",
                "warning " + path + ":4:3: unknown key \"server.http_listen_prot\" (did you mean \"server.http_listen_port\"?)",
                "warning " + path + ":5:3: unknown key \"server.max_block_bytes\" (did you mean \"ingester.max_block_bytes\"? check the indentation)",
                "warning " + path + ":8:3: unknown key \"ingester.zzz_unrelated\"",
            }));
}

TEST(ServerConfigTest, NotImplementedKeysGetOneNoticeEach) {
  Result<ServerConfig> r = ParseServerConfig(
      "query_frontend:\n"
      "  search:\n"
      "    duration_slo: 5s\n"
      "memberlist:\n"
      "  join_members: [a]\n"
      "server:\n"
      "  grpc_listen_port: 9095\n"
      "  graceful_shutdown_timeout: 5s\n"
      "storage:\n"
      "  trace:\n"
      "    block:\n"
      "      version: vParquet4\n"
      "stream_over_http_enabled: true\n",
      "tempo.yml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Strings(r->diagnostics),
            (std::vector<std::string>{
                "notice tempo.yml:1:1: query_frontend: accepted but not implemented yet (ignored)",
                "notice tempo.yml:4:1: memberlist: accepted but not implemented yet (ignored)",
                "notice tempo.yml:7:3: server.grpc_listen_port: accepted but not implemented yet (ignored)",
                "notice tempo.yml:8:3: server.graceful_shutdown_timeout: accepted but not implemented yet (ignored)",
                "notice tempo.yml:11:5: storage.trace.block: accepted but not implemented yet (ignored)",
                "notice tempo.yml:13:1: stream_over_http_enabled: accepted but not implemented yet (ignored)",
            }));
}

TEST(ServerConfigTest, AuthEnabledIsTheOldNameForMultitenancy) {
  struct Case {
    const char* yaml;
    bool on;
  } cases[] = {
      {"auth_enabled: true\n", true},
      {"auth_enabled: true\nmultitenancy_enabled: false\n", true},
      {"multitenancy_enabled: yes\nauth_enabled: false\n", true},
      {"multitenancy_enabled: off\n", false},
  };
  for (const Case& c : cases) {
    Result<ServerConfig> r = ParseServerConfig(c.yaml, "tempo.yml");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->multitenancy_enabled, c.on) << c.yaml;
  }
}

TEST(ServerConfigTest, LoadErrors) {
  Result<ServerConfig> missing = LoadServerConfig(kFixtures + "no-such-file.yml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), kFixtures + "no-such-file.yml: cannot read the config file: No such file or directory");

  Result<ServerConfig> dir = LoadServerConfig(kFixtures);
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dir.status().message(), kFixtures + ": cannot read the config file: Is a directory");

  Result<ServerConfig> bad = LoadServerConfig(kFixtures + "bad-duration.yml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), kFixtures +
                                        "bad-duration.yml:4:23: ingester.max_block_duration: invalid duration \"5 minutes\" "
                                        "(want e.g. 30s, 5m, 1h)");
}

// Whatever the bytes, loading returns a config or a Status: every prefix of the
// seed file, and the seed with each byte replaced by YAML's special characters.
TEST(ServerConfigTest, DamagedFilesNeverThrow) {
  std::string seed;
  {
    std::FILE* f = std::fopen((kFixtures + "seed-tempo.yml").c_str(), "rb");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    while (size_t n = std::fread(buf, 1, sizeof buf, f)) seed.append(buf, n);
    std::fclose(f);
  }
  size_t failures = 0;
  for (size_t len = 0; len <= seed.size(); ++len) {
    Result<ServerConfig> r = ParseServerConfig(std::string_view(seed).substr(0, len), "tempo.yml");
    failures += r.ok() ? 0 : 1;
  }
  for (size_t i = 0; i < seed.size(); i += 2) {  // every other byte keeps the test quick under ASan
    for (char c : {'\t', ':', '-', '[', '&', '*', '\0', '"'}) {
      std::string damaged = seed;
      damaged[i] = c;
      Result<ServerConfig> r = ParseServerConfig(damaged, "tempo.yml");
      failures += r.ok() ? 0 : 1;
      if (!r.ok()) {
        EXPECT_EQ(r.status().message().rfind("tempo.yml", 0), 0u) << r.status().message();
      }
    }
  }
  EXPECT_GT(failures, 0u);
}

}  // namespace
}  // namespace rubato::config

namespace rubato::config {
namespace {

// Found by fuzz/server_config_fuzz: yaml-cpp's LoadAll never returns on these.
TEST(ServerConfigRegressionTest, InputsThatHungYamlLoadAll) {
  for (const char* yaml : {",", ",\n,", "a: 1\n,"}) {
    auto r = ParseServerConfig(yaml, "x.yml");  // must return at all
    (void)r;
  }
  auto r = ParseServerConfig(",", "x.yml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->server.http_listen_port, 3200);
}

}  // namespace
}  // namespace rubato::config
