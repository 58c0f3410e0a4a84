// Constants of block format version 1 (docs/format/block.md).
#pragma once

#include <cstdint>

namespace rubato::store::block {

inline constexpr uint8_t kFormatVersion = 1;
inline constexpr char kDataMagic[4] = {'R', 'B', 'K', 'D'};
inline constexpr char kIndexMagic[4] = {'R', 'B', 'K', 'I'};
inline constexpr char kBloomMagic[4] = {'R', 'B', 'K', 'B'};

inline constexpr uint8_t kCodecNone = 0;
inline constexpr uint8_t kCodecZstd = 1;
inline constexpr uint8_t kEncodingPlain = 0;  // the per-column layout of the column table

// Column ids (the table in block.md).
enum Column : uint16_t {
  kTraceId = 1,
  kTraceSpanCount = 2,
  kTraceStart = 3,
  kSpanId = 4,
  kSpanParent = 5,
  kSpanStart = 6,
  kSpanDuration = 7,
  kSpanName = 8,
  kSpanKind = 9,
  kSpanStatus = 10,
  kSpanStatusMessage = 11,
  kSpanResource = 12,
  kSpanScope = 13,
  kSpanFlags = 14,
  kSpanTraceState = 15,
  kSpanDropped = 16,
  kSpanParentExternal = 17,
  kAttrGeneric = 40,
  kAttrKeys = 43,
  kEvents = 41,
  kLinks = 42,
  kDict = 50,
  kResources = 51,
  kScopes = 52,
};

// Every column a version-1 row group holds, in the order they are written.
// kTraceId is not among them: the index holds every trace ID with its rows.
inline constexpr Column kAllColumns[] = {
    kTraceSpanCount, kTraceStart, kSpanId, kSpanParent, kSpanStart, kSpanDuration,
    kSpanName, kSpanKind, kSpanStatus, kSpanStatusMessage, kSpanResource, kSpanScope, kSpanFlags,
    kSpanTraceState, kSpanDropped, kSpanParentExternal, kAttrGeneric, kEvents, kLinks, kAttrKeys, kDict,
    kResources, kScopes};
inline constexpr int kColumnCount = sizeof(kAllColumns) / sizeof(kAllColumns[0]);

const char* ColumnName(uint16_t id);

// Attribute value type tags in the generic stream (ValueKind order).
inline constexpr uint32_t kMaxNesting = 32;

}  // namespace rubato::store::block
