// Turns one evaluated piece of a trace into a search result, and merges the
// pieces of one trace found in different places into one result.
#pragma once

#include <vector>

#include "query/search/search_response.h"
#include "query/traceql/evaluate.h"
#include "query/traceql/plan.h"
#include "query/traceql/trace_view.h"

namespace rubato::query::search {

// The result for `view` and the spansets the query gave for it (possibly
// none: a piece of a trace already in the results still brings its spans'
// times, root and service counts). Each spanset shows its `spss` earliest
// spans. `source` says where the piece was read (TraceResult::sources).
TraceResult BuildTraceResult(const traceql::Plan& plan, const traceql::TraceView& view,
                             const std::vector<traceql::Spanset>& spansets, uint32_t spss, uint32_t source);

// Adds `piece`, another part of the same trace, to *into: earliest start,
// latest end, the root if *into had none, spans counted once per span ID,
// and spansets with equal attributes joined (their spans deduplicated by
// span ID; the others appended).
void MergeTraceResult(TraceResult piece, TraceResult* into, uint32_t spss);

}  // namespace rubato::query::search
