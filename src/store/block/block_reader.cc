#include "store/block/block_reader.h"

#include <algorithm>
#include <atomic>

#include "store/block/bloom.h"
#include "store/block/chunk.h"
#include "store/block/format.h"
#include "store/block/index.h"
#include "store/block/striped_filter.h"

namespace rubato::store::block {
namespace {

// The tail read at Open: footer plus, for any block up to a few hundred row
// groups, the whole page directory, so Open costs one index read.
constexpr uint64_t kTailRead = 16 << 10;

// Resident filters (versions 1 and 2) are checked a window ahead of their
// prefetches: a lookup checks one filter per run, thousands in a large store,
// each a cache miss or two.
constexpr size_t kBloomPrefetchAhead = 16;

}  // namespace

struct BlockReader::State {
  backend::Backend* backend;
  std::string name;  // "block <tenant>/<id>", the prefix of every error
  std::string data_key, index_key, bloom_key;
  // A version-1 block is one run; a concatenation keeps each input as a run,
  // its pages in ID order among themselves. Versions 1 and 2 hold each run's
  // bloom filter here; version 3 reads one stripe of its filter per lookup.
  struct Run {
    uint32_t first_page = 0, end_page = 0;
    uint64_t data_shift = 0;  // added to its pages' data offsets
    Bloom bloom;              // versions 1 and 2
  };
  std::vector<Run> runs;
  std::optional<StripedFilter> filter;  // version 3
  PageDirectory directory;
  // Per row group: 1 + the latest trace start (ms) its index page holds, 0
  // until a read of the page has seen it. Blocks are immutable, so a page
  // read once answers "could anything here be recent enough?" for good.
  std::unique_ptr<std::atomic<uint64_t>[]> latest_start_ms;
  std::unique_ptr<std::atomic<uint32_t>[]> rows;  // each page's row count, once seen (written before the above)
  // And its longest trace range (ms; the top bit: a trace of range 0) and
  // largest trace (spans), for search to rule pages out (RowGroupSummary).
  std::unique_ptr<std::atomic<uint64_t>[]> longest_ms;
  std::unique_ptr<std::atomic<uint32_t>[]> most_spans;

