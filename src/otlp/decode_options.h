// Options shared by the OTLP decoders (protobuf and JSON).
#pragma once

namespace rubato::otlp {

struct DecodeOptions {
  // When true, a span (or one of its links) whose trace or span ID is of the
  // wrong length (or, in JSON, not hex) does not fail the request: the span is
  // kept with an all-zero span_id, so that the ingester refuses that span
  // alone (OTLP partial success). When false, it is an InvalidArgument error.
  bool lenient_span_ids = false;
};

}  // namespace rubato::otlp
