// The set of request bodies `rubato load` sends: generated from the standard
// workload and encoded once before the clock starts (so sending costs only
// I/O), or read back from a dump file (dump_file.h) to send the same bytes again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "load/options.h"
#include "model/ids.h"
#include "status/status.h"

namespace rubato::load {

enum class BodyEncoding : uint8_t { kProtobuf = 1, kJson = 2 };

// The identity of one span, as `--acked-log` writes it.
struct SpanKey {
  model::TraceId trace_id;
  model::SpanId span_id;
};

struct BatchSet {
  BodyEncoding encoding = BodyEncoding::kProtobuf;
  bool gzip = false;  // bodies are gzip streams (HTTP Content-Encoding: gzip)
  uint64_t seed = 0;
  uint64_t base_time_unix_nano = 0;  // the generator's base time: span times start here
  uint32_t spans_per_batch = 0;      // nominal; span_counts has the exact figure per body
  std::vector<std::string> bodies;   // one ExportTraceServiceRequest each
  std::vector<uint32_t> span_counts;
  // The IDs of each body's spans, in body order (24 bytes a span): filled by
  // GenerateBatchSet, and by FillSpanKeys for a replayed set. Empty: unknown.
  std::vector<std::vector<SpanKey>> span_keys;
  // Where each body's trace IDs are (fresh_trace_ids.h); filled only for --fresh-trace-ids.
  std::vector<std::vector<uint32_t>> trace_id_offsets;

  uint64_t TotalBytes() const;
  uint64_t TotalSpans() const;
};

struct GenerateParams {
  uint64_t seed = 1;
  uint32_t batches = 64;
  uint32_t batch_spans = 1024;
  uint64_t base_time_unix_nano = 0;  // 0: the generator's fixed instant
  BodyEncoding encoding = BodyEncoding::kProtobuf;
  bool gzip = false;
};

// Generates `batches` consecutive batches of the workload and encodes them.
// The batches follow each other in time (about 0.1 s of traces per 1,024
// spans), starting at base_time_unix_nano.
BatchSet GenerateBatchSet(const GenerateParams& p);

// What a protocol puts on the wire: HTTP sends the body as is, so --gzip means
// gzipped bodies; gRPC compresses on its own (call compression), so its
// bodies stay plain protobuf.
BodyEncoding EncodingFor(Protocol p);
bool BodiesGzipped(Protocol p, bool gzip);

// Makes a replayed set fit the protocol: gunzips or gzips the bodies if the
// file's compression differs from what is wanted. A JSON file cannot be sent
// as protobuf (or the reverse): InvalidArgument naming both.
Status AdaptBatchSet(BatchSet* set, BodyEncoding want, bool want_gzip);

// Decodes every body (gunzipping first if needed) to fill set->span_keys:
// what a replayed set needs for --acked-log. InvalidArgument names the body.
Status FillSpanKeys(BatchSet* set);

// Current time as Unix nanoseconds (the base time of a live run).
uint64_t UnixNanosNow();

}  // namespace rubato::load
