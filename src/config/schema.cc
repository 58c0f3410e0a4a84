#include "config/schema.h"

#include <initializer_list>
#include <utility>

#include "config/value_syntax.h"

namespace rubato::config {
namespace {

// ---- Building the tree. ----

KeyNode Leaf(std::string name, Setter set) {
  KeyNode n;
  n.name = std::move(name);
  n.kind = Kind::kLeaf;
  n.set = set;
  return n;
}

KeyNode Section(std::string name, std::vector<KeyNode> children, Setter enter = nullptr, Setter after = nullptr) {
  KeyNode n;
  n.name = std::move(name);
  n.kind = Kind::kSection;
  n.set = enter;
  n.after = after;
  n.children = std::move(children);
  return n;
}

KeyNode List(std::string name, std::vector<KeyNode> item_keys, Setter enter, Setter after) {
  KeyNode n = Section(std::move(name), std::move(item_keys), enter, after);
  n.kind = Kind::kList;
  return n;
}

// A Tempo key Rubato accepts without looking inside; a notice says it has no effect.
KeyNode Opaque(std::string name) {
  KeyNode n;
  n.name = std::move(name);
  n.kind = Kind::kOpaque;
  n.support = Support::kNotImplemented;
  return n;
}

KeyNode NotYet(KeyNode n) {
  n.support = Support::kNotImplemented;
  return n;
}

KeyNode Kept(KeyNode n) {
  n.support = Support::kKept;
  return n;
}

KeyNode InGroup(int group, KeyNode n) {
  n.group = group;
  return n;
}

KeyNode Misplaced(std::string name, std::string belongs_at) {
  KeyNode n;
  n.name = std::move(name);
  n.kind = Kind::kMisplaced;
  n.hint = std::move(belongs_at);
  return n;
}

// The keys a section reads, then the Tempo keys it only accepts.
std::vector<KeyNode> Keys(std::vector<KeyNode> typed, std::initializer_list<const char*> accepted = {}) {
  for (const char* name : accepted) typed.push_back(Opaque(name));
  return typed;
}

// A captureless setter; `v` is the Value, `c` the ServerConfig.
#define SET(...) [](Value& v, ServerConfig& c) -> bool { return __VA_ARGS__; }

// ---- Setters with more to them than one typed read. ----

bool SetTarget(Value& v, ServerConfig&) {
  std::string t;
  if (!v.String(&t)) return false;
  if (t == "all" || t == "scalable-single-binary") return true;
  v.Error("target " + Quote(t) + " is not supported: Rubato runs every component in one process (use all)");
  return false;
}

bool SetBackend(Value& v, ServerConfig& c) {
  std::string b;
  if (!v.String(&b)) return false;
  if (b == "local") {
    c.storage.backend = b;
    return true;
  }
  if (b == "s3" || b == "gcs" || b == "azure") {
    v.Error("backend " + Quote(b) + " is not supported yet (supported: local)");
  } else {
    v.Error("unknown backend " + Quote(b) + " (supported: local)");
  }
  return false;
}

// The collector sets gRPC's limit in MiB; 0 means "the default" there too.
bool SetGrpcMaxMib(Value& v, ServerConfig& c) {
  uint64_t mib = 0;
  if (!v.Count(&mib)) return false;
  if (mib > 2047) {
    v.Error("invalid value " + Quote(v.node().Scalar()) + " (gRPC messages are limited to 2047 MiB)");
    return false;
  }
  if (mib > 0) c.otlp.grpc.max_body_bytes = mib * kMiB;
  return true;
}

bool SetHttpMaxBody(Value& v, ServerConfig& c) {
  uint64_t bytes = 0;
  if (!v.Size(&bytes)) return false;
  if (bytes > 0) c.otlp.http.max_body_bytes = bytes;
  return true;
}

// Tempo checks processor names only when the generator starts; a typo there
// silently generates nothing, so say so now (as a warning: Tempo adds names).
bool SetProcessors(Value& v, ServerConfig& c) {
  static constexpr std::string_view kKnown[] = {"service-graphs",       "span-metrics",      "local-blocks",
                                                "span-metrics-latency", "span-metrics-count", "span-metrics-size",
                                                "host-info"};
  if (!v.StringList(&c.limits.metrics_generator_processors)) return false;
  for (const std::string& p : c.limits.metrics_generator_processors) {
    std::string_view best;
    size_t best_d = 3;
    for (std::string_view k : kKnown) {
      size_t d = EditDistance(p, k);
      if (d < best_d) best_d = d, best = k;
    }
    if (best_d == 0) continue;
    std::string msg = "unknown metrics-generator processor " + Quote(p);
    if (!best.empty()) msg += " (did you mean " + Quote(best) + "?)";
    v.Warn(msg);
  }
  return true;
}

bool EnterMetricsGenerator(Value& v, ServerConfig& c) {
  c.metrics_generator.configured = true;
  // Kept verbatim (re-emitted) so that a later generator sees every key,
  // including those without a typed field here.
  if (!v.node().IsNull()) c.metrics_generator.raw_yaml = YAML::Dump(v.node());
  return true;
}

bool AfterRemoteWrite(Value& v, ServerConfig& c) {
  if (!c.metrics_generator.remote_write.back().url.empty()) return true;
  v.Error("url is required");
  return false;
}

// auth_enabled is Tempo's old name for multitenancy_enabled; as in Tempo,
// either one being true turns multitenancy on, whatever their order.
bool SetMultitenancy(Value& v, ServerConfig& c) {
  bool on = false;
  if (!v.Bool(&on)) return false;
  c.multitenancy_enabled = c.multitenancy_enabled || on;
  return true;
}

// Receivers follow the collector: a protocol runs when its key is present.
// Rubato's defaults (both on) hold until the file names receivers at all.
void SetOtlp(ServerConfig& c, bool grpc, bool http) {
  c.otlp.grpc.enabled = grpc;
  c.otlp.http.enabled = http;
}

bool AfterReceivers(Value& v, ServerConfig& c) {
  if (!c.otlp.grpc.enabled && !c.otlp.http.enabled) v.Warn("no OTLP receiver is enabled, so no traces can be received", /*at_key=*/true);
  return true;
}

// ---- The keys, section by section. ----

KeyNode ServerKeys() {
  return Section("server", Keys({
      Leaf("http_listen_address", SET(v.String(&c.server.http_listen_address))),
      Leaf("http_listen_port", SET(v.Port(&c.server.http_listen_port))),
      NotYet(Leaf("grpc_listen_port", SET(v.Port(&c.server.grpc_listen_port)))),
      NotYet(Leaf("log_level", SET(v.OneOf(&c.server.log_level, {"debug", "info", "warn", "error"})))),
      NotYet(Leaf("log_format", SET(v.OneOf(&c.server.log_format, {"logfmt", "json"})))),
  }, {"http_listen_network", "http_listen_conn_limit", "grpc_listen_address", "grpc_listen_network",
      "grpc_listen_conn_limit", "http_tls_config", "grpc_tls_config", "register_instrumentation",
      "graceful_shutdown_timeout", "http_server_read_timeout", "http_server_write_timeout",
      "http_server_idle_timeout", "http_path_prefix", "grpc_server_max_recv_msg_size",
      "grpc_server_max_send_msg_size", "grpc_server_max_concurrent_streams", "grpc_server_max_connection_idle",
      "grpc_server_max_connection_age", "grpc_server_max_connection_age_grace", "grpc_server_keepalive_time",
      "grpc_server_keepalive_timeout", "grpc_server_min_time_between_pings",
      "grpc_server_ping_without_stream_allowed", "log_source_ips_enabled", "log_source_ips_header",
      "log_source_ips_regex", "log_request_headers", "log_request_at_info_level_enabled",
      "log_request_exclude_headers_list"}));
}

KeyNode DistributorKeys() {
  KeyNode grpc = Section("grpc", Keys({
      Leaf("endpoint", SET(v.Endpoint(&c.otlp.grpc.endpoint))),
      Leaf("max_recv_msg_size_mib", SetGrpcMaxMib),
  }, {"transport", "tls", "max_concurrent_streams", "read_buffer_size", "write_buffer_size", "keepalive", "auth",
      "include_metadata"}), SET((c.otlp.grpc.enabled = true)));
  KeyNode http = Section("http", Keys({
      Leaf("endpoint", SET(v.Endpoint(&c.otlp.http.endpoint))),
      Leaf("max_request_body_size", SetHttpMaxBody),
  }, {"tls", "cors", "include_metadata", "auth", "traces_url_path", "metrics_url_path", "logs_url_path",
      "response_headers", "compression_algorithms"}), SET((c.otlp.http.enabled = true)));
  KeyNode protocols = Section("protocols", {grpc, http}, SET((SetOtlp(c, false, false), true)));
  KeyNode otlp = Section("otlp", {protocols}, SET((SetOtlp(c, true, true), true)));
  KeyNode receivers = Section("receivers", Keys({otlp}, {"jaeger", "zipkin", "opencensus", "kafka"}),
                              SET((SetOtlp(c, false, false), true)), AfterReceivers);
  return Section("distributor", Keys({receivers},
      {"ring", "log_received_spans", "log_discarded_spans", "log_received_traces", "metric_received_spans",
       "forwarders", "extend_writes", "search_tags_deny_list", "max_attribute_bytes",
       "retry_after_on_resource_exhausted", "usage", "override_ring_key", "kafka_write_path_enabled",
       "ingester_write_path_enabled"}));
}

KeyNode IngesterKeys() {
  return Section("ingester", Keys({
      Leaf("max_block_bytes", SET(v.Size(&c.ingester.max_block_bytes))),
      Leaf("max_block_duration", SET(v.Duration(&c.ingester.max_block_duration))),
      Leaf("trace_idle_period", SET(v.Duration(&c.ingester.trace_idle_period))),
  }, {"lifecycler", "concurrent_flushes", "flush_check_period", "flush_op_timeout", "complete_block_timeout",
      "override_ring_key", "flush_all_on_shutdown"}));
}

KeyNode CompactorKeys() {
  KeyNode compaction = Section("compaction", Keys({
      Leaf("block_retention", SET(v.Duration(&c.compactor.block_retention))),
      Leaf("compaction_window", SET(v.Duration(&c.compactor.compaction_window))),
      Leaf("max_compaction_objects", SET(v.Size(&c.compactor.max_compaction_objects))),
      Leaf("compaction_cycle", SET(v.Duration(&c.compactor.compaction_cycle))),
  }, {"compacted_block_retention",
      "max_block_bytes", "max_time_per_tenant", "retention_concurrency", "v2_in_buffer_bytes", "v2_out_buffer_bytes",
      "v2_prefetch_traces_count", "flush_size_bytes", "iterator_buffer_size"}));
  return Section("compactor", Keys({compaction}, {"ring", "override_ring_key", "disabled"}));
}

KeyNode StorageKeys() {
  KeyNode trace = Section("trace", Keys({
      Leaf("backend", SetBackend),
      Section("local", {Leaf("path", SET(v.String(&c.storage.local_path)))}),
      Section("wal", Keys({Leaf("path", SET(v.String(&c.storage.wal_path)))},
                          {"v2_encoding", "search_encoding", "ingestion_time_range_slack", "version", "encoding"})),
  }, {"block", "search", "pool", "cache", "cache_min_compaction_level", "cache_max_block_age", "background_cache",
      "memcached", "redis", "s3", "gcs", "azure", "blocklist_poll", "blocklist_poll_concurrency",
      "blocklist_poll_fallback", "blocklist_poll_tenant_index_builders", "blocklist_poll_stale_tenant_index",
      "blocklist_poll_jitter_ms", "blocklist_poll_tolerate_consecutive_errors", "blocklist_poll_tenant_concurrency",
      "empty_tenant_deletion_enabled", "empty_tenant_deletion_age"}));
  return Section("storage", {trace});
}

KeyNode MetricsGeneratorKeys() {
  KeyNode service_graphs = Section("service_graphs", Keys({
      Leaf("dimensions", SET(v.StringList(&c.metrics_generator.service_graphs_dimensions))),
      Leaf("wait", SET(v.Duration(&c.metrics_generator.service_graphs_wait))),
  }, {"max_items", "workers", "histogram_buckets", "peer_attributes", "span_multiplier_key",
      "enable_client_server_prefix", "enable_messaging_system_latency_histogram", "enable_virtual_node_label",
      "database_name_attributes", "filter_policies"}));
  KeyNode span_metrics = Section("span_metrics", Keys({
      Leaf("dimensions", SET(v.StringList(&c.metrics_generator.span_metrics_dimensions))),
  }, {"histogram_buckets", "intrinsic_dimensions", "dimension_mappings", "enable_target_info",
      "target_info_excluded_dimensions", "span_multiplier_key", "subprocessors", "filter_policies",
      "enable_instance_label"}));
  KeyNode processor = Section("processor", Keys({service_graphs, span_metrics}, {"local_blocks", "host_info"}));
  KeyNode registry = Section("registry", Keys({
      Leaf("external_labels", SET(v.StringMap(&c.metrics_generator.external_labels))),
  }, {"collection_interval", "stale_duration", "max_label_name_length", "max_label_value_length",
      "inject_tenant_id_as"}));
  KeyNode remote_write = List("remote_write", Keys({
      Leaf("url", SET(v.String(&c.metrics_generator.remote_write.back().url))),
      Leaf("name", SET(v.String(&c.metrics_generator.remote_write.back().name))),
      Leaf("send_exemplars", SET(v.Bool(&c.metrics_generator.remote_write.back().send_exemplars))),
      Leaf("headers", SET(v.StringMap(&c.metrics_generator.remote_write.back().headers))),
  }, {"remote_timeout", "send_native_histograms", "write_relabel_configs", "basic_auth", "authorization", "sigv4",
      "oauth2", "azuread", "tls_config", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header",
      "follow_redirects", "enable_http2", "queue_config", "metadata_config", "protobuf_message", "round_robin_dns",
      "bearer_token", "bearer_token_file", "http_headers"}),
      SET((c.metrics_generator.remote_write.emplace_back(), true)), AfterRemoteWrite);
  KeyNode storage = Section("storage", Keys({
      Leaf("path", SET(v.String(&c.metrics_generator.storage_path))),
      remote_write,
  }, {"wal", "remote_write_flush_deadline", "remote_write_add_org_id_header"}));
  KeyNode traces_storage = Section("traces_storage", Keys({
      Leaf("path", SET(v.String(&c.metrics_generator.traces_storage_path))),
  }, {"v2_encoding", "search_encoding", "ingestion_time_range_slack", "version"}));
  return Kept(Section("metrics_generator", Keys({processor, registry, storage, traces_storage},
      {"ring", "traces_query_storage", "metrics_ingestion_time_range_slack", "query_timeout", "override_ring_key",
       "codec", "disable_grpc", "instance_id"}), EnterMetricsGenerator));
}

// Tempo reads `overrides` in one of two exclusive forms: the nested one
// (overrides.defaults.ingestion.rate_limit_bytes, Tempo 2.3 on) and the
// legacy flat one (overrides.ingestion_rate_limit_bytes).
constexpr int kNested = 1;
constexpr int kLegacy = 2;

KeyNode NestedOverrides() {
  KeyNode ingestion = Section("ingestion", Keys({
      Leaf("rate_strategy", SET(v.OneOf(&c.limits.rate_strategy, {"local", "global"}))),
      Leaf("rate_limit_bytes", SET(v.Size(&c.limits.rate_limit_bytes))),
      Leaf("burst_size_bytes", SET(v.Size(&c.limits.burst_size_bytes))),
      Leaf("max_traces_per_user", SET(v.Count(&c.limits.max_traces_per_user))),
      Misplaced("max_bytes_per_trace", "overrides.defaults.global.max_bytes_per_trace"),
  }, {"max_global_traces_per_user", "tenant_shard_size", "max_attribute_bytes", "artificial_delay",
      "retry_info_enabled"}));
  KeyNode global = Section("global", {Leaf("max_bytes_per_trace", SET(v.Size(&c.limits.max_bytes_per_trace)))});
  KeyNode generator = Kept(Section("metrics_generator", Keys({
      Leaf("processors", SetProcessors),
  }, {"ring_size", "max_active_series", "max_active_entities", "collection_interval", "disable_collection",
      "generate_native_histograms", "native_histogram_bucket_factor", "native_histogram_max_bucket_number",
      "native_histogram_min_reset_duration", "trace_id_label_name", "remote_write_headers", "forwarder",
      "processor", "ingestion_time_range_slack"})));
  return InGroup(kNested, Section("defaults", Keys({ingestion, global, generator},
      {"read", "compaction", "forwarders", "storage", "cost_attribution"})));
}

std::vector<KeyNode> LegacyOverrides() {
  std::vector<KeyNode> keys = Keys({
      Leaf("ingestion_rate_strategy", SET(v.OneOf(&c.limits.rate_strategy, {"local", "global"}))),
      Leaf("ingestion_rate_limit_bytes", SET(v.Size(&c.limits.rate_limit_bytes))),
      Leaf("ingestion_burst_size_bytes", SET(v.Size(&c.limits.burst_size_bytes))),
      Leaf("max_traces_per_user", SET(v.Count(&c.limits.max_traces_per_user))),
      Leaf("max_bytes_per_trace", SET(v.Size(&c.limits.max_bytes_per_trace))),
      Kept(Leaf("metrics_generator_processors", SetProcessors)),
  }, {"max_global_traces_per_user", "ingestion_tenant_shard_size", "ingestion_max_attribute_bytes",
      "ingestion_artificial_delay", "ingestion_retry_info_enabled", "forwarders", "block_retention",
      "compaction_window", "compaction_disabled", "max_bytes_per_tag_values_query",
      "max_blocks_per_tag_values_query", "max_search_duration", "max_metrics_duration", "unsafe_query_hints",
      "parquet_dedicated_columns", "metrics_generator_*"});
  for (KeyNode& k : keys) k.group = kLegacy;
  return keys;
}

KeyNode OverridesKeys() {
  std::vector<KeyNode> keys = Keys({NestedOverrides()},
      {"per_tenant_override_config", "per_tenant_override_period", "user_configurable_overrides"});
  for (KeyNode& k : LegacyOverrides()) keys.push_back(std::move(k));
  return Section("overrides", std::move(keys));
}

KeyNode BuildSchema() {
  return Section("", Keys({
      Leaf("target", SetTarget),
      Leaf("multitenancy_enabled", SetMultitenancy),
      Leaf("auth_enabled", SetMultitenancy),
      ServerKeys(), DistributorKeys(), IngesterKeys(), CompactorKeys(), StorageKeys(), MetricsGeneratorKeys(),
      OverridesKeys(),
  }, {"http_api_prefix", "stream_over_http_enabled", "use_otel_tracer", "search_enabled", "metrics_generator_enabled",
      "querier", "query_frontend", "memberlist", "ingester_client", "metrics_generator_client", "usage_report",
      "cache", "internal_server", "ingest", "block_builder", "backend_scheduler", "backend_scheduler_client",
      "backend_worker", "live_store", "live_store_client"}));
}

#undef SET

}  // namespace

const KeyNode& Schema() {
  static const KeyNode kRoot = BuildSchema();
  return kRoot;
}

}  // namespace rubato::config
