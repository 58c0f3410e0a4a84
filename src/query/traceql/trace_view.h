// One trace's spans, wherever they were read from (a decoded row group, the
// head's batches), with its tree built once: parent and children by index,
// the root, start and end. What the evaluator walks.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/batch.h"

namespace rubato::query::traceql {

class TraceView {
 public:
  struct SpanAt {
    const model::Batch* batch;
    uint32_t index;  // in batch->spans
  };
  // The spans of one trace. Spans with a span ID seen before are dropped (the
  // first copy is kept), so callers may pass the pieces of a trace as found.
  explicit TraceView(std::vector<SpanAt> spans);

  uint32_t size() const { return static_cast<uint32_t>(spans_.size()); }
  const model::Span& span(uint32_t i) const { return spans_[i].batch->spans[spans_[i].index]; }
  const model::Batch& batch(uint32_t i) const { return *spans_[i].batch; }
  const model::TraceId& id() const;
  // -1 when the span is a root or its parent is not in the trace.
  int32_t parent(uint32_t i) const { return parent_[i]; }
  std::span<const uint32_t> children(uint32_t i) const;
  // The root span (zero parent ID); the earliest-starting one if several; -1 if none.
  int32_t root() const { return root_; }
  uint64_t start_unix_nano() const { return start_; }  // earliest span start
  uint64_t end_unix_nano() const { return end_; }      // latest span end

 private:
  std::vector<SpanAt> spans_;
  std::vector<int32_t> parent_;
  std::vector<uint32_t> child_begin_, child_list_;  // children(i) = child_list_[child_begin_[i] .. child_begin_[i+1])
  int32_t root_ = -1;
  uint64_t start_ = 0, end_ = 0;
};

}  // namespace rubato::query::traceql
