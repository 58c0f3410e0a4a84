#include "store/block/block_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <set>

#include "model/span_copy.h"
#include "store/block/bloom.h"
#include "store/block/striped_filter.h"
#include "store/block/chunk.h"
#include "store/block/encoding.h"
#include "store/block/index.h"
#include "store/block/row_group_encoder.h"

namespace rubato::store::block {
namespace {

uint64_t EndMs(uint64_t end_ns) { return end_ns / 1'000'000 + (end_ns % 1'000'000 != 0); }

// IDs as big-endian integers: comparing them compares the bytes in order, as
// Id's operator<=> does, without a memcmp call.
inline uint64_t Be64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
// Loads a span's first byte and asks for the rest of the lines that the
// writer reads (see AddSorted).
inline uint8_t ReadAhead(const SpanRef& r) {
  const char* p = reinterpret_cast<const char*>(&r.batch->spans[r.index]);
  __builtin_prefetch(p + 64);
  __builtin_prefetch(p + sizeof(model::Span) - 1);
  return static_cast<uint8_t>(p[0]);
}

inline bool SameTrace(const model::TraceId& a, const model::TraceId& b) {
  uint64_t x[2], y[2];
  std::memcpy(x, a.bytes.data(), 16);
  std::memcpy(y, b.bytes.data(), 16);
  return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

uint64_t NowNs() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

std::string NewBlockId() {
  std::random_device rd;
  std::mt19937_64 rng((uint64_t{rd()} << 32) ^ rd());
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ull) | 0x4000ull;        // version 4
  lo = (lo & ~(3ull << 62)) | (2ull << 62);  // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>(hi >> 16 & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

struct BlockWriter::State {
  BlockWriterOptions o;
  std::string prefix;  // <tenant>/<block-id>/
  BlockMeta meta;
  Status failed;  // sticky: after an I/O error the block can only be abandoned
  bool finished = false;
  std::unique_ptr<backend::ObjectWriter> data, index;

  // The row group being filled: its spans in block order (copies in
  // `buffer`, or the caller's when borrowing).
  model::Batch buffer;
  std::vector<SpanRef> rows;
  std::vector<IndexEntry> entries;
  EncodedRowGroup encoded;  // kept for its columns' capacity
  // Borrowing: which sources (batch, scope) have equal resources and scopes,
  // kept for the whole block (the batches stay alive and unchanged).
  rg::SourceClasses sources;

  PageDirectory directory;
  std::set<std::string> dedicated;
  // What the filter needs of each trace ID: its hash, 8 bytes a trace
  // (version 1: the IDs themselves).
  std::vector<uint64_t> filter_hashes;
  std::vector<model::TraceId> v1_ids;

  // Scratch, kept for its capacity.
  struct ById {
    uint64_t id;  // span ID, big-endian
    uint32_t at;  // position in the trace's input
  };
  struct ByStart {
    uint64_t start, id;
    uint32_t at;
  };
  std::vector<ById> by_id;
  std::vector<ByStart> by_start;
  std::vector<uint32_t> kept;
  std::vector<uint32_t> order;
  std::vector<uint32_t> dst;
  std::string chunks;
  uint64_t read_ahead = 0;  // what AddSorted's read-ahead loads add up to (so that they are made)

  Status Fail(Status s) {
    if (!s.ok() && failed.ok()) failed = s;
    return s;
  }
  Status Open();
  Status Flush();
  Status AddTrace(std::span<const SpanRef> spans);
  Result<BlockMeta> Finish();
  void CopyIn(std::span<const SpanRef> spans, const std::vector<uint32_t>& kept);
  std::string BuildBloom() const;
};

Status BlockWriter::State::Open() {
  auto d = o.backend->Create(prefix + "data");
  if (!d.ok()) return d.status();
  data = std::move(d).value();
  auto i = o.backend->Create(prefix + "index");
  if (!i.ok()) return i.status();
  index = std::move(i).value();
  std::string header(kDataMagic, 4);
  header.push_back(static_cast<char>(kFormatVersion));
  header.append(3, '\0');
  if (Status s = data->Append(header); !s.ok()) return s;
  return index->Append(IndexHeader());
}

// Copies the kept spans into the row-group buffer. Spans are copied grouped
// by source scope, so that each (batch, scope) of the trace costs one copied
// resource and scope rather than one per change of service in start order;
// the rows then reference the copies in block order.
void BlockWriter::State::CopyIn(std::span<const SpanRef> spans, const std::vector<uint32_t>& kept) {
  // Positions in `kept`, grouped by source (batch, scope), in block order within a group.
  order.resize(kept.size());
  for (uint32_t j = 0; j < order.size(); ++j) order[j] = j;
  auto source = [&](uint32_t j) {
    const SpanRef& r = spans[kept[j]];
    return std::pair(r.batch, r.span().scope_index);
  };
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    auto x = source(a), y = source(b);
    return x.first != y.first ? std::less<const model::Batch*>()(x.first, y.first) : x.second < y.second;
  });
  dst.assign(kept.size(), 0);
  std::vector<uint32_t> group;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    group.clear();
    while (j < order.size() && source(order[j]) == source(order[i])) group.push_back(spans[kept[order[j++]]].index);
    uint32_t base = static_cast<uint32_t>(buffer.spans.size());
    model::CopySpans(*spans[kept[order[i]]].batch, group, &buffer);
    for (size_t k = i; k < j; ++k) dst[order[k]] = base + static_cast<uint32_t>(k - i);
    i = j;
  }
  for (uint32_t d : dst) rows.push_back({&buffer, d});
}

