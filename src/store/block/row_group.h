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
};

// `spans` must be sorted by trace ID, start time, span ID.
void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out);

// The raw bytes of one row group's columns, by column id, for decoding.
struct RawColumns {
  std::array<std::string, kColumnCount> columns;  // kAllColumns order
  const std::string& Get(Column c) const;
};

// Appends rows [first_row, first_row + count) of the row group to *out, which
// then owns every byte. Corrupt column contents give an error naming the column.
// `trace_id` is the trace's ID (from the index; row groups do not repeat it).
Status DecodeRows(const RawColumns& raw, const model::TraceId& trace_id, uint32_t first_row, uint32_t count,
                  model::Batch* out);

int ColumnSlot(uint16_t id);  // position in kAllColumns, -1 if unknown

}  // namespace rubato::store::block
