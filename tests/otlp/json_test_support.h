// Shared helpers of the JSON codec tests.
#pragma once

#include <string>

#include "model/batch.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace rubato::otlp::jsontest {

using ExportRequest = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

// A small hand-built batch for exact-output tests: one resource (service.name,
// schemaUrl), scope lib 1.0, span "charge" (CLIENT, error "boom", flags 257,
// a parent) with attributes of each kind, one event and one link.
void BuildSmallBatch(model::Batch* b);


// A libprotobuf request that sets every field and every AnyValue kind (NaN,
// infinities, int64 extremes, empty values, nesting), over three resources
// (one empty) and four scopes (one empty).
ExportRequest EveryFieldRequest();

// libprotobuf's proto3 JSON of `msg` rewritten into OTLP/JSON: libprotobuf
// writes trace/span ids as base64, OTLP/JSON as hex, so the id fields are
// converted; everything else (int64 as strings, enum names, base64 bytes,
// "NaN"...) is valid OTLP/JSON as printed. snake_case keeps the proto field
// names (preserve_proto_field_names).
std::string ToOtlpJson(const google::protobuf::Message& msg, bool snake_case = false);

// The reverse: OTLP/JSON with its hex ids rewritten as base64, which
// libprotobuf's JSON parser (the reference reader) then accepts.
std::string HexIdsToBase64(const std::string& otlp_json);

// Parses proto3 JSON with libprotobuf into `msg`; throws on failure.
void ParseWithLibprotobuf(const std::string& json, google::protobuf::Message* msg);

}  // namespace rubato::otlp::jsontest
