#include "load/batch_set.h"

#include <chrono>

#include "model/batch.h"
#include "net/gzip.h"
#include "otlp/json_decoder.h"
#include "otlp/json_encoder.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "workload/generator.h"

namespace rubato::load {
namespace {

std::vector<SpanKey> KeysOf(const model::Batch& batch) {
  std::vector<SpanKey> keys;
  keys.reserve(batch.spans.size());
  for (const model::Span& s : batch.spans) keys.push_back({s.trace_id, s.span_id});
  return keys;
}

}  // namespace

uint64_t BatchSet::TotalBytes() const {
  uint64_t n = 0;
  for (const auto& b : bodies) n += b.size();
  return n;
}

uint64_t BatchSet::TotalSpans() const {
  uint64_t n = 0;
  for (uint32_t c : span_counts) n += c;
  return n;
}

// gzip level 6 is zlib's default and what OTel SDKs send; compressing happens
// before the clock starts, so the better ratio costs the run nothing.
constexpr int kGzipLevel = 6;
// Cap on a gunzipped replay body (the server's default limit is 64 MiB).
constexpr size_t kMaxPlainBody = size_t{1} << 30;

BatchSet GenerateBatchSet(const GenerateParams& p) {
  BatchSet set;
  set.encoding = p.encoding;
  set.gzip = p.gzip;
  set.seed = p.seed;
  set.spans_per_batch = p.batch_spans;
  set.base_time_unix_nano = p.base_time_unix_nano == 0 ? workload::kDefaultBaseTimeUnixNano : p.base_time_unix_nano;
  workload::Generator gen({.seed = p.seed, .spans_per_batch = p.batch_spans, .base_time_unix_nano = set.base_time_unix_nano});
  model::Batch batch;
  otlp::ReverseWriter writer;
  set.bodies.reserve(p.batches);
  for (uint32_t i = 0; i < p.batches; ++i) {
    gen.Next(&batch);
    std::string body;
    if (p.encoding == BodyEncoding::kJson) {
      body = otlp::EncodeJson(batch);
    } else {
      otlp::EncodeProtobuf(batch, &writer);
      body.assign(writer.view());
    }
    if (p.gzip) body = net::Gzip(body, kGzipLevel);
    set.bodies.push_back(std::move(body));
    set.span_counts.push_back(static_cast<uint32_t>(batch.spans.size()));
    set.span_keys.push_back(KeysOf(batch));
  }
  return set;
}

BodyEncoding EncodingFor(Protocol p) {
  return p == Protocol::kHttpJson ? BodyEncoding::kJson : BodyEncoding::kProtobuf;
}

bool BodiesGzipped(Protocol p, bool gzip) { return gzip && p != Protocol::kGrpc; }

Status AdaptBatchSet(BatchSet* set, BodyEncoding want, bool want_gzip) {
  auto name = [](BodyEncoding e) { return e == BodyEncoding::kJson ? "OTLP/JSON" : "OTLP protobuf"; };
  if (set->encoding != want)
    return Status::InvalidArgument(std::string("the replay file holds ") + name(set->encoding) +
                                   " bodies but the protocol sends " + name(want));
  if (set->gzip == want_gzip) return Status::Ok();
  for (size_t i = 0; i < set->bodies.size(); ++i) {
    if (want_gzip) {
      set->bodies[i] = net::Gzip(set->bodies[i], kGzipLevel);
    } else {
      std::string plain;
      Status s = net::Gunzip(set->bodies[i], kMaxPlainBody, &plain);
      if (!s.ok()) return s.Prepend("replay body " + std::to_string(i));
      set->bodies[i] = std::move(plain);
    }
  }
  set->gzip = want_gzip;
  return Status::Ok();
}

Status FillSpanKeys(BatchSet* set) {
  set->span_keys.clear();
  set->span_keys.reserve(set->bodies.size());
  model::Batch batch;
  std::string plain;
  for (size_t i = 0; i < set->bodies.size(); ++i) {
    std::string_view body = set->bodies[i];
    if (set->gzip) {
      Status s = net::Gunzip(body, kMaxPlainBody, &plain);
      if (!s.ok()) return s.Prepend("body " + std::to_string(i));
      body = plain;
    }
    Status s = set->encoding == BodyEncoding::kJson ? otlp::DecodeJson(body, &batch)
                                                    : otlp::DecodeProtobufView(body, &batch);
    if (!s.ok()) return s.Prepend("body " + std::to_string(i));
    set->span_keys.push_back(KeysOf(batch));
  }
  return Status::Ok();
}

uint64_t UnixNanosNow() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace rubato::load