  Status Corrupt(const Status& s) const { return Status::Internal(name + ": " + s.message()); }
  Status Corrupt(const std::string& where, const Status& s) const {
    return Status::Internal(name + ", " + where + ": " + s.message());
  }
  Result<IndexPage> ReadPage(uint32_t page) const;
  const Run& RunOf(uint32_t page) const {
    return *std::upper_bound(runs.begin(), runs.end(), page,
                             [](uint32_t p, const Run& r) { return p < r.end_page; });
  }
  // One run's part of the trace, appended to *out; false when the run does not hold it.
  // `filtered`: the run's filter already passed the ID.
  Result<bool> FindInRun(const Run& run, const model::TraceId& id, uint64_t data_bytes, bool filtered,
                         model::Batch* out) const;
  Status LoadRuns(const BlockMeta& meta, std::string bloom_bytes);
  Status OpenFilter(const BlockMeta& meta);
  // The runs whose filter passes the ID, in run order.
  Result<std::vector<uint32_t>> FilterRuns(const model::TraceId& id) const;
  Status ReadChunks(const IndexPage& page, uint64_t data_bytes, uint32_t group, RawColumns* raw) const;
};

BlockReader::BlockReader(BlockMeta meta, std::unique_ptr<State> state)
    : meta_(std::move(meta)), state_(std::move(state)) {}
BlockReader::~BlockReader() = default;

Result<std::unique_ptr<BlockReader>> BlockReader::Open(backend::Backend* backend, const std::string& tenant,
                                                       const std::string& block_id) {
  auto state = std::make_unique<State>();
  State& st = *state;
  st.backend = backend;
  st.name = "block " + tenant + "/" + block_id;
  std::string prefix = tenant + "/" + block_id + "/";
  st.data_key = prefix + "data";
  st.index_key = prefix + "index";
  st.bloom_key = prefix + "bloom";

  auto json = backend->Read(prefix + "meta.json");
  if (!json.ok()) {
    if (json.status().code() == StatusCode::kNotFound) return Status::NotFound(st.name + ": no meta.json, not a block");
    return st.Corrupt(json.status());
  }
  auto meta = BlockMeta::Parse(*json);
  if (!meta.ok()) return st.Corrupt(meta.status());
  if (meta->block_id != block_id || meta->tenant != tenant) {
    return Status::Internal(st.name + ": meta.json names another block (" + meta->tenant + "/" + meta->block_id + ")");
  }

  if (meta->version == 3) {
    if (Status s = st.OpenFilter(*meta); !s.ok()) return s;
  } else {
    auto bloom_bytes = backend->Read(st.bloom_key);
    if (!bloom_bytes.ok()) return st.Corrupt(bloom_bytes.status());
    if (bloom_bytes->size() != meta->bloom_bytes) return Status::Internal(st.name + ": bloom: size differs from meta.json");
    if (Status s = st.LoadRuns(*meta, std::move(bloom_bytes).value()); !s.ok()) return s;
  }

  // Index: footer and directory from the tail; the header too when it is in reach.
  uint64_t size = meta->index_bytes;
  if (size < kIndexHeaderBytes + kIndexFooterBytes) return Status::Internal(st.name + ": index: too short");
  uint64_t tail_len = std::min(size, kTailRead);
  auto tail = backend->ReadRange(st.index_key, size - tail_len, tail_len);
  if (!tail.ok()) return st.Corrupt(tail.status());
  uint64_t need_from = 0;
  std::vector<uint64_t> run_starts;
  for (const State::Run& r : st.runs) run_starts.push_back(r.first_page);
  auto dir = PageDirectory::Parse(*tail, size, &need_from, run_starts);
  if (dir.ok() && need_from != 0) {
    tail = backend->ReadRange(st.index_key, need_from, size - need_from);
    if (!tail.ok()) return st.Corrupt(tail.status());
    dir = PageDirectory::Parse(*tail, size, &need_from, run_starts);
  }
  if (!dir.ok()) return st.Corrupt(dir.status());
  st.directory = std::move(dir).value();
  st.latest_start_ms = std::make_unique<std::atomic<uint64_t>[]>(st.directory.size());  // zeroed: unknown
  st.rows = std::make_unique<std::atomic<uint32_t>[]>(st.directory.size());
  st.longest_ms = std::make_unique<std::atomic<uint64_t>[]>(st.directory.size());
  st.most_spans = std::make_unique<std::atomic<uint32_t>[]>(st.directory.size());
  std::string_view header = tail_len == size ? std::string_view(*tail).substr(0, kIndexHeaderBytes) : "";
  Result<std::string> header_read = std::string();
  if (header.empty()) {
    header_read = backend->ReadRange(st.index_key, 0, kIndexHeaderBytes);
    if (!header_read.ok()) return st.Corrupt(header_read.status());
    header = *header_read;
  }
  if (Status s = CheckIndexHeader(header); !s.ok()) return st.Corrupt(s);
  if (st.directory.size() != meta->row_groups) {
    return Status::Internal(st.name + ": index has " + std::to_string(st.directory.size()) +
                            " row groups, meta.json says " + std::to_string(meta->row_groups));
  }

  // Data: only its header here; chunks are checked when read.
  auto data_header = backend->ReadRange(st.data_key, 0, 8);
  if (!data_header.ok()) return st.Corrupt(data_header.status());
  std::string want(kDataMagic, 4);
  want.push_back(static_cast<char>(kFormatVersion));
  want.append(3, '\0');
  if (*data_header != want) return Status::Internal(st.name + ": data: bad magic or version in the header");

  return std::unique_ptr<BlockReader>(new BlockReader(std::move(meta).value(), std::move(state)));
}

Result<IndexPage> BlockReader::State::ReadPage(uint32_t page) const {
  std::string where = "row group " + std::to_string(page);
  auto stored = backend->ReadRange(index_key, directory.offset(page), directory.length(page));
  if (!stored.ok()) return Corrupt(where, stored.status());
  auto p = DecodeIndexPage(*stored, directory.first_trace(page));
  if (!p.ok()) return Corrupt(where, p.status());
  IndexPage out = std::move(p).value();
  const uint64_t shift = RunOf(page).data_shift;
  for (ChunkRef& c : out.chunks) c.offset += shift;
  uint64_t latest = 0, longest = 0;
  uint32_t most = 0;
  bool zero_range = false;
  for (const IndexEntry& e : out.traces) {
    latest = std::max(latest, e.start_ms);
    longest = std::max(longest, e.duration_ms);
    most = std::max(most, e.span_count);
    zero_range |= e.duration_ms == 0;
  }
  constexpr uint64_t kZeroRange = uint64_t{1} << 63;
  rows[page].store(out.rows, std::memory_order_relaxed);
  longest_ms[page].store(std::min(longest, kZeroRange - 1) | (zero_range ? kZeroRange : 0), std::memory_order_relaxed);
  most_spans[page].store(most, std::memory_order_relaxed);
  latest_start_ms[page].store(latest + 1, std::memory_order_release);
  return out;
}

// One ranged read for the whole row group (its chunks are contiguous), then
// each chunk checked and decompressed.
Status BlockReader::State::ReadChunks(const IndexPage& page, uint64_t data_bytes, uint32_t group,
                                      RawColumns* raw) const {
  std::string where = "row group " + std::to_string(group);
  uint64_t begin = page.data_begin(), end = page.data_end();
  // Checked before reading: a corrupt offset must not become a huge buffer.
  if (page.chunks.empty() || begin < 8 || end > data_bytes) {
    return Status::Internal(name + ", " + where + ": index: chunks outside the data object");
  }
  auto bytes = backend->ReadRange(data_key, begin, end - begin);
  if (!bytes.ok()) return Corrupt(where, bytes.status());
  std::string_view all = *bytes;
  for (const ChunkRef& c : page.chunks) {
    int slot = ColumnSlot(c.column);
    if (slot < 0) continue;  // a column this version does not know: not needed to rebuild spans
    auto decoded = DecodeChunk(c.column, all.substr(c.offset - begin, c.length));
    if (!decoded.ok()) return Corrupt(where, decoded.status());
    raw->columns[slot] = std::move(decoded).value();
  }
  return Status::Ok();
}

Status BlockReader::State::LoadRuns(const BlockMeta& meta, std::string bloom_bytes) {
  std::vector<RunMeta> table = meta.runs;
  if (table.empty()) table.push_back({meta.row_groups, 0, 0, meta.bloom_bytes});  // version 1: one run
  uint64_t page = 0;
  for (size_t i = 0; i < table.size(); ++i) {
    const RunMeta& r = table[i];
    std::string bytes = table.size() == 1 ? std::move(bloom_bytes) : bloom_bytes.substr(r.bloom_offset, r.bloom_bytes);
    auto bloom = Bloom::Parse(std::move(bytes));
    if (!bloom.ok()) return Corrupt("bloom of run " + std::to_string(i), bloom.status());
    runs.push_back({static_cast<uint32_t>(page), static_cast<uint32_t>(page + r.row_groups), r.data_shift,
                    std::move(bloom).value()});
    page += r.row_groups;
  }
  return Status::Ok();
}

// Version 3: only the filter's header is read (and kept), then one stripe per lookup.
Status BlockReader::State::OpenFilter(const BlockMeta& meta) {
  const uint64_t size = meta.bloom_bytes;
  auto fixed = backend->ReadRange(bloom_key, 0, std::min(size, StripedFilter::kFixedHeaderBytes));
  if (!fixed.ok()) return Corrupt(fixed.status());
  auto run_count = StripedFilter::RunCount(*fixed);
  if (!run_count.ok()) return Corrupt(run_count.status());
  auto header = backend->ReadRange(bloom_key, 0, std::min(size, StripedFilter::HeaderBytes(*run_count)));
  if (!header.ok()) return Corrupt(header.status());
  auto parsed = StripedFilter::Parse(*header, size);
  if (!parsed.ok()) return Corrupt(parsed.status());
  const uint64_t want_runs = meta.runs.empty() ? 1 : meta.runs.size();
  if (parsed->runs() != want_runs) {
    return Status::Internal(name + ": bloom: filter of " + std::to_string(parsed->runs()) + " runs, meta.json has " +
                            std::to_string(want_runs));
  }
  filter = std::move(parsed).value();
  uint64_t page = 0;
  for (const RunMeta& r : meta.runs.empty() ? std::vector<RunMeta>{{meta.row_groups, 0, 0, 0}} : meta.runs) {
    runs.push_back({static_cast<uint32_t>(page), static_cast<uint32_t>(page + r.row_groups), r.data_shift, Bloom()});
    page += r.row_groups;
  }
  return Status::Ok();
}

Result<std::vector<uint32_t>> BlockReader::State::FilterRuns(const model::TraceId& id) const {
  std::vector<uint32_t> out;
  if (!filter) {
    for (size_t i = 0; i < runs.size() && i < kBloomPrefetchAhead; ++i) runs[i].bloom.Prefetch(id);
    for (size_t i = 0; i < runs.size(); ++i) {
      if (i + kBloomPrefetchAhead < runs.size()) runs[i + kBloomPrefetchAhead].bloom.Prefetch(id);
      if (runs[i].bloom.MayContain(id)) out.push_back(static_cast<uint32_t>(i));
    }
    return out;
  }
  const uint64_t hash = TraceFilterHash(id);
  auto stripe = backend->ReadRange(bloom_key, filter->StripeOffset(hash), filter->stripe_bytes());
  if (!stripe.ok()) return Corrupt(stripe.status());
  if (Status s = filter->RunsThatMayHold(*stripe, hash, &out); !s.ok()) return Corrupt(s);
  return out;
}


bool BlockReader::MayContain(const model::TraceId& id) const {
  if (id < meta_.min_trace_id || meta_.max_trace_id < id) return false;
  auto runs = state_->FilterRuns(id);
  return !runs.ok() || !runs->empty();  // unreadable: FindTrace reports it
}

Result<std::vector<uint32_t>> BlockReader::RunsThatMayHold(const model::TraceId& id) const {
  if (id < meta_.min_trace_id || meta_.max_trace_id < id) return std::vector<uint32_t>();
  return state_->FilterRuns(id);
}

void BlockReader::WillLookUp(const model::TraceId& id) const {
  const State& st = *state_;
  if (!st.filter || id < meta_.min_trace_id || meta_.max_trace_id < id) return;
  st.backend->WillRead(st.bloom_key, st.filter->StripeOffset(TraceFilterHash(id)), st.filter->stripe_bytes());
}

Result<bool> BlockReader::State::FindInRun(const Run& run, const model::TraceId& id, uint64_t data_bytes,
                                           bool filtered, model::Batch* out) const {
  if (!filtered && !filter && !run.bloom.MayContain(id)) return false;
  int64_t group = directory.PageFor(id, run.first_page, run.end_page);
  if (group < 0) return false;
  auto page = ReadPage(static_cast<uint32_t>(group));
  if (!page.ok()) return page.status();
  const IndexEntry* entry = page->Find(id);
  if (entry == nullptr) return false;
  RawColumns raw;
  if (Status s = ReadChunks(*page, data_bytes, static_cast<uint32_t>(group), &raw); !s.ok()) return s;
  const size_t before = out->spans.size();
  std::string where = "row group " + std::to_string(group);
  if (Status s = DecodeRows(raw, id, entry->first_row, entry->span_count, out); !s.ok()) return Corrupt(where, s);
  if (out->spans.size() - before != entry->span_count) {
    return Status::Internal(name + ", " + where + ": decoded " + std::to_string(out->spans.size() - before) +
                            " spans, the index says " + std::to_string(entry->span_count));
  }
  return true;
}

// Every run that holds a part of the trace adds it (a concatenation can hold
// a trace split across its inputs; readers above drop duplicate spans).
Result<model::Batch> BlockReader::FindTrace(const model::TraceId& id) const {
  const State& st = *state_;
  model::Batch out;
  bool found = false;
  auto runs = RunsThatMayHold(id);
  if (!runs.ok()) return runs.status();
  for (uint32_t run : *runs) {
    auto in_run = st.FindInRun(st.runs[run], id, meta_.data_bytes, true, &out);
    if (!in_run.ok()) return in_run.status();
    found = found || *in_run;
  }
  if (!found) return Status::NotFound("trace " + id.ToHex() + " not in " + st.name);
  return out;
}

uint32_t BlockReader::run_count() const { return static_cast<uint32_t>(state_->runs.size()); }

uint32_t BlockReader::run_of(uint32_t row_group) const {
  return static_cast<uint32_t>(&state_->RunOf(row_group) - state_->runs.data());
}

std::pair<uint32_t, uint32_t> BlockReader::run_row_groups(uint32_t run) const {
  return {state_->runs[run].first_page, state_->runs[run].end_page};
}

Result<model::Batch> BlockReader::FindTraceInRun(const model::TraceId& id, uint32_t run) const {
  const State& st = *state_;
  model::Batch out;
  auto found = st.FindInRun(st.runs[run], id, meta_.data_bytes, false, &out);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("trace " + id.ToHex() + " not in run " + std::to_string(run) + " of " + st.name);
  return out;
}

uint32_t BlockReader::row_group_count() const { return static_cast<uint32_t>(state_->directory.size()); }

size_t BlockReader::memory_bytes() const {
  size_t bytes = sizeof(*this) + sizeof(State) + state_->directory.memory_bytes();
  for (const State::Run& r : state_->runs) bytes += sizeof(r) + r.bloom.memory_bytes();
  if (state_->filter) bytes += sizeof(StripedFilter) + state_->filter->memory_bytes();
  return bytes;
}

Result<DecodedRowGroup> BlockReader::ReadRowGroup(uint32_t index) const {
  const State& st = *state_;
  if (index >= st.directory.size()) {
    return Status::InvalidArgument(st.name + ": no row group " + std::to_string(index));
  }
  auto page = st.ReadPage(index);
  if (!page.ok()) return page.status();
  RawColumns raw;
  if (Status s = st.ReadChunks(*page, meta_.data_bytes, index, &raw); !s.ok()) return s;
  DecodedRowGroup out;
  // One pass over every row; the trace IDs (not stored in row groups) come from the page.
  Status s = DecodeRows(raw, model::TraceId(), 0, page->rows, &out.batch);
  std::string where = "row group " + std::to_string(index);
  if (!s.ok()) return st.Corrupt(where, s);
  if (out.batch.spans.size() != page->rows) {
    return Status::Internal(st.name + ", " + where + ": decoded " + std::to_string(out.batch.spans.size()) +
                            " rows, the index says " + std::to_string(page->rows));
  }
  out.traces.reserve(page->traces.size());
  for (const IndexEntry& e : page->traces) {
    TraceEntry t;
    t.id = e.id;
    t.first_row = e.first_row;
    t.span_count = e.span_count;
    t.start = UINT64_MAX;
    for (uint32_t r = e.first_row; r < e.first_row + e.span_count; ++r) {
      model::Span& span = out.batch.spans[r];
      span.trace_id = e.id;
      t.start = std::min(t.start, span.start_time_unix_nano);
      t.end = std::max(t.end, span.end_time_unix_nano);
    }
    out.traces.push_back(t);
  }
  return out;
}

}  // namespace rubato::store::block

