// libFuzzer target for the row-group column decoders (docs/format/block.md,
// "data: row groups"): what a column chunk holds once its CRC32C has passed.
// A writer bug or a collision must still give an error naming the column,
// never a crash or unbounded memory. Random bytes rarely get past the first
// column, so each input is a list of edits applied to a valid row group
// (every value kind, events, links, UUIDs, dedicated and generic attributes,
// odd times): the decoders then meet damage deep inside well-formed data.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/batch.h"
#include "store/block/row_group.h"
#include "tests/block/hand_batch.h"

namespace {

using rubato::store::block::EncodedRowGroup;
using rubato::store::block::kColumnCount;
using rubato::store::block::RawColumns;
using rubato::store::block::SpanRef;
using rubato::store::block::TraceEntry;

struct Valid {
  rubato::model::Batch hand, edge;
  EncodedRowGroup encoded;
};

bool SpanLess(const SpanRef& a, const SpanRef& b) {
  const auto &x = a.span(), &y = b.span();
  if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

const Valid& ValidRowGroup() {
  static const Valid* v = [] {
    auto* out = new Valid{rubato::store::block::testing_support::HandBatch(),
                          rubato::store::block::testing_support::EdgeCaseBatch(), {}};
    std::vector<SpanRef> refs;
    for (const auto* b : {&out->hand, &out->edge}) {
      for (uint32_t i = 0; i < b->spans.size(); ++i) refs.push_back({b, i});
    }
    std::sort(refs.begin(), refs.end(), SpanLess);
    rubato::store::block::EncodeRowGroup(refs, &out->encoded);
    return out;
  }();
  return *v;
}

// One edit per 4 input bytes: column slot, operation, 16-bit offset. The
// last operation (3) replaces a column with the rest of the input.
void ApplyEdits(const uint8_t* data, size_t size, RawColumns* raw) {
  for (size_t i = 0; i + 4 <= size; i += 4) {
    std::string& col = raw->columns[data[i] % kColumnCount];
    size_t at = col.empty() ? 0 : (data[i + 2] | data[i + 3] << 8) % (col.size() + 1);
    switch (data[i + 1] % 4) {
      case 0:
        if (at < col.size()) col[at] = static_cast<char>(col[at] ^ (data[i + 1] | 1));
        break;
      case 1: col.resize(at); break;
      case 2: col.insert(col.begin() + static_cast<long>(at), static_cast<char>(data[i + 3])); break;
      default: col.assign(reinterpret_cast<const char*>(data + i + 4), size - i - 4); return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Valid& v = ValidRowGroup();
  RawColumns raw;
  raw.columns = v.encoded.columns;
  ApplyEdits(data, size, &raw);
  const std::vector<TraceEntry>& traces = v.encoded.traces;
  rubato::model::Batch all;
  (void)rubato::store::block::DecodeRowGroup(raw, traces, &all);
  // One trace alone, as a lookup decodes it (rows before it skipped).
  if (!traces.empty()) {
    const TraceEntry& t = traces[size % traces.size()];
    rubato::model::Batch one;
    (void)rubato::store::block::DecodeRows(raw, t.id, t.first_row, t.span_count, &one);
  }
  return 0;
}
