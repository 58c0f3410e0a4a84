// Reads one block (docs/format/block.md) through a Backend. Open reads
// meta.json, the bloom filter and the index's page directory; a lookup then
// reads one index page and only the chunks of the row group holding the trace,
// so memory per open block is small and independent of its trace count.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/batch.h"
#include "status/status.h"
#include "store/backend/backend.h"
#include "store/block/block_meta.h"
#include "store/block/row_group.h"

namespace rubato::store::block {

// One row group decoded whole: its spans in block order, and where each trace's rows are.
struct DecodedRowGroup {
  model::Batch batch;               // owns every byte
  std::vector<TraceEntry> traces;   // in trace-ID order; rows [first_row, first_row + span_count)
};

class BlockReader {
 public:
  // NotFound when there is no meta.json (not a block, or one still being
  // written); Internal when a file is corrupt. Errors name the block.
  static Result<std::unique_ptr<BlockReader>> Open(backend::Backend* backend, const std::string& tenant,
                                                   const std::string& block_id);
  ~BlockReader();

  const BlockMeta& meta() const { return meta_; }
  bool MayContain(const model::TraceId& id) const;
  // The trace's spans in a Batch that owns its bytes; NotFound when absent,
  // Internal (naming block, row group and column) when corrupt.
  Result<model::Batch> FindTrace(const model::TraceId& id) const;

  // For compaction and search: row groups in trace-ID order.
  uint32_t row_group_count() const;
  Result<DecodedRowGroup> ReadRowGroup(uint32_t index) const;

  // What this open block holds in memory (bloom filter, page directory, meta).
  size_t memory_bytes() const;

 private:
  struct State;
  BlockReader(BlockMeta meta, std::unique_ptr<State> state);
  BlockMeta meta_;
  std::unique_ptr<State> state_;
};

}  // namespace rubato::store::block
