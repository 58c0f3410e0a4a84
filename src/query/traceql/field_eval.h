// Evaluates the expressions inside `{ … }` (and the arguments of by(),
// select() and the aggregates) on one span of one trace. Nothing here
// allocates: values are views into the trace's batches or the plan.
#pragma once

#include <cstdint>

#include "query/traceql/field_value.h"
#include "query/traceql/plan.h"
#include "query/traceql/trace_view.h"

namespace rubato::query::traceql {

class FieldEvaluator {
 public:
  // Both must outlive the evaluator.
  FieldEvaluator(const Plan& plan, const TraceView& trace);

  // Whether condition `e` holds for span `span`: what `{ e }` keeps.
  bool Test(const FieldExpr& e, uint32_t span);
  // The value of `e` for span `span`. Event and link fields, outside a
  // comparison, read the span's first event (link) that has them.
  Value Eval(const FieldExpr& e, uint32_t span);

 private:
  static constexpr int32_t kUnfixed = -1;  // not bound: a comparison tries each
  static constexpr int32_t kNone = -2;     // the span has none: fields are missing

  // The span, and which of its events and links event./link. fields read.
  struct Cursor {
    uint32_t span;
    int32_t event = kUnfixed;
    int32_t link = kUnfixed;
  };

  bool TestAt(const FieldExpr& e, Cursor& c);
  bool CompareAt(const FieldExpr& e, Cursor& c);
  Value ValueAt(const FieldExpr& e, const Cursor& c);
  Value AttributeAt(const Attribute& a, const Cursor& c);
  Value IntrinsicAt(Intrinsic in, const Cursor& c);
  // True if test(c) holds with some event (link) bound, for the event. and
  // link. fields `e` reads.
  template <typename F>
  bool Any(const FieldExpr& e, Cursor& c, const F& test);
  template <typename F>
  bool AnyBound(uint8_t uses, Cursor& c, const F& test);

  const Plan& plan_;
  const TraceView& trace_;
  Value root_name_, root_service_;  // Missing when the trace has no root
  int64_t trace_duration_ = 0;
};

}  // namespace rubato::query::traceql