Status BlockWriter::State::AddTrace(std::span<const SpanRef> spans) {
  if (!failed.ok()) return failed;
  if (finished) return Status::InvalidArgument("block writer: AddTrace after Finish");
  if (spans.empty()) return Status::Ok();
  const model::TraceId id = spans[0].span().trace_id;
  by_id.resize(spans.size());
  for (uint32_t i = 0; i < spans.size(); ++i) {
    const model::Span& s = spans[i].span();
    if (!SameTrace(s.trace_id, id)) return Status::InvalidArgument("block writer: spans of several traces in one AddTrace");
    by_id[i] = {Be64(s.span_id.bytes.data()), i};
  }
  if (meta.traces > 0 && !(meta.max_trace_id < id)) {
    return Status::InvalidArgument("block writer: trace " + id.ToHex() + " added after " + meta.max_trace_id.ToHex() +
                                   " (traces must come in increasing ID order, once each)");
  }

  // Duplicates: the first of each span ID wins (ties by input position),
  // then block order: start time, span ID (unique by then).
  std::sort(by_id.begin(), by_id.end(),
            [](const ById& a, const ById& b) { return a.id != b.id ? a.id < b.id : a.at < b.at; });
  by_start.clear();
  for (size_t i = 0; i < by_id.size(); ++i) {
    if (i > 0 && by_id[i].id == by_id[i - 1].id) continue;
    by_start.push_back({spans[by_id[i].at].span().start_time_unix_nano, by_id[i].id, by_id[i].at});
  }
  std::sort(by_start.begin(), by_start.end(),
            [](const ByStart& a, const ByStart& b) { return a.start != b.start ? a.start < b.start : a.id < b.id; });
  kept.resize(by_start.size());
  for (size_t i = 0; i < kept.size(); ++i) kept[i] = by_start[i].at;

  // Whole traces per row group: cut before a trace that would overflow it
  // (a trace larger than a row group gets one of its own).
  uint64_t target = std::max<uint32_t>(1, o.row_group_spans);
  if (!rows.empty() && rows.size() + kept.size() > target) {
    if (Status s = Flush(); !s.ok()) return Fail(s);
  }

  IndexEntry e;
  e.id = id;
  e.first_row = static_cast<uint32_t>(rows.size());
  e.span_count = static_cast<uint32_t>(kept.size());
  uint64_t start = UINT64_MAX, end = 0;
  for (uint32_t i : kept) {
    start = std::min(start, spans[i].span().start_time_unix_nano);
    end = std::max(end, spans[i].span().end_time_unix_nano);
  }
  e.start_ms = start / 1'000'000;
  e.duration_ms = EndMs(end) > e.start_ms ? EndMs(end) - e.start_ms : 0;
  entries.push_back(e);
  if (o.borrow_batches) {
    for (uint32_t k : kept) rows.push_back(spans[k]);
  } else {
    CopyIn(spans, kept);
  }

  if (meta.traces == 0) {
    meta.min_trace_id = id;
    meta.min_time = start;
  }
  meta.max_trace_id = id;
  meta.min_time = std::min(meta.min_time, start);
  meta.max_time = std::max(meta.max_time, end);
  ++meta.traces;
  meta.spans += kept.size();
  if (o.format_version == 1) v1_ids.push_back(id);
  else filter_hashes.push_back(TraceFilterHash(id));
  return Status::Ok();
}

