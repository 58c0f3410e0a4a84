// Fuzzes the OTLP/JSON decoder, with the same round-trip property as the
// protobuf target: what decodes must survive JSON encode → decode unchanged,
// and must encode to protobuf that decodes to the same batch.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/batch_compare.h"
#include "otlp/json_decoder.h"
#include "otlp/json_encoder.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"

namespace {
void Check(const rubato::model::Batch& want, const rubato::model::Batch& got, const char* what) {
  std::string diff = rubato::model::DescribeDifference(want, got);
  if (!diff.empty()) {
    std::fprintf(stderr, "%s changed the batch: %s\n", what, diff.c_str());
    std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rubato;
  std::string_view json(reinterpret_cast<const char*>(data), size);
  model::Batch batch;
  Status s = otlp::DecodeJson(json, &batch);
  if (!s.ok()) {
    if (s.message().find("otlp json: ") != 0) std::abort();  // every error names its origin
    return 0;
  }
  model::Batch from_json;
  if (!otlp::DecodeJson(otlp::EncodeJson(batch), &from_json).ok()) std::abort();
  Check(batch, from_json, "JSON round trip");
  model::Batch from_pb;
  if (!otlp::DecodeProtobuf(otlp::EncodeProtobuf(batch), &from_pb).ok()) std::abort();
  Check(batch, from_pb, "protobuf round trip");
  return 0;
}
