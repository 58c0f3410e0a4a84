// A TraceQL plan turned into the store's row-group prefilter
// (store/block/row_group_scan.h): conditions every matching trace meets,
// checked on a few column chunks before anything is decoded. Whatever the
// translation cannot express becomes "no condition", so a trace that
// matches is never dropped; the evaluator decides on the candidates.
#pragma once

#include <optional>

#include "query/traceql/plan.h"
#include "store/block/row_group_scan.h"

namespace rubato::query::search {

struct PrefilterOptions {
  // True when the row groups scanned hold each trace whole (a trace's spans
  // are evaluated together only with those of the same row group). False
  // when a trace's spans may be spread over blocks and the head and are
  // merged before evaluation: then only conditions on single spans are kept
  // (`&&` between spansets and the structural operators keep traces with
  // either side, count() and the trace-level intrinsics give no condition).
  bool whole_traces = true;
};

// The prefilter of `plan`, or nullopt when it would keep every trace (decode
// everything). The filter's tests use the plan's literals and regexes: it
// must not outlive `plan`. Its time range is unbounded; callers set it.
std::optional<store::block::TraceFilter> BuildPrefilter(const traceql::Plan& plan, PrefilterOptions options = {});

}  // namespace rubato::query::search
