#include "sdk/export/exporter_from_env.h"

#include "sdk/export/console_exporter.h"
#include "sdk/export/exporter_config.h"
#include "sdk/export/fanout_exporter.h"
#include "sdk/export/otlp_grpc_exporter.h"
#include "sdk/export/otlp_http_exporter.h"
#include "sdk/trace/env_values.h"

namespace rubato::sdk {

namespace {

Result<std::unique_ptr<SpanExporter>> MakeOtlp(OtlpExporterOptions options) {
  if (options.protocol == OtlpProtocol::kGrpc) {
    auto e = OtlpGrpcExporter::Create(std::move(options));
    if (!e.ok()) return e.status();
    return std::unique_ptr<SpanExporter>(std::move(e).value());
  }
  auto e = OtlpHttpExporter::Create(std::move(options));
  if (!e.ok()) return e.status();
  return std::unique_ptr<SpanExporter>(std::move(e).value());
}

}  // namespace

Result<std::unique_ptr<SpanExporter>> SpanExporterFromEnvironment(const Environment& env, FILE* diagnostics) {
  Result<TracesExporterConfig> parsed = TracesExporterConfigFromEnvironment(env);
  if (!parsed.ok()) return parsed.status();
  TracesExporterConfig* config = &parsed.value();
  PrintEnvWarnings(config->warnings, diagnostics);
  config->otlp.diagnostics = diagnostics;
  std::vector<std::unique_ptr<SpanExporter>> exporters;
  for (TracesExporterKind kind : config->exporters) {
    if (kind == TracesExporterKind::kConsole) {
      exporters.push_back(std::make_unique<ConsoleExporter>(stdout));
      continue;
    }
    Result<std::unique_ptr<SpanExporter>> otlp = MakeOtlp(config->otlp);
    if (!otlp.ok()) {
      Status s = otlp.status();
      const std::string& var = config->endpoint_variable;
      if (!var.empty()) s.Prepend(EnvAssignment(var, config->endpoint_value));
      return s;
    }
    exporters.push_back(std::move(otlp).value());
  }
  if (exporters.empty()) return std::unique_ptr<SpanExporter>();
  if (exporters.size() == 1) return std::move(exporters.front());
  return std::unique_ptr<SpanExporter>(std::make_unique<FanoutExporter>(std::move(exporters)));
}

}  // namespace rubato::sdk
