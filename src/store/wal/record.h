// The WAL's on-disk layout (docs/format/wal.md): the segment header, record
// framing, and the scanner that walks a segment's bytes, resynchronising past
// corrupt records and stopping at the end of data. Pure functions over bytes,
// so every corruption case is testable without files.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::store::wal {

inline constexpr uint32_t kSegmentMagic = 0x4C415752;  // bytes "RWAL"
inline constexpr uint8_t kSegmentVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 16;
inline constexpr size_t kRecordHeaderSize = 20;
inline constexpr uint8_t kRecordTypeFull = 1;
inline constexpr size_t kMaxTenantSize = UINT16_MAX;

// The 20-byte record header, with the CRC over type/flags/tenant length,
// tenant and payload, extended with the sequence number (see ExtendCrcWithSeq).
void EncodeRecordHeader(char out[kRecordHeaderSize], uint32_t length, uint32_t crc, uint64_t seq,
                        uint16_t tenant_size);
// The part of the CRC that does not depend on the sequence number, so the
// expensive pass over the payload happens before the WAL's lock is taken.
uint32_t BodyCrc(std::string_view tenant, std::string_view payload);
uint32_t ExtendCrcWithSeq(uint32_t body_crc, uint64_t seq);

std::string EncodeSegmentHeader(uint64_t first_seq);
// InvalidArgument naming `path` when the magic or version is wrong.
Status ParseSegmentHeader(std::string_view data, std::string_view path, uint64_t* first_seq);

struct ScannedRecord {
  uint64_t seq;
  std::string_view tenant;
  std::string_view payload;
  uint64_t offset;  // of the record's first byte in the segment
  uint32_t size;    // whole record, header included
};

struct ScanResult {
  uint64_t end = 0;             // offset just past the last good record: where appends continue
  uint64_t records = 0;
  uint64_t skipped_corrupt = 0; // corrupt regions followed by a good record
  uint64_t tail_garbage = 0;    // bytes from `end` to the last non-zero byte (a torn tail)
  uint64_t last_seq = 0;        // of the last good record, or first_seq - 1
};

// Walks a whole segment (`data` starts with its header). Calls `on_record` for
// each good record in order, `on_corrupt(offset, resumed_at)` for each corrupt
// region skipped. Never reads outside `data`, never allocates per record.
ScanResult ScanSegment(std::string_view data, uint64_t first_seq,
                       const std::function<void(const ScannedRecord&)>& on_record,
                       const std::function<void(uint64_t offset, uint64_t resumed_at)>& on_corrupt);

}  // namespace rubato::store::wal
