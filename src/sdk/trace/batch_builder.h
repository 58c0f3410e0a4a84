// BatchBuilder: turns ended spans into a model::Batch, the form every
// exporter takes. A span comes as a record, or as the copy of one the batch
// processor made when it ended (span_chunk.h). The Batch owns copies of all
// strings, so records and copies can be reused before the export (which may
// be slow) starts. A builder is reused: after the first few batches it
// allocates nothing.
#pragma once

#include <span>
#include <vector>

#include "model/batch.h"
#include "sdk/trace/span_record.h"

namespace rubato::sdk {

// One ended span, wherever it is kept: what the builder reads.
struct SpanView {
  const SpanHead* head = nullptr;
  const StoredAttribute* attributes = nullptr;
  uint32_t attribute_count = 0;
  const char* strings = nullptr;  // the offsets in head and attributes index these
  uint32_t string_bytes = 0;
  // The record itself, for what only records hold (events, links, arrays,
  // a status message, a tracestate, dropped counts); null for a copy, which
  // has none of those. The processor releases it once the batch is built.
  const SpanRecord* record = nullptr;

  static SpanView Of(const SpanRecord& r) {
    return {&r, r.attributes.data(), r.attributes.size(), r.strings.data(), static_cast<uint32_t>(r.strings.size()),
            &r};
  }
};

class BatchBuilder {
 public:
  // Replaces `batch`'s content with the spans, grouped under one Resource
  // per provider and one Scope per tracer, in the order they came within each.
  void Build(std::span<const SpanView> spans, model::Batch* batch);

 private:
  void AddSpan(const SpanView& v, model::Batch* batch);
  void AddRecordOnly(const SpanRecord& r, const char* strings, model::Span* s, model::Batch* batch);
  model::Range AddAttributes(const SpanRecord* r, const StoredAttribute* attrs, uint32_t count, const char* strings,
                             model::Batch* batch);
  std::vector<const void*> groups_;  // distinct scopes, in first-seen order
};

}  // namespace rubato::sdk
