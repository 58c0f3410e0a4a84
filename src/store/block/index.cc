#include "store/block/index.h"

#include <zstd.h>

#include <algorithm>

#include "store/block/chunk.h"
#include "store/block/encoding.h"
#include "store/block/format.h"
#include "store/wal/crc32c.h"

namespace rubato::store::block {
namespace {

// A page is one row group's traces: at most row_group_spans entries of about
// 20 bytes. Anything claiming more than this is corrupt, not large.
constexpr uint64_t kMaxPageRaw = 256ull << 20;
constexpr uint64_t kMaxChunkLength = 1ull << 40;

// Bytes 0..7 of an ID as a big-endian number: sorted IDs have increasing
// high parts, so a page stores their differences (about log2(pages) bits
// shorter than the raw bytes).
uint64_t High(const model::TraceId& id) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | id.bytes[i];
  return v;
}
void SetHigh(model::TraceId* id, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) id->bytes[i] = static_cast<uint8_t>(v);
}


Status Corrupt(const std::string& what) { return Status::Internal("index: " + what); }

}  // namespace

const IndexEntry* IndexPage::Find(const model::TraceId& id) const {
  auto it = std::lower_bound(traces.begin(), traces.end(), id,
                             [](const IndexEntry& e, const model::TraceId& x) { return e.id < x; });
  return it != traces.end() && it->id == id ? &*it : nullptr;
}

