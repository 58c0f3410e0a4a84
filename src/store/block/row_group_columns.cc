// Column ids ↔ positions in kAllColumns, and their names (docs/format/block.md, "Columns").
#include <array>

#include "store/block/format.h"
#include "store/block/row_group.h"

namespace rubato::store::block {
namespace {

// Every id is below 128; a table makes ColumnSlot free on the encoder's hot path.
constexpr std::array<int8_t, 128> kSlots = [] {
  std::array<int8_t, 128> t{};
  for (auto& s : t) s = -1;
  for (int i = 0; i < kColumnCount; ++i) t[kAllColumns[i]] = static_cast<int8_t>(i);
  return t;
}();

const char* const kStartPlaneNames[kTimePlanes] = {"span.start.0", "span.start.1", "span.start.2", "span.start.3",
                                                   "span.start.4", "span.start.5", "span.start.6", "span.start.7"};
const char* const kEndPlaneNames[kTimePlanes] = {"span.end.0", "span.end.1", "span.end.2", "span.end.3",
                                                 "span.end.4", "span.end.5", "span.end.6", "span.end.7"};

}  // namespace

int ColumnSlot(uint16_t id) { return id < kSlots.size() ? kSlots[id] : -1; }

const char* ColumnName(uint16_t id) {
  if (id >= kSpanStartPlane0 && id < kSpanStartPlane0 + kTimePlanes) return kStartPlaneNames[id - kSpanStartPlane0];
  if (id >= kSpanEndPlane0 && id < kSpanEndPlane0 + kTimePlanes) return kEndPlaneNames[id - kSpanEndPlane0];
  switch (id) {
    case kTraceId: return "trace.id";
    case kTraceSpanCount: return "trace.span_count";
    case kTraceStart: return "trace.start";
    case kSpanId: return "span.id";
    case kSpanParent: return "span.parent";
    case kSpanStart: return "span.start";
    case kSpanDuration: return "span.duration";
    case kSpanName: return "span.name";
    case kSpanKind: return "span.kind";
    case kSpanStatus: return "span.status";
    case kSpanStatusMessage: return "span.status_message";
    case kSpanResource: return "span.resource";
    case kSpanScope: return "span.scope";
    case kSpanFlags: return "span.flags";
    case kSpanTraceState: return "span.trace_state";
    case kSpanDropped: return "span.dropped";
    case kSpanParentExternal: return "span.parent_external";
    case kSpanTimeRef: return "span.time_ref";
    case kAttrServiceName: return "attr.service.name";
    case kAttrHttpRequestMethod: return "attr.http.request.method";
    case kAttrHttpRoute: return "attr.http.route";
    case kAttrHttpResponseStatusCode: return "attr.http.response.status_code";
    case kAttrUrlPath: return "attr.url.path";
    case kAttrUrlFull: return "attr.url.full";
    case kAttrServerAddress: return "attr.server.address";
    case kAttrServerPort: return "attr.server.port";
    case kAttrClientAddress: return "attr.client.address";
    case kAttrDbSystem: return "attr.db.system";
    case kAttrDbStatement: return "attr.db.statement";
    case kAttrDbOperation: return "attr.db.operation";
    case kAttrRpcService: return "attr.rpc.service";
    case kAttrRpcMethod: return "attr.rpc.method";
    case kAttrMessagingSystem: return "attr.messaging.system";
    case kAttrErrorType: return "attr.error.type";
    case kAttrPeerService: return "attr.peer.service";
    case kAttrGeneric: return "attr.generic";
    case kEvents: return "event.*";
    case kLinks: return "link.*";
    case kAttrKeys: return "attr.keys";
    case kAttrKeyLists: return "attr.keylists";
    case kDict: return "dict";
    case kResources: return "resources";
    case kScopes: return "scopes";
  }
  return "unknown";
}

const std::string& RawColumns::Get(Column c) const { return columns[ColumnSlot(c)]; }

}  // namespace rubato::store::block
