// Encodes a model::Batch as JSON: OTLP/JSON (EncodeJson) and, through the
// flavour below, protobuf's canonical JSON as Tempo serves it (tempo_json.h).
#pragma once

#include <string>
#include <string_view>

#include "model/batch.h"

namespace rubato::otlp {

class JsonWriter;

// The OTLP/JSON ExportTraceServiceRequest: lowerCamelCase keys, lowercase
// hex ids, integer enums, 64-bit integers as decimal strings, doubles in
// shortest round-trip form ("NaN"/"Infinity"/"-Infinity" as strings), bytes
// in base64. Default values and empty lists are omitted, as the protobuf
// encoder omits them; DecodeJson reads the output back to an equal batch.
std::string EncodeJson(const model::Batch& batch);

// How the two JSON dialects differ.
struct JsonFlavor {
  bool base64_ids = false;       // ids as base64 (proto3 JSON bytes) instead of hex (OTLP/JSON)
  bool enum_names = false;       // enums as their names; numbers without a name stay numbers
  bool always_messages = false;  // write resource, scope and status even when empty
};

// Writes `"<key>":[ResourceSpans...]` into the object being written, or
// nothing when the batch has no resources.
void WriteResourceSpans(const model::Batch& batch, const JsonFlavor& flavor, std::string_view key,
                        JsonWriter* w);

}  // namespace rubato::otlp
