// TraceQL search over everything a tenant has stored (the head and the
// blocks): the `limit` most recent matching traces, exactly, newest blocks
// first, stopping as soon as nothing older could displace them.
// docs/search.md describes the order, pruning, parallelism and limits.
#pragma once

#include "query/search/search_request.h"
#include "query/search/search_response.h"
#include "status/status.h"
#include "store/trace_store.h"

namespace rubato::query::search {

// InvalidArgument for a request without a plan or with spss over 100;
// Unavailable("search cancelled") when request.cancel was set,
// Unavailable("search timed out") past request.deadline.
Result<SearchResponse> Search(store::SearchSnapshot snapshot, const SearchRequest& request);

}  // namespace rubato::query::search
