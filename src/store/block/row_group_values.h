// Every value a row group holds, for tag catalogs (query/search/
// catalog_cache.h): attribute values by scope and key, and the intrinsics
// autocomplete offers, read from the columns and tables without building a
// span. A string column reports each distinct dictionary code once, so a
// row group of 10,000 spans costs about as many calls as it has distinct
// values, where decoding it costs a call per attribute of every span.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/batch.h"
#include "status/status.h"
#include "store/block/block_reader.h"

namespace rubato::store::block {

// Receives what ReadRowGroupValues finds. Values may repeat (a sink
// deduplicates); views are valid during the call only, except that they
// stay put for the whole row group (a sink may remember them by address
// until ReadRowGroupValues returns).
class RowGroupValueSink {
 public:
  enum class Scope : uint8_t { kSpan, kResource, kEvent, kLink, kInstrumentation };
  // Intrinsic string values (each non-empty, except span names).
  enum class Intrinsic : uint8_t { kName, kStatusMessage, kRootName, kRootService, kEventName, kScopeName, kScopeVersion };

  virtual ~RowGroupValueSink() = default;
  // An attribute value; an array's elements and a kvlist's entries are in `b`.
  virtual void Attribute(Scope scope, std::string_view key, const model::AnyValue& v, const model::Batch& b) = 0;
  virtual void Value(Intrinsic which, std::string_view text) = 0;
  virtual void Status(model::StatusCode code) = 0;
  virtual void Kind(model::SpanKind kind) = 0;
};

// Internal (naming block, row group and column) when the row group is corrupt;
// the sink may then have received part of it.
Status ReadRowGroupValues(const BlockReader& reader, uint32_t row_group, RowGroupValueSink* sink);

}  // namespace rubato::store::block