// ---- Search: index pages, chosen chunks, chosen traces ----

namespace rubato::store::block {
namespace {

// Chunks closer than this are fetched in one read: a local pread or an
// object-store request costs more than reading a few KiB in between.
constexpr uint64_t kCoalesceGap = 16 << 10;


}  // namespace

const std::string& BlockReader::name() const { return state_->name; }
const PageDirectory& BlockReader::page_directory() const { return state_->directory; }

std::optional<RowGroupSummary> BlockReader::CachedSummary(uint32_t row_group) const {
  if (row_group >= state_->directory.size()) return std::nullopt;
  uint64_t v = state_->latest_start_ms[row_group].load(std::memory_order_acquire);
  if (v == 0) return std::nullopt;
  constexpr uint64_t kZeroRange = uint64_t{1} << 63;
  const uint64_t longest = state_->longest_ms[row_group].load(std::memory_order_relaxed);
  RowGroupSummary out;
  out.latest_start_ms = v - 1;
  out.rows = state_->rows[row_group].load(std::memory_order_relaxed);
  out.longest_trace_ms = longest & ~kZeroRange;
  out.some_trace_ends_first = (longest & kZeroRange) != 0;
  out.most_spans = state_->most_spans[row_group].load(std::memory_order_relaxed);
  return out;
}

Result<IndexPage> BlockReader::ReadIndexPage(uint32_t row_group) const {
  if (row_group >= state_->directory.size()) {
    return Status::InvalidArgument(state_->name + ": no row group " + std::to_string(row_group));
  }
  return state_->ReadPage(row_group);
}

Result<std::string> StoredChunks::Decode(Column c) const {
  int slot = ColumnSlot(c);
  if (slot < 0 || chunks[slot].empty()) return std::string();
  return DecodeChunk(c, chunks[slot]);
}

Result<StoredChunks> BlockReader::ReadStoredChunks(uint32_t row_group, const IndexPage& page,
                                                   std::span<const Column> columns) const {
  const State& st = *state_;
  std::string where = "row group " + std::to_string(row_group);
  if (page.chunks.empty() || page.data_begin() < 8 || page.data_end() > meta_.data_bytes) {
    return Status::Internal(st.name + ", " + where + ": index: chunks outside the data object");
  }
  std::vector<const ChunkRef*> wanted;  // in data order, as the page lists them
  for (const ChunkRef& c : page.chunks) {
    if (std::find(columns.begin(), columns.end(), static_cast<Column>(c.column)) != columns.end() &&
        ColumnSlot(c.column) >= 0) {
      wanted.push_back(&c);
    }
  }
  StoredChunks out;
  struct Piece {
    uint64_t begin, end;
    size_t first, last;  // wanted[first..last)
  };
  std::vector<Piece> pieces;
  for (size_t i = 0; i < wanted.size(); ++i) {
    uint64_t b = wanted[i]->offset, e = b + wanted[i]->length;
    if (!pieces.empty() && b >= pieces.back().end && b - pieces.back().end <= kCoalesceGap) {
      pieces.back().end = e;
      pieces.back().last = i + 1;
    } else {
      pieces.push_back({b, e, i, i + 1});
    }
  }
  out.reads.reserve(pieces.size());  // views into them are taken below, once none moves
  for (const Piece& p : pieces) {
    auto bytes = st.backend->ReadRange(st.data_key, p.begin, p.end - p.begin);
    if (!bytes.ok()) return st.Corrupt(where, bytes.status());
    out.bytes_read += bytes->size();
    out.reads.push_back(std::move(bytes).value());
  }
  for (size_t k = 0; k < pieces.size(); ++k) {
    std::string_view all = out.reads[k];
    for (size_t i = pieces[k].first; i < pieces[k].last; ++i) {
      out.chunks[ColumnSlot(wanted[i]->column)] = all.substr(wanted[i]->offset - pieces[k].begin, wanted[i]->length);
    }
  }
  return out;
}

Result<DecodedRowGroup> BlockReader::ReadTraces(uint32_t row_group, std::span<const uint32_t> trace_indices) const {
  auto page = ReadIndexPage(row_group);
  if (!page.ok()) return page.status();
  return ReadTraces(row_group, *page, trace_indices);
}

Result<DecodedRowGroup> BlockReader::ReadTraces(uint32_t row_group, const IndexPage& page,
                                                std::span<const uint32_t> trace_indices) const {
  const State& st = *state_;
  std::string where = "row group " + std::to_string(row_group);
  for (size_t i = 0; i < trace_indices.size(); ++i) {
    if (trace_indices[i] >= page.traces.size() || (i > 0 && trace_indices[i] <= trace_indices[i - 1])) {
      return Status::InvalidArgument(st.name + ", " + where + ": trace indices must increase and be below " +
                                     std::to_string(page.traces.size()));
    }
  }
  DecodedRowGroup out;
  if (trace_indices.empty()) return out;
  RawColumns raw;
  if (Status s = st.ReadChunks(page, meta_.data_bytes, row_group, &raw); !s.ok()) return s;
  std::vector<TraceEntry> chosen;
  chosen.reserve(trace_indices.size());
  uint64_t rows = 0;
  for (uint32_t t : trace_indices) {
    const IndexEntry& e = page.traces[t];
    TraceEntry entry;
    entry.id = e.id;
    entry.first_row = e.first_row;
    entry.span_count = e.span_count;
    chosen.push_back(entry);
    rows += e.span_count;
  }
  // One pass: each trace decoded, the rows between them skipped.
  Status s = DecodeTraces(raw, chosen, &out.batch);
  if (!s.ok()) return st.Corrupt(where, s);
  if (out.batch.spans.size() != rows) {
    return Status::Internal(st.name + ", " + where + ": decoded fewer rows than the index lists");
  }
  uint32_t row = 0;
  for (TraceEntry& entry : chosen) {
    entry.first_row = row;
    entry.start = UINT64_MAX;
    for (uint32_t r = row; r < row + entry.span_count; ++r) {
      const model::Span& span = out.batch.spans[r];
      entry.start = std::min(entry.start, span.start_time_unix_nano);
      entry.end = std::max(entry.end, span.end_time_unix_nano);
    }
    row += entry.span_count;
  }
  out.traces = std::move(chosen);
  return out;
}

}  // namespace rubato::store::block
