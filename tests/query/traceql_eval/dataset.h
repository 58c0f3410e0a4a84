// The fixed dataset the TraceQL result tests run on: five traces whose every
// span has a short label ("a9" is trace a's slow_lookup), so expected results
// read as labels and map one to one to exact trace and span IDs.
//
//   a  the seed's order flow (order → inventory → payment → notification)
//   b  a failed payment: status error, 502s, "exception" events, arrays, a link
//   c  a trace without its root span (parent not received), two orphans
//   d  a batch job tree for the structural operators (ties in start time)
//   e  one span per attribute type, every span kind
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/batch.h"
#include "query/traceql/evaluate.h"
#include "query/traceql/trace_view.h"

namespace rubato::query::traceql::testing {

struct Dataset {
  model::Batch batch;
  std::vector<TraceView> traces;  // a, b, c, d, e

  // The label of span i of trace t ("a9"), from its span ID.
  std::string Label(const TraceView& t, uint32_t i) const;
};

// Built once; shared by every test.
const Dataset& TheDataset();

// Trace ID of trace `letter` ('a' … 'e'): "ab0000000000000000000000000000" + 2 digits.
std::string TraceIdHex(char letter);
// Span ID of label "a9": 6 bytes of zero, the trace's number, the span's number.
std::string SpanIdHex(std::string_view label);

// Compiles `query`, evaluates it on every trace of the dataset and renders
// the spansets: "a1 a2 {count()=2} | b6" (spans in result order, attributes
// in order, spansets of one trace after another). "error: <message>" when the
// query does not compile.
std::string Run(std::string_view query);

// How Run renders a spanset attribute's value: strings quoted, durations as
// "<n>ns", statuses and kinds bare, nil as nil.
std::string RenderAttribute(const SpansetAttribute& a);

}  // namespace rubato::query::traceql::testing
