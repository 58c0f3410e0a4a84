// Block pruning by what a block holds: its tag catalog (catalog_cache.h)
// lists every value of each of its keys, unless the key was truncated. A
// query whose every match needs a value the block's catalog shows it does
// not hold (`span.inventory.demand = "none"`, `span.http.response.status_code
// >= 600`, `name =~ "zz.*"`) cannot match any of the block's traces, and the
// block is not read at all.
#pragma once

#include "query/search/tag_catalog.h"
#include "store/block/row_group_scan.h"

namespace rubato::query::search {

// False when no span of a block whose catalog is `catalog` can satisfy
// `filter` (search's prefilter, prefilter.h); true means maybe.
bool CatalogMayMatch(const store::block::TraceFilter& filter, const TagCatalog& catalog);

}  // namespace rubato::query::search
