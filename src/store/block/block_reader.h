// Reads one block (docs/format/block.md) through a Backend. Open reads
// meta.json, the filter's header (versions 1 and 2: the whole bloom filter)
// and the index's page directory; a lookup then reads one stripe of the
// filter, one index page and only the chunks of the row group holding the
// trace, so memory per open block is small and (from version 3) independent
// of its trace count.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "model/batch.h"
#include "status/status.h"
#include "store/backend/backend.h"
#include "store/block/block_meta.h"
#include "store/block/index.h"
#include "store/block/row_group.h"

namespace rubato::store::block {

// One row group decoded whole: its spans in block order, and where each trace's rows are.
struct DecodedRowGroup {
  model::Batch batch;               // owns every byte
  std::vector<TraceEntry> traces;   // in trace-ID order; rows [first_row, first_row + span_count)
};

// Some column chunks of one row group as stored (ReadStoredChunks), checked
// and decompressed only when a scan gets to them, so that a filter that
// rules a row group out early does not pay for the rest.
struct StoredChunks {
  std::vector<std::string> reads;                      // the ranged reads of `data`
  std::array<std::string_view, kColumnCount> chunks;   // per kAllColumns slot: stored bytes; empty when not read
  uint64_t bytes_read = 0;
  // The column's raw bytes (empty when its chunk is absent or was not read);
  // Internal naming the column when corrupt.
  Result<std::string> Decode(Column c) const;
};

struct RowGroupSummary {
  uint64_t latest_start_ms = 0;  // the latest trace start, ms since the epoch, rounded down
  uint32_t rows = 0;
  uint64_t longest_trace_ms = 0;       // the largest IndexEntry::duration_ms
  bool some_trace_ends_first = false;  // some IndexEntry::duration_ms is 0
  uint32_t most_spans = 0;             // the largest IndexEntry::span_count
};

class BlockReader {
 public:
  // NotFound when there is no meta.json (not a block, or one still being
  // written); Internal when a file is corrupt. Errors name the block.
  static Result<std::unique_ptr<BlockReader>> Open(backend::Backend* backend, const std::string& tenant,
                                                   const std::string& block_id);
  ~BlockReader();

  const BlockMeta& meta() const { return meta_; }
  // True also when the filter cannot be read (FindTrace then reports why).
  bool MayContain(const model::TraceId& id) const;
  // The runs whose filter may hold the trace, in run order; Internal when
  // the filter's stripe is corrupt or unreadable.
  Result<std::vector<uint32_t>> RunsThatMayHold(const model::TraceId& id) const;
  // A hint before looking up `id` in many blocks: starts reading the filter
  // stripe it needs, so that the blocks' reads overlap (version 3).
  void WillLookUp(const model::TraceId& id) const;
  // The trace's spans in a Batch that owns its bytes; NotFound when absent,
  // Internal (naming block, row group and column) when corrupt.
  Result<model::Batch> FindTrace(const model::TraceId& id) const;

  // Runs (docs/format/block.md, "Runs"): a version-1 block is one run; a
  // concatenation keeps each input as one. Row groups are in trace-ID order
  // within a run, and a trace has at most one part per run.
  uint32_t run_count() const;
  uint32_t run_of(uint32_t row_group) const;
  std::pair<uint32_t, uint32_t> run_row_groups(uint32_t run) const;  // [first, end)
  // One run's part of a trace (search completes pieces run by run).
  Result<model::Batch> FindTraceInRun(const model::TraceId& id, uint32_t run) const;

  // For compaction and search: row groups, in trace-ID order within each run.
  uint32_t row_group_count() const;
  Result<DecodedRowGroup> ReadRowGroup(uint32_t index) const;

  // For search (row_group_scan.h): one row group's index page (its traces and
  // where its chunks are), one ranged read of `index`.
  Result<IndexPage> ReadIndexPage(uint32_t row_group) const;
  // What a row group's index page said, once any read of it has seen it
  // (nullopt before): search skips row groups too old to hold a result
  // without reading their page again.
  std::optional<RowGroupSummary> CachedSummary(uint32_t row_group) const;
  // The stored chunks of `columns` (those the row group has), with one ranged
  // read per run of nearby chunks.
  Result<StoredChunks> ReadStoredChunks(uint32_t row_group, const IndexPage& page,
                                        std::span<const Column> columns) const;
  // Only some traces of a row group, decoded: `trace_indices` are indices into
  // the page's traces, increasing. `traces` then lists exactly those traces
  // (first_row indexes the batch); the batch may also hold rows of traces in
  // between (decoding a short gap costs less than skipping to the next trace
  // again), which no entry points at.
  Result<DecodedRowGroup> ReadTraces(uint32_t row_group, std::span<const uint32_t> trace_indices) const;
  Result<DecodedRowGroup> ReadTraces(uint32_t row_group, const IndexPage& page,
                                     std::span<const uint32_t> trace_indices) const;
  // Where each index page is (compaction copies pages as they are).
  const PageDirectory& page_directory() const;
  // "block <tenant>/<id>", the prefix of this block's errors.
  const std::string& name() const;

  // What this open block holds in memory (page directory, meta, filter header;
  // versions 1 and 2: the whole bloom filter).
  size_t memory_bytes() const;

 private:
  struct State;
  BlockReader(BlockMeta meta, std::unique_ptr<State> state);
  BlockMeta meta_;
  std::unique_ptr<State> state_;
};

}  // namespace rubato::store::block
