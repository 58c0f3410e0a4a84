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
  // When true, AddTrace does not copy the spans it keeps: the writer reads
  // them from their batches until Finish returns (or the writer is
  // destroyed), so the caller must keep every batch passed to AddTrace alive
  // and unchanged until then. The bytes written are the same either way;
  // borrowing saves copying each span (about a third of the writer's time on
  // the standard workload). The head's cut and WriteBlock borrow;
  // compaction, whose row groups are replaced as it reads on, copies.
  bool borrow_batches = false;
  // 3 writes the striped filter (docs/format/block.md, "Version 3"); 1 the
  // resident-bloom layout of older releases, kept so that tests can make the
  // blocks those releases left on disk.
  uint32_t format_version = 3;
};

class BlockWriter {
 public:
  explicit BlockWriter(BlockWriterOptions options);
  ~BlockWriter();  // an unfinished block stays invisible (no meta.json)

  // Adds the spans of one whole trace. Traces must come in increasing trace-ID
  // order, each exactly once; spans in any order, and duplicates (same span
  // ID) are dropped, the first kept. Unless options.borrow_batches, AddTrace
  // copies what it keeps, so the spans' batches may be freed once it returns.
  // Unavailable on an I/O error.
  Status AddTrace(std::span<const SpanRef> spans);
  // AddTrace for each trace of `refs`, which holds whole traces sorted by
  // trace ID (as SortByTrace leaves them). Faster than the loop by hand: it
  // reads the spans ahead of time (they are spread over many batches, and
  // waiting for memory is much of a writer's time).
  Status AddSorted(std::span<const SpanRef> refs);
  // Writes index, bloom and meta.json. InvalidArgument when no trace was added.
  Result<BlockMeta> Finish();

  uint64_t spans_added() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Sorts the spans of `batches` by trace, deduplicates, and writes one block:
// how the head is cut. The batches must stay alive until it returns (it
// borrows them, whatever options.borrow_batches says).
Result<BlockMeta> WriteBlock(const BlockWriterOptions& options, std::span<const model::Batch* const> batches);

// Sorts spans by trace ID, spans of one trace keeping their order in `refs`
// (exactly what std::stable_sort by trace ID gives): the order in which
// BlockWriter wants them. A radix pass on the IDs' first bytes, then small
// sorts on integer keys: several times faster than std::stable_sort with
// TraceId's byte comparison.
void SortByTrace(std::vector<SpanRef>* refs);

// A fresh random block ID (UUID v4, lowercase with dashes).
std::string NewBlockId();

}  // namespace rubato::store::block