// Encodes the buffered row group, appends its chunks to `data` and its page to `index`.
Status BlockWriter::State::Flush() {
  if (rows.empty()) return Status::Ok();
  if (!data) {
    if (Status s = Open(); !s.ok()) return s;
  }
  if (o.borrow_batches) rg::EncodeRowGroup(rows, &encoded, &sources);
  else EncodeRowGroup(rows, &encoded);
  if (encoded.traces.size() != entries.size()) {
    return Status::Internal("block writer: row group encoder saw " + std::to_string(encoded.traces.size()) +
                            " traces, expected " + std::to_string(entries.size()));
  }
  IndexPage page;
  page.rows = static_cast<uint32_t>(rows.size());
  uint64_t base = data->bytes_written();
  chunks.clear();
  for (int c = 0; c < kColumnCount; ++c) {
    size_t at = chunks.size();
    AppendChunk(kAllColumns[c], encoded.columns[c], o.zstd_level, &chunks);
    page.chunks.push_back({kAllColumns[c], base + at, chunks.size() - at});
  }
  if (Status s = data->Append(chunks); !s.ok()) return s;
  page.traces = std::move(entries);
  std::string stored = EncodeIndexPage(page, o.zstd_level);
  if (Status s = index->Append(stored); !s.ok()) return s;
  directory.Add(page.traces.front().id, stored.size());
  dedicated.insert(encoded.dedicated_columns.begin(), encoded.dedicated_columns.end());
  ++meta.row_groups;
  entries.clear();
  rows.clear();
  buffer.Clear();
  return Status::Ok();
}

std::string BlockWriter::State::BuildBloom() const {
  if (o.format_version == 1) return Bloom::Build(v1_ids);
  const uint64_t traces = filter_hashes.size();
  StripedFilterBuilder b(std::span(&traces, 1));
  for (uint64_t h : filter_hashes) b.Add(0, h);
  return std::move(b).Finish();
}

Result<BlockMeta> BlockWriter::State::Finish() {
  if (!failed.ok()) return failed;
  if (finished) return Status::InvalidArgument("block writer: Finish called twice");
  if (meta.traces == 0) return Status::InvalidArgument("block writer: no spans");
  if (Status s = Flush(); !s.ok()) return Fail(s);
  if (Status s = index->Append(directory.EncodeTail()); !s.ok()) return Fail(s);
  // Order matters: data, index and bloom are durable before meta.json
  // exists, so a crash never leaves a visible partial block.
  if (Status s = data->Close(); !s.ok()) return Fail(s);
  if (Status s = index->Close(); !s.ok()) return Fail(s);
  std::string bloom = BuildBloom();
  if (Status s = o.backend->Put(prefix + "bloom", bloom); !s.ok()) return Fail(s);
  meta.data_bytes = data->bytes_written();
  meta.index_bytes = index->bytes_written();
  meta.bloom_bytes = bloom.size();
  meta.created_at = NowNs();
  meta.dedicated_columns.assign(dedicated.begin(), dedicated.end());
  if (Status s = o.backend->Put(prefix + "meta.json", meta.ToJson()); !s.ok()) return Fail(s);
  finished = true;
  return meta;
}

BlockWriter::BlockWriter(BlockWriterOptions options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.o = std::move(options);
  s.meta.block_id = NewBlockId();
  s.meta.tenant = s.o.tenant;
  s.meta.version = s.o.format_version == 1 ? 1 : 3;
  s.meta.compaction_level = s.o.compaction_level;
  s.meta.wal_seq_end = s.o.wal_seq_end;
  s.meta.compacted_from = s.o.compacted_from;
  s.prefix = s.o.tenant + "/" + s.meta.block_id + "/";
  if (s.o.backend == nullptr) s.failed = Status::InvalidArgument("block writer: no backend");
  if (s.o.format_version != 1 && s.o.format_version != 3)
    s.failed = Status::InvalidArgument("block writer: format version must be 1 or 3");
}

