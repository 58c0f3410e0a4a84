// Zero-copy decoder of OTLP ExportTraceServiceRequest (and TracesData, which
// has the same wire shape) protobuf bytes into a model::Batch.
#pragma once

#include <string>
#include <string_view>

#include "model/batch.h"
#include "otlp/decode_options.h"
#include "status/status.h"

namespace rubato::otlp {

// AnyValue nesting (arrays and key-value lists) deeper than this is rejected.
inline constexpr int kMaxValueDepth = 32;


// Decodes request bytes, which the batch takes ownership of; strings in the
// batch are views into them. `out` is cleared first and, on error, left empty.
// Errors are InvalidArgument naming the field path, the problem and the byte offset.
Status DecodeProtobuf(std::string bytes, model::Batch* out, const DecodeOptions& options = {});

// As DecodeProtobuf, but borrows the bytes: they must outlive `out`'s use.
// A reused `out` decodes without allocating once its pools are large enough.
Status DecodeProtobufView(std::string_view bytes, model::Batch* out, const DecodeOptions& options = {});

}  // namespace rubato::otlp
