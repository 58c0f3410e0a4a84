// BatchBuilder: turns ended SpanRecords into a model::Batch, the form every
// exporter takes. The Batch owns copies of all strings, so the records can
// go back to their pool before the export (which may be slow) starts. A
// builder is reused: after the first few batches it allocates nothing.
#pragma once

#include <span>
#include <vector>

#include "model/batch.h"
#include "sdk/trace/span_record.h"

namespace rubato::sdk {

class BatchBuilder {
 public:
  // Replaces `batch`'s content with the records, grouped under one Resource
  // per provider and one Scope per tracer, in the order they came within each.
  void Build(std::span<SpanRecord* const> records, model::Batch* batch);

 private:
  void AddSpan(const SpanRecord& r, model::Batch* batch);
  model::Range AddAttributes(const SpanRecord& r, const StoredAttribute* attrs, uint32_t count, const char* strings,
                             model::Batch* batch);
  std::vector<const void*> groups_;  // distinct scopes, in first-seen order
};

}  // namespace rubato::sdk
