// The `index` file (docs/format/block.md, "index"): the row-group directory
// (where each column chunk is) and the sorted trace-ID index.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/ids.h"
#include "status/status.h"

namespace rubato::store::block {

struct ChunkRef {
  uint16_t column = 0;
  uint64_t offset = 0;  // in `data`
  uint64_t length = 0;
};

struct RowGroupDir {
  model::TraceId first_trace, last_trace;
  uint64_t min_start = 0, max_start = 0;
  std::vector<ChunkRef> chunks;
};

struct IndexEntry {
  model::TraceId id;
  uint32_t row_group = 0;
  uint32_t first_row = 0;
  uint32_t span_count = 0;
  uint64_t start = 0;        // ns
  uint64_t duration_ms = 0;  // rounded up
};

struct BlockIndex {
  std::vector<RowGroupDir> row_groups;
  std::vector<IndexEntry> traces;  // sorted by id

  std::string Serialize() const;
  static Result<BlockIndex> Parse(std::string_view bytes);
  // The entry of `id`, or nullptr: a binary search, never a scan.
  const IndexEntry* Find(const model::TraceId& id) const;
};

}  // namespace rubato::store::block
