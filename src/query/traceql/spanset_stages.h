// The pipeline stages that work on whole spansets: the scalar filters
// (`count() > 2`, `avg(span:duration) > 20ms`), by() and coalesce(). The
// spanset filter and the spanset operators are in evaluate.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query/traceql/evaluate.h"
#include "query/traceql/field_eval.h"

namespace rubato::query::traceql {

// A spanset while the pipeline runs: spans as trace view indices in
// increasing order (cheap unions), sorted by start time only at the end.
struct WorkingSet {
  std::vector<uint32_t> spans;
  std::vector<SpansetAttribute> attributes;
};

// Keeps the spansets for which `lhs op rhs` holds, with each aggregate the
// stage computes attached as an attribute ("count()", "avg(span:duration)").
std::vector<WorkingSet> ScalarFilter(const Stage& stage, std::vector<WorkingSet> in, FieldEvaluator& fields);

// Splits each spanset into one per distinct value (tuple) of the fields,
// attaching "by(<field>)" = value; groups come in order of their earliest span.
std::vector<WorkingSet> GroupBy(const Stage& stage, std::vector<WorkingSet> in, FieldEvaluator& fields,
                                const TraceView& trace);

// All spansets merged into one, without attributes.
std::vector<WorkingSet> Coalesce(std::vector<WorkingSet> in, uint32_t trace_size);

// A spanset attribute holding v (computed strings are copied into storage).
SpansetAttribute MakeSpansetAttribute(std::string key, const Value& v);

// Sets `a` on `attrs`, replacing an attribute with the same key.
void SetAttribute(std::vector<SpansetAttribute>* attrs, SpansetAttribute a);

// Whether span a starts before span b (ties: the smaller span ID first).
bool StartsBefore(const TraceView& trace, uint32_t a, uint32_t b);

}  // namespace rubato::query::traceql
