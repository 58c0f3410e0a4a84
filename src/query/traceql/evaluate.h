// Runs a Plan over one trace: the spansets the query yields for it, as Tempo
// would (docs/traceql.md gives the semantics of every operator). A trace
// matches when at least one spanset is returned.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/batch.h"
#include "query/traceql/plan.h"
#include "query/traceql/trace_view.h"

namespace rubato::query::traceql {

// An attribute of a spanset: `by(resource.service.name)` → its value,
// `count()` → the count, `avg(span:duration)` → the average.
struct SpansetAttribute {
  std::string key;     // as Tempo names it, e.g. "by(resource.service.name)", "count()"
  model::AnyValue value;  // strings point into the TraceView's batches
  // Added by the evaluator: the TraceQL type of the value. kDuration: nanoseconds
  // in value.integer; kStatus / kKind: the keyword ("error", "server") in
  // value.str; kNil: the spans grouped by by() lack the field (value is empty).
  ValueType type = ValueType::kAttribute;
  // Owns value.str when the string was computed (span and trace IDs in hex).
  std::shared_ptr<const std::string> storage;
  // kArray values: the batch whose `values` hold the elements.
  const model::Batch* batch = nullptr;
};

struct Spanset {
  std::vector<uint32_t> spans;  // TraceView indices, in order of start time
  std::vector<SpansetAttribute> attributes;
};

std::vector<Spanset> Evaluate(const Plan& plan, const TraceView& trace);

// The attributes a search result shows for a matched span: those the query
// references or selects that the span (or its resource) has, keyed as Tempo
// keys them ("http.method", "service.name"). Views into the trace's batches.
std::vector<model::KeyValue> ResultAttributes(const Plan& plan, const TraceView& trace, uint32_t span);

}  // namespace rubato::query::traceql
