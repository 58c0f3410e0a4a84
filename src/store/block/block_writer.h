// Writes one immutable block (docs/format/block.md) through a Backend: data
// (streamed, one row group at a time), index, bloom, then meta.json last,
// which makes it visible. Memory stays at about one row group plus the index,
// however large the block, so compaction can write blocks of any size.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/batch.h"
#include "status/status.h"
#include "store/backend/backend.h"
#include "store/block/block_meta.h"
#include "store/block/row_group.h"

namespace rubato::store::block {

struct BlockWriterOptions {
  backend::Backend* backend = nullptr;  // not owned
  std::string tenant;
  uint32_t row_group_spans = 10000;
  int zstd_level = 9;
  uint32_t compaction_level = 0;
  uint64_t wal_seq_end = 0;  // recorded in meta.json (see BlockMeta)
  std::vector<std::string> compacted_from;  // recorded in meta.json (see BlockMeta)
};

class BlockWriter {
 public:
  explicit BlockWriter(BlockWriterOptions options);
  ~BlockWriter();  // an unfinished block stays invisible (no meta.json)

  // Adds the spans of one whole trace. Traces must come in increasing trace-ID
  // order, each exactly once; spans in any order, and duplicates (same span
  // ID) are dropped, the first kept. AddTrace copies what it keeps, so the
  // spans' batches may be freed once it returns. Unavailable on an I/O error.
  Status AddTrace(std::span<const SpanRef> spans);
  // Writes index, bloom and meta.json. InvalidArgument when no trace was added.
  Result<BlockMeta> Finish();

  uint64_t spans_added() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Sorts the spans of `batches` by trace, deduplicates, and writes one block:
// how the head is cut. The batches must stay alive until it returns.
Result<BlockMeta> WriteBlock(const BlockWriterOptions& options, std::span<const model::Batch* const> batches);

// A fresh random block ID (UUID v4, lowercase with dashes).
std::string NewBlockId();

}  // namespace rubato::store::block