// Unfinished: the objects' writers are dropped without Close, so the partial
// data and index never become visible, and there is no meta.json. What was
// written is removed now rather than at the next start, so repeated failures
// (a full disk) do not pile up invisible folders.
BlockWriter::~BlockWriter() {
  State& s = *state_;
  if (s.finished || s.o.backend == nullptr) return;
  s.data.reset();
  s.index.reset();
  (void)s.o.backend->DeletePrefix(s.prefix.substr(0, s.prefix.size() - 1));
}

Status BlockWriter::AddTrace(std::span<const SpanRef> spans) { return state_->AddTrace(spans); }

Status BlockWriter::AddSorted(std::span<const SpanRef> refs) {
  // The spans are on pages all over memory: a group's first bytes are loaded
  // together, so that they wait for memory (and the TLB) together, and the
  // rest of each span is prefetched (prefetches alone did not hide the
  // misses: see the row-group encoder's read-ahead).
  constexpr size_t kGroup = 8, kAhead = 16;
  size_t read = 0;  // spans [0, read) have been read ahead
  uint64_t sum = 0;
  for (size_t i = 0; i < refs.size();) {
    for (; read < std::min(i + kAhead, refs.size()); read += kGroup) {
      for (size_t k = read; k < std::min(read + kGroup, refs.size()); ++k) sum += ReadAhead(refs[k]);
    }
    size_t j = i + 1;
    const model::TraceId& id = refs[i].span().trace_id;
    while (j < refs.size() && SameTrace(refs[j].span().trace_id, id)) ++j;
    if (Status s = state_->AddTrace(refs.subspan(i, j - i)); !s.ok()) return s;
    i = j;
  }
  state_->read_ahead += sum;
  return Status::Ok();
}

Result<BlockMeta> BlockWriter::Finish() { return state_->Finish(); }
uint64_t BlockWriter::spans_added() const { return state_->meta.spans; }

void SortByTrace(std::vector<SpanRef>* refs) {
  size_t n = refs->size();
  if (n < 2) return;
  if (n > UINT32_MAX) {
    std::stable_sort(refs->begin(), refs->end(),
                     [](const SpanRef& a, const SpanRef& b) { return a.span().trace_id < b.span().trace_id; });
    return;
  }
  // Keys (ID, input position): sorting them is a stable sort by ID. Bucketed
  // by the ID's first bits (random, per W3C; skewed IDs only make buckets
  // larger), then each bucket sorted.
  struct Key {
    uint64_t hi, lo;
    uint32_t at;
  };
  int bits = 1;
  while (bits < 16 && (size_t{1} << (bits + 3)) < n) ++bits;
  size_t buckets = size_t{1} << bits;
  auto keys = std::make_unique_for_overwrite<Key[]>(n);  // not zeroed first: every key is written
  auto sorted = std::make_unique_for_overwrite<Key[]>(n);
  std::vector<uint32_t> start(buckets + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* id = (*refs)[i].span().trace_id.bytes.data();
    keys[i] = {Be64(id), Be64(id + 8), static_cast<uint32_t>(i)};
    ++start[(keys[i].hi >> (64 - bits)) + 1];
  }
  for (size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  for (size_t i = 0; i < n; ++i) sorted[start[keys[i].hi >> (64 - bits)]++] = keys[i];  // start[b]: bucket b's end
  auto less = [](const Key& a, const Key& b) {
    return a.hi != b.hi ? a.hi < b.hi : a.lo != b.lo ? a.lo < b.lo : a.at < b.at;
  };
  for (size_t b = 0, begin = 0; b < buckets; begin = start[b++]) {
    if (start[b] - begin > 1) std::sort(sorted.get() + begin, sorted.get() + start[b], less);
  }
  std::vector<SpanRef> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back((*refs)[sorted[i].at]);
  refs->swap(out);
}

Result<BlockMeta> WriteBlock(const BlockWriterOptions& options, std::span<const model::Batch* const> batches) {
  std::vector<SpanRef> refs;
  size_t total = 0;
  for (const model::Batch* b : batches) total += b->spans.size();
  refs.reserve(total);
  for (const model::Batch* b : batches) {
    for (uint32_t i = 0; i < b->spans.size(); ++i) refs.push_back({b, i});
  }
  // Stable: of two copies of a span, the one from the earlier batch is kept.
  SortByTrace(&refs);
  BlockWriterOptions o = options;
  o.borrow_batches = true;  // the batches outlive the writer
  BlockWriter writer(std::move(o));
  if (Status s = writer.AddSorted(refs); !s.ok()) return s;
  return writer.Finish();
}

}  // namespace rubato::store::block
