// Fuzzes the zero-copy OTLP protobuf decoder. Beyond "no crash" it checks a
// property: whatever decodes must survive encode → decode unchanged.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "model/batch_compare.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rubato;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  model::Batch batch;
  Status s = otlp::DecodeProtobuf(std::move(bytes), &batch);
  if (!s.ok()) {
    if (s.message().find("otlp protobuf: ") != 0) std::abort();  // every error names its origin
    return 0;
  }
  model::Batch again;
  Status s2 = otlp::DecodeProtobuf(otlp::EncodeProtobuf(batch), &again);
  if (!s2.ok()) {
    std::fprintf(stderr, "re-decode failed: %s\n", s2.message().c_str());
    std::abort();
  }
  std::string diff = model::DescribeDifference(batch, again);
  if (!diff.empty()) {
    std::fprintf(stderr, "round trip changed the batch: %s\n", diff.c_str());
    std::abort();
  }
  return 0;
}
