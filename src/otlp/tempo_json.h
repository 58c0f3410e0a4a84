// The JSON bodies Grafana Tempo's query API returns for one trace, so that
// clients written for Tempo (Grafana's Tempo data source, scripts) can read
// Rubato's.
//
// What Tempo returns (checked against Tempo's sources and docs, 2022-2026):
//
// - GET /api/traces/<id> (v1): the tempopb.Trace message,
//     {"batches":[ResourceSpans...]}
//   tempo.proto declares `repeated ResourceSpans batches = 1`. Tempo later
//   renamed the Go field to ResourceSpans but kept "batches" in v1 JSON for
//   compatibility (grafana/tempo issue #3802, PR #3895, 2024).
// - GET /api/v2/traces/<id> (v2): the tempopb.TraceByIDResponse message,
//     {"trace":{"resourceSpans":[ResourceSpans...]}}
//   plus "status":"PARTIAL" and "message" when a trace was cut at the size
//   limit, filtered or pruned (PR #3941; the v2 combiner), and "metrics"
//   (bytes inspected). Rubato has none of these, so writes none of them;
//   COMPLETE, the default status, is omitted by jsonpb anyway.
// - Both are written by gogo/protobuf's jsonpb.Marshaler with default
//   options (modules/frontend/combiner/common.go): lowerCamelCase keys,
//   bytes fields (traceId, spanId, parentSpanId, bytesValue) as padded
//   standard base64, enums as names ("SPAN_KIND_SERVER",
//   "STATUS_CODE_ERROR") and numbers without a name as bare numbers,
//   int64/uint64/fixed64 as decimal strings, uint32 as numbers, default
//   scalars and empty lists omitted, fields in .proto declaration order.
// - Since Tempo 2.0 (opentelemetry-proto v0.18 update, PR #1754, a breaking
//   change for JSON) ResourceSpans holds "scopeSpans" with "scope"; before,
//   "instrumentationLibrarySpans" with "instrumentationLibrary". We write
//   the current names.
// - Tempo's stored spans always carry resource, scope and status messages,
//   so it writes "resource":{...}, "scope":{...} and "status":{} even when
//   they are empty (the API docs' example shows "status":{} on an unset
//   status). We do the same.
//
// Differences that do not change the parsed value: Go escapes <, > and & in
// strings as \u003c, \u003e, \u0026; we write them as is. Doubles use the
// same shortest, JavaScript-like layout as Go's encoding/json.
#pragma once

#include <string>

#include "model/batch.h"

namespace rubato::otlp {

enum class TempoShape {
  kV1Batches,  // GET /api/traces/<id>:    {"batches":[...]}
  kV2Trace,    // GET /api/v2/traces/<id>: {"trace":{"resourceSpans":[...]}}
};

std::string EncodeTempoTrace(const model::Batch& batch, TempoShape shape);

}  // namespace rubato::otlp
