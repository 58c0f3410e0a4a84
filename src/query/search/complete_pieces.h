// After a search's scan: the other pieces of each result's trace, wherever
// the scan did not read them (blocks an early stop skipped, or pieces read
// before their trace entered the results and dropped for not matching), are
// looked up by trace ID (bloom filter, then index) in the head and every
// block in range, evaluated on their own and merged in. Merged results then
// do not depend on the order the threads read the sources in.
#pragma once

#include <cstdint>
#include <vector>

#include "query/search/scan_sources.h"
#include "query/search/search_response.h"
#include "query/traceql/plan.h"

namespace rubato::query::search {

struct PieceBounds {
  uint64_t min_duration_nanos = 0, max_duration_nanos = UINT64_MAX;  // as the scan applied them
};

// Re-sorts *results (most recent first) afterwards; adds to metrics->pieces_completed.
void CompletePieces(const ScanSources& sources, const traceql::Plan& plan, uint32_t spss, PieceBounds bounds,
                    std::vector<TraceResult>* results, SearchMetrics* metrics);

}  // namespace rubato::query::search
