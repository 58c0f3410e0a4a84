// Tag names and tag values (Tempo's /api/search/tags, /api/v2/search/tags
// and the /values endpoints): what is stored in a time range, the head
// included. Without a query they come from the cached per-block catalogs
// plus the head's spans read per request; with one (`q`) only spans the
// query matches count, so the range is scanned (newest first) and the scan
// stops at a time budget, answering what it found (`partial`).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "query/search/catalog_cache.h"
#include "query/search/tag_catalog.h"
#include "query/search/tag_name.h"
#include "query/traceql/plan.h"
#include "status/status.h"
#include "store/trace_store.h"

namespace rubato::query::search {

struct TagQuery {
  const traceql::Plan* query = nullptr;  // q: only spans it matches count
  uint64_t start_unix_nano = 0, end_unix_nano = 0;  // 0: unbounded
  uint32_t limit = 0;                    // most names (per scope) or values answered; 0: all kept
  const std::atomic<bool>* cancel = nullptr;
  std::chrono::milliseconds query_time_budget{5000};  // with q: scan time, then answer what was found
  uint64_t memory_budget_bytes = 256ull << 20;
  unsigned threads = 0;
};

struct TagNamesAnswer {
  std::array<std::vector<std::string>, kTagScopeCount> scopes;  // sorted; kIntrinsic: IntrinsicTagNames()
  bool partial = false;  // the q scan ran out of time, or a catalog bound dropped names
};

struct TagValuesAnswer {
  std::vector<TagValue> values;  // sorted by text, then type
  bool partial = false;          // as above, or a key's value bound was reached
};

// Unavailable("search cancelled") when `cancel` was set.
Result<TagNamesAnswer> SearchTagNames(const store::SearchSnapshot& snapshot, CatalogCache* cache,
                                      std::string_view tenant, const TagQuery& q);
Result<TagValuesAnswer> SearchTagValues(const store::SearchSnapshot& snapshot, CatalogCache* cache,
                                        std::string_view tenant, const TagName& name, const TagQuery& q);

}  // namespace rubato::query::search
