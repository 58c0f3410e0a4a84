// A block's tag catalog as an object of its own (docs/format/block.md,
// "catalog"): written when the catalog cache lets a catalog go from memory,
// read back when it is needed again, so that a server holds the catalogs of
// a bounded number of blocks however many it stores.
#pragma once

#include <string>
#include <string_view>

#include "query/search/tag_catalog.h"
#include "status/status.h"

namespace rubato::query::search {

inline constexpr std::string_view kCatalogObject = "catalog";

std::string EncodeCatalog(const TagCatalog& catalog);
// Internal naming the problem when the bytes are damaged or of another version.
Result<TagCatalog> DecodeCatalog(std::string_view bytes, CatalogLimits limits = {});

}  // namespace rubato::query::search
