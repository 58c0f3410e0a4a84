// A row group: whole traces of sorted spans, encoded into the raw (not yet
// compressed) bytes of each column, and decoded back into a Batch.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/batch.h"
#include "status/status.h"
#include "store/block/format.h"

namespace rubato::store::block {

// One input span: the batch holding it and its index there.
struct SpanRef {
  const model::Batch* batch;
  uint32_t index;
  const model::Span& span() const { return batch->spans[index]; }
};

struct TraceEntry {
  model::TraceId id;
  uint32_t first_row = 0;
  uint32_t span_count = 0;
  uint64_t start = 0;  // earliest span start
  uint64_t end = 0;    // latest span end
};

struct EncodedRowGroup {
  std::array<std::string, kColumnCount> columns;  // raw bytes, in kAllColumns order
  std::vector<TraceEntry> traces;
  // Attribute keys this row group stored in dedicated columns (by column id),
  // for meta.json's "dedicatedColumns" (the union over the block's row groups).
  std::vector<std::string> dedicated_columns;
};

// `spans` must be sorted by trace ID, start time, span ID.
void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out);

// The raw bytes of one row group's columns, by column id, for decoding.
struct RawColumns {
  std::array<std::string, kColumnCount> columns;  // kAllColumns order
  const std::string& Get(Column c) const;
};

// Appends rows [first_row, first_row + count) of the row group to *out, in
// row order, and *out then owns every byte. Every appended span gets
// `trace_id` (from the index; row groups do not repeat trace IDs). Only the
// rows asked for are materialised: earlier rows are skipped, not decoded, so
// one trace costs little however late in the row group it is. Corrupt column
// contents give an Internal error naming the column (and leave *out holding
// part of the rows); they never crash.
Status DecodeRows(const RawColumns& raw, const model::TraceId& trace_id, uint32_t first_row, uint32_t count,
                  model::Batch* out);

// Appends the rows of some whole traces (first_row and span_count as in the
// row group, increasing, not overlapping), each span with its trace's ID: one
// pass, the rows in between skipped rather than decoded (search's candidates).
Status DecodeTraces(const RawColumns& raw, std::span<const TraceEntry> traces, model::Batch* out);

// Appends every row of the row group, in row order, each trace's spans with
// its ID from `traces` (which must cover the rows exactly, in order).
Status DecodeRowGroup(const RawColumns& raw, std::span<const TraceEntry> traces, model::Batch* out);

int ColumnSlot(uint16_t id);  // position in kAllColumns, -1 if unknown

}  // namespace rubato::store::block
