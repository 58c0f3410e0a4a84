#include "otlp/tempo_json.h"

#include "otlp/json_encoder.h"
#include "otlp/json_writer.h"

namespace rubato::otlp {

std::string EncodeTempoTrace(const model::Batch& batch, TempoShape shape) {
  // jsonpb's view of Tempo's messages; see tempo_json.h.
  JsonFlavor flavor;
  flavor.base64_ids = true;
  flavor.enum_names = true;
  flavor.always_messages = true;
  std::string out;
  out.reserve(batch.spans.size() * 512 + 256);
  JsonWriter w(&out);
  w.BeginObject();
  if (shape == TempoShape::kV1Batches) {
    WriteResourceSpans(batch, flavor, "batches", &w);
  } else {
    w.Key("trace");
    w.BeginObject();
    WriteResourceSpans(batch, flavor, "resourceSpans", &w);
    w.EndObject();
  }
  w.EndObject();
  return out;
}

}  // namespace rubato::otlp
