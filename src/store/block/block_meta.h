// meta.json of a block (docs/format/block.md, "meta.json"): what the block
// holds, read at start-up to decide which blocks a query or compaction needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "status/status.h"

namespace rubato::store::block {

// One sorted run of a version-2 or -3 block (docs/format/block.md, "Runs"): a
// compaction that concatenates blocks keeps each input's row groups and index
// pages as they are (version 2: its bloom filter too), so each input becomes a run.
struct RunMeta {
  uint64_t row_groups = 0;    // the run's row groups follow the previous run's
  uint64_t data_shift = 0;    // added to the data offsets its index pages hold
  uint64_t bloom_offset = 0;  // version 2: its bloom filter is bytes [offset, offset + bytes) of `bloom`
  uint64_t bloom_bytes = 0;
  bool operator==(const RunMeta&) const = default;
};

struct BlockMeta {
  // 1: one run, resident bloom; 2: runs, one resident bloom each; 3: the
  // striped filter (read per lookup, never held), runs optional.
  uint32_t version = 1;
  std::string block_id;
  std::string tenant;
  uint64_t min_time = 0, max_time = 0;  // ns since the epoch: earliest span start, latest span end
  model::TraceId min_trace_id, max_trace_id;
  uint64_t traces = 0, spans = 0, row_groups = 0;
  uint64_t data_bytes = 0, index_bytes = 0, bloom_bytes = 0;
  uint32_t compaction_level = 0;
  // Every WAL record with a sequence number below this is in this block or an
  // older one, so replay skips them (a crash between a cut and the WAL's
  // truncation must not bring those spans back twice). 0: no WAL records.
  uint64_t wal_seq_end = 0;
  // For a compaction output: the blocks it replaces. If a crash leaves them
  // visible next to it, start-up deletes them instead of serving both.
  std::vector<std::string> compacted_from;
  uint64_t created_at = 0;  // ns since the epoch
  std::vector<std::string> dedicated_columns;
  // Versions 2 and 3: the runs, in row-group order. Empty: the whole block is one run.
  std::vector<RunMeta> runs;

  uint64_t total_bytes() const { return data_bytes + index_bytes + bloom_bytes; }
  std::string ToJson() const;
  // InvalidArgument naming the field when malformed or of another format/version.
  static Result<BlockMeta> Parse(std::string_view json);
};

}  // namespace rubato::store::block