std::string EncodeIndexPage(const IndexPage& page, int zstd_level) {
  std::string raw;
  raw.reserve(64 + page.chunks.size() * 4 + page.traces.size() * 24);
  PutUvarint(&raw, page.rows);
  PutUvarint(&raw, page.data_begin());
  PutUvarint(&raw, page.chunks.size());
  for (const ChunkRef& c : page.chunks) {
    PutUvarint(&raw, c.column);
    PutUvarint(&raw, c.length);
  }
  // Column by column, so that zstd sees runs of like values.
  PutUvarint(&raw, page.traces.size());
  uint64_t prev = 0;
  for (const IndexEntry& t : page.traces) {
    PutUvarint(&raw, High(t.id) - prev);
    prev = High(t.id);
  }
  for (const IndexEntry& t : page.traces) raw.append(t.id.AsBytes().substr(8));
  for (const IndexEntry& t : page.traces) PutUvarint(&raw, t.span_count);
  uint64_t base = UINT64_MAX;
  for (const IndexEntry& t : page.traces) base = std::min(base, t.start_ms);
  PutUvarint(&raw, base);
  for (const IndexEntry& t : page.traces) PutUvarint(&raw, t.start_ms - base);
  for (const IndexEntry& t : page.traces) PutUvarint(&raw, t.duration_ms);

  std::string out;
  bool compress = raw.size() >= 64;  // tiny pages do not pay for a zstd frame
  out.push_back(static_cast<char>(compress ? kCodecZstd : kCodecNone));
  PutUvarint(&out, raw.size());
  if (compress) {
    size_t at = out.size();
    out.resize(at + ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compressCCtx(ThreadCCtx(), out.data() + at, out.size() - at, raw.data(), raw.size(), zstd_level);
    if (ZSTD_isError(n)) {  // cannot happen with a compressBound-sized buffer; store raw then
      out.clear();
      out.push_back(static_cast<char>(kCodecNone));
      PutUvarint(&out, raw.size());
      out.append(raw);
    } else {
      out.resize(at + n);
    }
  } else {
    out.append(raw);
  }
  PutFixed<uint32_t>(&out, wal::Crc32c(0, out));
  return out;
}

Result<IndexPage> DecodeIndexPage(std::string_view stored, const model::TraceId& first_id) {
  if (stored.size() < 6) return Corrupt("page truncated");
  uint32_t crc;
  std::memcpy(&crc, stored.data() + stored.size() - 4, 4);
  stored.remove_suffix(4);
  if (wal::Crc32c(0, stored) != crc) return Corrupt("page checksum mismatch (corrupt page)");
  ByteReader head(stored);
  uint8_t codec = head.Fixed<uint8_t>();
  uint64_t raw_len = head.Uvarint();
  if (!head.ok() || raw_len > kMaxPageRaw) return Corrupt("bad page header");
  std::string_view body(head.ptr(), head.remaining());
  std::string raw;
  if (codec == kCodecNone) {
    if (body.size() != raw_len) return Corrupt("page length mismatch");
    raw.assign(body);
  } else if (codec == kCodecZstd) {
    unsigned long long size = ZSTD_getFrameContentSize(body.data(), body.size());
    if (size != raw_len) return Corrupt("page length mismatch");
    raw.resize(raw_len);
    size_t n = ZSTD_decompressDCtx(ThreadDCtx(), raw.data(), raw.size(), body.data(), body.size());
    if (ZSTD_isError(n) || n != raw_len) return Corrupt("page zstd decode failed");
  } else {
    return Corrupt("unknown page codec " + std::to_string(codec));
  }

  ByteReader r(raw);
  IndexPage page;
  page.rows = r.Uvarint32();
  uint64_t offset = r.Uvarint();
  uint64_t chunks = r.Uvarint();
  if (!r.ok() || chunks > r.remaining() / 2 || offset > kMaxChunkLength) return Corrupt("malformed page (chunks)");
  page.chunks.resize(chunks);
  for (ChunkRef& c : page.chunks) {
    uint64_t column = r.Uvarint();
    c.length = r.Uvarint();
    c.offset = offset;
    if (column > UINT16_MAX || c.length > kMaxChunkLength) r.Fail();
    c.column = static_cast<uint16_t>(column);
    offset += c.length;
  }
  uint64_t n = r.Uvarint();
  // Each entry takes at least 12 bytes (1 + 8 + 1 + 1 + 1), and every trace has a row.
  if (!r.ok() || n == 0 || n > r.remaining() / 12 || n > page.rows) return Corrupt("malformed page (trace count)");
  page.traces.resize(n);
  uint64_t high = 0;
  for (IndexEntry& t : page.traces) {
    uint64_t delta = r.Uvarint();
    if (delta > UINT64_MAX - high) r.Fail();
    high += delta;
    SetHigh(&t.id, high);
  }
  for (IndexEntry& t : page.traces) {
    std::string_view low = r.Bytes(8);
    if (low.size() == 8) std::memcpy(t.id.bytes.data() + 8, low.data(), 8);
  }
  uint64_t row = 0;
  for (IndexEntry& t : page.traces) {
    t.span_count = r.Uvarint32();
    t.first_row = static_cast<uint32_t>(row);
    if (t.span_count == 0) r.Fail();
    row += t.span_count;
    if (row > page.rows) r.Fail();
  }
  uint64_t base = r.Uvarint();
  for (IndexEntry& t : page.traces) {
    uint64_t d = r.Uvarint();
    if (d > UINT64_MAX - base) r.Fail();
    t.start_ms = base + d;
  }
  for (IndexEntry& t : page.traces) t.duration_ms = r.Uvarint();
  if (!r.ok() || !r.done()) return Corrupt("malformed page");
  if (row != page.rows) return Corrupt("page rows do not add up");
  if (page.traces.front().id != first_id) return Corrupt("page does not start where the directory says");
  for (size_t i = 1; i < page.traces.size(); ++i) {
    if (!(page.traces[i - 1].id < page.traces[i].id)) return Corrupt("page trace IDs out of order");
  }
  return page;
}

void PageDirectory::Add(const model::TraceId& first_trace, uint64_t stored_length) {
  first_ids_.push_back(first_trace);
  ends_.push_back((ends_.empty() ? kIndexHeaderBytes : ends_.back()) + stored_length);
}

int64_t PageDirectory::PageFor(const model::TraceId& id, size_t begin, size_t end) const {
  auto first = first_ids_.begin() + static_cast<std::ptrdiff_t>(begin);
  auto it = std::upper_bound(first, first_ids_.begin() + static_cast<std::ptrdiff_t>(end), id);
  return it == first ? -1 : static_cast<int64_t>(it - first_ids_.begin()) - 1;
}

size_t PageDirectory::memory_bytes() const {
  return first_ids_.capacity() * sizeof(model::TraceId) + ends_.capacity() * sizeof(uint64_t);
}

std::string IndexHeader() {
  std::string h(kIndexMagic, 4);
  h.push_back(static_cast<char>(kFormatVersion));
  h.append(3, '\0');
  return h;
}

Status CheckIndexHeader(std::string_view first8) {
  if (first8 != IndexHeader()) return Corrupt("bad magic or version in the header");
  return Status::Ok();
}

std::string PageDirectory::EncodeTail() const {
  std::string out;
  PutUvarint(&out, first_ids_.size());
  for (size_t p = 0; p < first_ids_.size(); ++p) {
    out.append(first_ids_[p].AsBytes());
    PutUvarint(&out, length(p));
  }
  PutFixed<uint32_t>(&out, wal::Crc32c(0, out));
  // Footer: where the directory starts, then the version and magic.
  PutFixed<uint64_t>(&out, ends_.empty() ? kIndexHeaderBytes : ends_.back());
  out.push_back(static_cast<char>(kFormatVersion));
  out.append(3, '\0');
  out.append(kIndexMagic, 4);
  return out;
}

Result<PageDirectory> PageDirectory::Parse(std::string_view tail, uint64_t index_size, uint64_t* need_from,
                                           std::span<const uint64_t> run_starts) {
  *need_from = 0;
  if (index_size < kIndexHeaderBytes + 5 + kIndexFooterBytes || tail.size() < kIndexFooterBytes ||
      tail.size() > index_size) {
    return Corrupt("object too short");
  }
  ByteReader f(tail.substr(tail.size() - kIndexFooterBytes));
  uint64_t dir_at = f.Fixed<uint64_t>();
  uint8_t version = f.Fixed<uint8_t>();
  std::string_view reserved = f.Bytes(3), magic = f.Bytes(4);
  if (version != kFormatVersion || reserved != std::string_view("\0\0\0", 3) ||
      magic != std::string_view(kIndexMagic, 4)) {
    return Corrupt("bad footer");
  }
  uint64_t dir_end = index_size - kIndexFooterBytes;
  // Written without `dir_at + 5`, which a corrupt footer could overflow.
  if (dir_at < kIndexHeaderBytes || dir_at > dir_end || dir_end - dir_at < 5)
    return Corrupt("bad directory offset in the footer");
  uint64_t tail_at = index_size - tail.size();
  if (dir_at < tail_at) {
    *need_from = dir_at;
    return PageDirectory();
  }
  std::string_view dir = tail.substr(dir_at - tail_at, dir_end - dir_at);
  uint32_t crc;
  std::memcpy(&crc, dir.data() + dir.size() - 4, 4);
  dir.remove_suffix(4);
  if (wal::Crc32c(0, dir) != crc) return Corrupt("directory checksum mismatch");
  ByteReader r(dir);
  uint64_t pages = r.Uvarint();
  if (!r.ok() || pages == 0 || pages > r.remaining() / 17) return Corrupt("bad page count");
  PageDirectory d;
  d.first_ids_.reserve(pages);
  d.ends_.reserve(pages);
  for (uint64_t p = 0; p < pages && r.ok(); ++p) {
    model::TraceId id;
    std::string_view b = r.Bytes(16);
    uint64_t len = r.Uvarint();
    if (!r.ok() || len < 6 || len > dir_at) return Corrupt("bad directory entry " + std::to_string(p));
    std::memcpy(id.bytes.data(), b.data(), 16);
    bool run_start = std::binary_search(run_starts.begin(), run_starts.end(), p);
    if (p > 0 && !run_start && !(d.first_ids_.back() < id)) return Corrupt("directory out of order");
    d.Add(id, len);
    if (d.ends_.back() > dir_at) return Corrupt("pages overrun the directory");
  }
  if (!r.ok() || !r.done() || d.ends_.back() != dir_at) return Corrupt("pages do not fill the object");
  return d;
}

}  // namespace rubato::store::block
