#include "store/wal/record.h"

#include <cstring>
#include <optional>

#include "store/wal/crc32c.h"

namespace rubato::store::wal {
namespace {

template <typename T>
T Load(std::string_view data, size_t at) {
  T v;
  std::memcpy(&v, data.data() + at, sizeof v);  // little-endian host assumed (x86-64, arm64)
  return v;
}
template <typename T>
void Store(char* out, T v) {
  std::memcpy(out, &v, sizeof v);
}

// Byte offsets inside the record header.
constexpr size_t kLengthAt = 0, kCrcAt = 4, kSeqAt = 8, kTypeAt = 16, kFlagsAt = 17, kTenantSizeAt = 18;

// Cheap structural checks before the CRC: a wrong type or a length running
// past the segment rejects almost every false start during resynchronisation.
bool Plausible(std::string_view data, size_t at, uint64_t min_seq) {
  if (at + kRecordHeaderSize > data.size()) return false;
  uint32_t len = Load<uint32_t>(data, at + kLengthAt);
  if (len < kRecordHeaderSize || len > data.size() - at) return false;
  if (static_cast<uint8_t>(data[at + kTypeAt]) != kRecordTypeFull || data[at + kFlagsAt] != 0) return false;
  if (Load<uint16_t>(data, at + kTenantSizeAt) > len - kRecordHeaderSize) return false;
  return Load<uint64_t>(data, at + kSeqAt) >= min_seq;
}

std::optional<ScannedRecord> ParseRecord(std::string_view data, size_t at, uint64_t min_seq) {
  if (!Plausible(data, at, min_seq)) return std::nullopt;
  uint32_t len = Load<uint32_t>(data, at + kLengthAt);
  uint64_t seq = Load<uint64_t>(data, at + kSeqAt);
  uint32_t crc = Crc32c(0, data.data() + at + kTypeAt, len - kTypeAt);
  if (ExtendCrcWithSeq(crc, seq) != Load<uint32_t>(data, at + kCrcAt)) return std::nullopt;
  uint16_t tenant_size = Load<uint16_t>(data, at + kTenantSizeAt);
  std::string_view body = data.substr(at + kRecordHeaderSize, len - kRecordHeaderSize);
  return ScannedRecord{seq, body.substr(0, tenant_size), body.substr(tenant_size), at, len};
}

// The next offset after `from` holding a good record, or npos.
size_t Resync(std::string_view data, size_t from, uint64_t min_seq) {
  for (size_t at = from; at + kRecordHeaderSize <= data.size(); ++at)
    if (ParseRecord(data, at, min_seq)) return at;
  return std::string_view::npos;
}

uint64_t NonZeroTail(std::string_view data, size_t end) {
  for (size_t i = data.size(); i > end; --i)
    if (data[i - 1] != 0) return i - end;
  return 0;
}

}  // namespace

void EncodeRecordHeader(char out[kRecordHeaderSize], uint32_t length, uint32_t crc, uint64_t seq,
                        uint16_t tenant_size) {
  Store(out + kLengthAt, length);
  Store(out + kCrcAt, crc);
  Store(out + kSeqAt, seq);
  out[kTypeAt] = static_cast<char>(kRecordTypeFull);
  out[kFlagsAt] = 0;
  Store(out + kTenantSizeAt, tenant_size);
}

uint32_t BodyCrc(std::string_view tenant, std::string_view payload) {
  char head[4];
  head[0] = static_cast<char>(kRecordTypeFull);
  head[1] = 0;
  Store(head + 2, static_cast<uint16_t>(tenant.size()));
  uint32_t crc = Crc32c(0, head, sizeof head);
  crc = Crc32c(crc, tenant);
  return Crc32c(crc, payload);
}

uint32_t ExtendCrcWithSeq(uint32_t body_crc, uint64_t seq) {
  char b[8];
  Store(b, seq);
  return Crc32c(body_crc, b, sizeof b);
}

std::string EncodeSegmentHeader(uint64_t first_seq) {
  std::string h(kSegmentHeaderSize, '\0');
  Store(h.data(), kSegmentMagic);
  h[4] = static_cast<char>(kSegmentVersion);
  Store(h.data() + 8, first_seq);
  return h;
}

Status ParseSegmentHeader(std::string_view data, std::string_view path, uint64_t* first_seq) {
  std::string where = "wal segment " + std::string(path);
  if (data.size() < kSegmentHeaderSize) return Status::InvalidArgument(where + ": shorter than its 16-byte header");
  if (Load<uint32_t>(data, 0) != kSegmentMagic) return Status::InvalidArgument(where + ": bad magic (not a Rubato WAL segment)");
  if (static_cast<uint8_t>(data[4]) != kSegmentVersion)
    return Status::InvalidArgument(where + ": unsupported version " + std::to_string(static_cast<uint8_t>(data[4])) +
                                   " (this build reads version 1)");
  *first_seq = Load<uint64_t>(data, 8);
  return Status::Ok();
}

ScanResult ScanSegment(std::string_view data, uint64_t first_seq,
                       const std::function<void(const ScannedRecord&)>& on_record,
                       const std::function<void(uint64_t, uint64_t)>& on_corrupt) {
  ScanResult r;
  r.last_seq = first_seq - 1;
  size_t at = kSegmentHeaderSize;
  uint64_t min_seq = first_seq;
  while (at + 4 <= data.size()) {
    // A zero length word starts the preallocated space after the last record,
    // unless non-zero bytes follow: then the word itself was damaged.
    if (Load<uint32_t>(data, at) == 0 && NonZeroTail(data, at) == 0) break;
    if (auto rec = ParseRecord(data, at, min_seq)) {
      on_record(*rec);
      ++r.records;
      r.last_seq = rec->seq;
      min_seq = rec->seq + 1;
      at += rec->size;
      continue;
    }
    // Corrupt in the middle only if a good record follows; otherwise a torn tail.
    size_t next = Resync(data, at + 1, min_seq);
    if (next == std::string_view::npos) break;
    ++r.skipped_corrupt;
    on_corrupt(at, next);
    at = next;
  }
  r.end = std::min(at, data.size());
  r.tail_garbage = NonZeroTail(data, r.end);
  return r;
}

}  // namespace rubato::store::wal
