#include "store/block/index.h"

#include <algorithm>

#include "store/block/encoding.h"
#include "store/block/format.h"
#include "store/wal/crc32c.h"

namespace rubato::store::block {
namespace {

void PutId(std::string* out, const model::TraceId& id) { out->append(id.AsBytes()); }
model::TraceId GetId(ByteReader& r) {
  model::TraceId id;
  std::string_view b = r.Bytes(16);
  if (b.size() == 16) std::memcpy(id.bytes.data(), b.data(), 16);
  return id;
}

}  // namespace

std::string BlockIndex::Serialize() const {
  std::string out(kIndexMagic, 4);
  out.push_back(static_cast<char>(kFormatVersion));
  out.append(3, '\0');
  PutUvarint(&out, row_groups.size());
  for (const RowGroupDir& rg : row_groups) {
    PutId(&out, rg.first_trace);
    PutId(&out, rg.last_trace);
    PutFixed<uint64_t>(&out, rg.min_start);
    PutFixed<uint64_t>(&out, rg.max_start);
    PutUvarint(&out, rg.chunks.size());
    for (const ChunkRef& c : rg.chunks) {
      PutFixed<uint16_t>(&out, c.column);
      PutUvarint(&out, c.offset);
      PutUvarint(&out, c.length);
    }
  }
  PutUvarint(&out, traces.size());
  uint64_t prev_start = 0;
  for (const IndexEntry& t : traces) {
    PutId(&out, t.id);
    PutUvarint(&out, t.row_group);
    PutUvarint(&out, t.first_row);
    PutUvarint(&out, t.span_count);
    PutSvarint(&out, static_cast<int64_t>(t.start - prev_start));
    PutUvarint(&out, t.duration_ms);
    prev_start = t.start;
  }
  PutFixed<uint32_t>(&out, wal::Crc32c(0, out));
  return out;
}

Result<BlockIndex> BlockIndex::Parse(std::string_view bytes) {
  if (bytes.size() < 12) return Status::Internal("index: truncated");
  uint32_t crc;
  std::memcpy(&crc, bytes.data() + bytes.size() - 4, 4);
  bytes.remove_suffix(4);
  if (wal::Crc32c(0, bytes) != crc) return Status::Internal("index: checksum mismatch");
  ByteReader r(bytes);
  if (r.Bytes(4) != std::string_view(kIndexMagic, 4) || r.Fixed<uint8_t>() != kFormatVersion) {
    return Status::Internal("index: bad magic or version");
  }
  r.Bytes(3);
  BlockIndex idx;
  uint64_t groups = r.Uvarint();
  for (uint64_t g = 0; g < groups && r.ok(); ++g) {
    RowGroupDir rg;
    rg.first_trace = GetId(r);
    rg.last_trace = GetId(r);
    rg.min_start = r.Fixed<uint64_t>();
    rg.max_start = r.Fixed<uint64_t>();
    uint64_t n = r.Uvarint();
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      ChunkRef c;
      c.column = r.Fixed<uint16_t>();
      c.offset = r.Uvarint();
      c.length = r.Uvarint();
      rg.chunks.push_back(c);
    }
    idx.row_groups.push_back(std::move(rg));
  }
  uint64_t count = r.Uvarint();
  if (count > r.remaining()) return Status::Internal("index: bad trace count");
  idx.traces.reserve(count);
  uint64_t prev_start = 0;
  for (uint64_t i = 0; i < count && r.ok(); ++i) {
    IndexEntry t;
    t.id = GetId(r);
    t.row_group = r.Uvarint32();
    t.first_row = r.Uvarint32();
    t.span_count = r.Uvarint32();
    t.start = prev_start + static_cast<uint64_t>(r.Svarint());
    t.duration_ms = r.Uvarint();
    prev_start = t.start;
    if (t.row_group >= idx.row_groups.size()) r.Fail();
    idx.traces.push_back(t);
  }
  if (!r.ok() || !r.done()) return Status::Internal("index: malformed");
  return idx;
}

const IndexEntry* BlockIndex::Find(const model::TraceId& id) const {
  auto it = std::lower_bound(traces.begin(), traces.end(), id,
                             [](const IndexEntry& e, const model::TraceId& x) { return e.id < x; });
  return it != traces.end() && it->id == id ? &*it : nullptr;
}

}  // namespace rubato::store::block
