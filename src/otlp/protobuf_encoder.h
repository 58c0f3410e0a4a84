// Encodes a model::Batch as OTLP ExportTraceServiceRequest protobuf bytes.
#pragma once

#include <string>

#include "model/batch.h"

namespace rubato::otlp {

class ReverseWriter;

// Default-valued fields are omitted, as proto3 does; lists keep their order.
std::string EncodeProtobuf(const model::Batch& batch);
// As EncodeProtobuf, into a reusable writer (cleared first); the bytes are writer->view().
void EncodeProtobuf(const model::Batch& batch, ReverseWriter* writer);

}  // namespace rubato::otlp
