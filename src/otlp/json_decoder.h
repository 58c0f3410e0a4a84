// Decoder of OTLP/JSON: an ExportTraceServiceRequest (or TracesData, which has
// the same shape) in the JSON encoding of the OTLP/HTTP specification, as the
// OpenTelemetry exporters send it, into a model::Batch.
// The accepted forms and the error rules are in docs/format/otlp-json.md.
#pragma once

#include <string_view>

#include "model/batch.h"
#include "otlp/decode_options.h"
#include "status/status.h"

namespace rubato::otlp {

// Decodes `json` into `out`, which is cleared first and left empty on error.
// The batch keeps one copy of the request: strings without escapes are views
// into it, unescaped strings and decoded bytes live in the batch's arena.
// Errors are InvalidArgument "otlp json: <path>: <problem> (at byte N)".
Status DecodeJson(std::string_view json, model::Batch* out, const DecodeOptions& options = {});

}  // namespace rubato::otlp
