// The `index` object (docs/format/block.md, "index"): one compressed page per
// row group, holding where the row group's column chunks are and its traces
// (ID, rows, time range), followed by a small page directory (each page's
// first trace ID and length) and a fixed footer. A reader keeps only the
// directory in memory, about 24 bytes per row group, and reads one page per
// lookup, so an open block costs the same memory whatever its trace count.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "status/status.h"

namespace rubato::store::block {

struct ChunkRef {
  uint16_t column = 0;
  uint64_t offset = 0;  // in `data`
  uint64_t length = 0;  // stored bytes, header and CRC included
};

// One trace of a row group: the trace-ID → rows and time-range index.
struct IndexEntry {
  model::TraceId id;
  uint32_t first_row = 0;  // within the row group
  uint32_t span_count = 0;
  uint64_t start_ms = 0;     // earliest span start, ms since the epoch, rounded down
  uint64_t duration_ms = 0;  // latest span end (rounded up to a ms) − start_ms; 0 if it ends first
};

// Everything the index knows of one row group.
struct IndexPage {
  uint32_t rows = 0;
  std::vector<ChunkRef> chunks;     // contiguous in `data`, in this order
  std::vector<IndexEntry> traces;   // sorted by ID; first_row = sum of the earlier span counts

  // Bytes [data_begin(), data_end()) of `data` hold the row group.
  uint64_t data_begin() const { return chunks.empty() ? 0 : chunks.front().offset; }
  uint64_t data_end() const { return chunks.empty() ? 0 : chunks.back().offset + chunks.back().length; }
  // The entry of `id`, or nullptr (binary search).
  const IndexEntry* Find(const model::TraceId& id) const;
};

// A page as stored: codec, raw length, body, CRC32C. `page.traces` must be
// non-empty and sorted, its first_row values consecutive.
std::string EncodeIndexPage(const IndexPage& page, int zstd_level);
// Checks and decodes a stored page; `first_id` is what the directory says
// the page starts with. Internal (naming the problem) when corrupt.
Result<IndexPage> DecodeIndexPage(std::string_view stored, const model::TraceId& first_id);

inline constexpr uint64_t kIndexHeaderBytes = 8;
inline constexpr uint64_t kIndexFooterBytes = 16;

// The page directory, as held in memory by a reader.
class PageDirectory {
 public:
  void Add(const model::TraceId& first_trace, uint64_t stored_length);

  size_t size() const { return first_ids_.size(); }
  const model::TraceId& first_trace(size_t page) const { return first_ids_[page]; }
  uint64_t offset(size_t page) const { return ends_[page] - lengths(page); }
  uint64_t length(size_t page) const { return lengths(page); }
  // The only page of [begin, end) that can hold `id`, or -1 (binary search on
  // first IDs; pages of one run are in ID order).
  int64_t PageFor(const model::TraceId& id, size_t begin, size_t end) const;
  size_t memory_bytes() const;

  // The index's tail: directory, CRC32C and footer, for pages written so far.
  std::string EncodeTail() const;
  // Parses the tail of an `index_size`-byte object. `tail` is its last bytes
  // (at least the footer); when it does not reach back to the directory,
  // *need_from is set to the offset to read from and an empty directory is
  // returned, so the caller reads again from there. First IDs must increase
  // except at `run_starts` (sorted page numbers where a new run begins).
  static Result<PageDirectory> Parse(std::string_view tail, uint64_t index_size, uint64_t* need_from,
                                     std::span<const uint64_t> run_starts = {});

 private:
  uint64_t lengths(size_t page) const { return ends_[page] - (page == 0 ? kIndexHeaderBytes : ends_[page - 1]); }
  std::vector<model::TraceId> first_ids_;
  std::vector<uint64_t> ends_;  // end offset of each page in `index`
};

// The index object's first bytes: magic and version.
std::string IndexHeader();
Status CheckIndexHeader(std::string_view first8);

}  // namespace rubato::store::block
