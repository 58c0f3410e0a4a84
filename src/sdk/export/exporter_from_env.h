// The span exporter an application gets from its environment: what
// OTEL_TRACES_EXPORTER names, the OTLP one configured by OTEL_EXPORTER_OTLP_*
// (exporter_config.h). This is what TracerProvider::FromEnvironment's caller
// passes in.
#pragma once

#include <cstdio>
#include <memory>

#include "sdk/trace/environment.h"
#include "sdk/trace/span_exporter.h"
#include "status/status.h"

namespace rubato::sdk {

// Builds the exporter: OTLP over grpc, http/protobuf or http/json, console,
// or several of them; nullptr when OTEL_TRACES_EXPORTER is "none" (install no
// processor then). Warnings about ignored settings go to `diagnostics` (one
// line each; nullptr: silent). Errors name the variable and its value.
Result<std::unique_ptr<SpanExporter>> SpanExporterFromEnvironment(const Environment& env,
                                                                  FILE* diagnostics = stderr);

}  // namespace rubato::sdk
