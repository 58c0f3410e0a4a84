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

// Column ids (the table in block.md). Ids are never reused for another
// meaning; 1, 6, 7 and 20 are not written (see block.md).
enum Column : uint16_t {
  kTraceId = 1,
  kTraceSpanCount = 2,
  kTraceStart = 3,
  kSpanId = 4,
  kSpanParent = 5,
  kSpanStart = 6,     // version-1 draft: svarint starts; replaced by the byte planes 60-67
  kSpanDuration = 7,  // version-1 draft: svarint durations; replaced by the byte planes 70-77
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
  kSpanTimeRef = 18,
  // Dedicated attribute columns: one per key of the list in row_group_internal.h.
  kAttrServiceName = 20,  // reserved: a resource attribute, already once per row group in 51
  kAttrHttpRequestMethod = 21,
  kAttrHttpRoute = 22,
  kAttrHttpResponseStatusCode = 23,
  kAttrUrlPath = 24,
  kAttrUrlFull = 25,
  kAttrServerAddress = 26,
  kAttrServerPort = 27,
  kAttrClientAddress = 28,
  kAttrDbSystem = 29,
  kAttrDbStatement = 30,
  kAttrDbOperation = 31,
  kAttrRpcService = 32,
  kAttrRpcMethod = 33,
  kAttrMessagingSystem = 34,
  kAttrErrorType = 35,
  kAttrPeerService = 36,
  kAttrGeneric = 40,
  kEvents = 41,
  kLinks = 42,
  kAttrKeys = 43,
  kAttrKeyLists = 44,
  kDict = 50,
  kResources = 51,
  kScopes = 52,
  // Byte planes of the span times: plane b holds byte b of every row's value.
  kSpanStartPlane0 = 60,  // ... 67
  kSpanEndPlane0 = 70,    // ... 77
};
inline constexpr int kTimePlanes = 8;
inline constexpr Column SpanStartPlane(int b) { return static_cast<Column>(kSpanStartPlane0 + b); }
inline constexpr Column SpanEndPlane(int b) { return static_cast<Column>(kSpanEndPlane0 + b); }

// Every column a row group holds, in the order they are written.
// kTraceId is not among them: the index holds every trace ID with its rows.
inline constexpr Column kAllColumns[] = {
    kTraceSpanCount, kTraceStart, kSpanId, kSpanParent, kSpanName, kSpanKind, kSpanStatus,
    kSpanStatusMessage, kSpanResource, kSpanScope, kSpanFlags, kSpanTraceState, kSpanDropped,
    kSpanParentExternal, kSpanTimeRef,
    kAttrHttpRequestMethod, kAttrHttpRoute, kAttrHttpResponseStatusCode, kAttrUrlPath, kAttrUrlFull,
    kAttrServerAddress, kAttrServerPort, kAttrClientAddress, kAttrDbSystem, kAttrDbStatement,
    kAttrDbOperation, kAttrRpcService, kAttrRpcMethod, kAttrMessagingSystem, kAttrErrorType, kAttrPeerService,
    kAttrGeneric, kEvents, kLinks, kAttrKeys, kAttrKeyLists, kDict, kResources, kScopes,
    SpanStartPlane(0), SpanStartPlane(1), SpanStartPlane(2), SpanStartPlane(3),
    SpanStartPlane(4), SpanStartPlane(5), SpanStartPlane(6), SpanStartPlane(7),
    SpanEndPlane(0), SpanEndPlane(1), SpanEndPlane(2), SpanEndPlane(3),
    SpanEndPlane(4), SpanEndPlane(5), SpanEndPlane(6), SpanEndPlane(7)};
inline constexpr int kColumnCount = sizeof(kAllColumns) / sizeof(kAllColumns[0]);

const char* ColumnName(uint16_t id);

// Attribute value type tags in the generic stream (ValueKind order).
inline constexpr uint32_t kMaxNesting = 32;

}  // namespace rubato::store::block
