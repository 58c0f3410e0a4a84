// Reading the trace exporter's configuration from the environment, by the
// OpenTelemetry specification: OTEL_TRACES_EXPORTER and
// OTEL_EXPORTER_OTLP_{,TRACES_}{ENDPOINT,PROTOCOL,HEADERS,TIMEOUT,COMPRESSION,INSECURE}.
// docs/sdk-export.md has the rules as a table.
#pragma once

#include <string>
#include <vector>

#include "sdk/export/otlp_options.h"
#include "sdk/trace/environment.h"
#include "status/status.h"

namespace rubato::sdk {

enum class TracesExporterKind { kOtlp, kConsole };

struct TracesExporterConfig {
  // OTEL_TRACES_EXPORTER, deduplicated, in order; empty for "none".
  std::vector<TracesExporterKind> exporters;
  OtlpExporterOptions otlp;
  // The variable otlp.endpoint came from ("" for the default) and its value.
  std::string endpoint_variable;
  std::string endpoint_value;
  // Settings the specification says to ignore with a warning (an unknown
  // enum value, a timeout that is not a whole number of milliseconds...),
  // each naming the variable and its value.
  std::vector<std::string> warnings;
};

// Signal-specific variables win over the generic ones. An endpoint that is
// not a URL of the right form, or a malformed header list, is an error naming
// the variable and its value; values the specification says to ignore become
// warnings instead.
Result<TracesExporterConfig> TracesExporterConfigFromEnvironment(const Environment& env);

}  // namespace rubato::sdk
