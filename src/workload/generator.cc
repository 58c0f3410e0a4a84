// Turns trace shapes (trace_shape.cc) into model spans: random identifiers,
// per-trace UUIDs, attributes, events and absolute times; then lays a batch
// out the way an SDK or collector sends it, one ResourceSpans per service.
#include "workload/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string_view>
#include <vector>

#include "workload/random.h"
#include "workload/tables.h"
#include "workload/trace_shape.h"

namespace rubato::workload {

using model::AnyValue;
using model::KeyValue;

namespace {

constexpr double kEventChance = 0.05;
constexpr uint32_t kSampled = 0x01;        // W3C trace flags: sampled
constexpr uint32_t kHasIsRemote = 0x100;   // OTLP span flags, as current SDKs set them
constexpr uint32_t kParentIsRemote = 0x200;

using Uuid = std::array<char, 36>;

// A random (version 4) UUID in its canonical text form.
Uuid DrawUuid(Random& rng) {
  uint8_t b[16];
  rng.Fill(b, 16);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  Uuid u;
  size_t o = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) u[o++] = '-';
    u[o++] = kHex[b[i] >> 4];
    u[o++] = kHex[b[i] & 15];
  }
  return u;
}

template <typename IdT>
IdT DrawId(Random& rng) {
  IdT id;
  do rng.Fill(id.bytes.data(), IdT::kSize);
  while (id.IsZero());
  return id;
}

// Everything a span's attributes may need from its trace.
struct TraceContext {
  const TraceShape* shape;
  std::string_view user_id, session_id, order_id;
};

}  // namespace

struct Generator::State {
  explicit State(uint64_t seed) : rng(seed) {}
  Random rng;
  uint64_t next_trace_offset_ns = 0;  // from the base time
  std::array<Uuid, kNumServices> instance_ids;
  std::array<int64_t, kNumServices> pids;
  TraceShape shape;
  std::array<std::vector<model::Span>, kNumServices> spans_by_service;
  std::vector<model::SpanId> span_ids;  // of the current trace, by shape index
};

Generator::Generator(Options options) : options_(options), state_(std::make_unique<State>(options.seed)) {
  if (options_.base_time_unix_nano == 0) options_.base_time_unix_nano = kDefaultBaseTimeUnixNano;
  for (int s = 0; s < kNumServices; ++s) {
    state_->instance_ids[s] = DrawUuid(state_->rng);
    state_->pids[s] = state_->rng.Int(1000, 65000);
  }
}

Generator::~Generator() = default;

namespace {

AnyValue AttributeValue(AttrKey key, const SpanShape& span, const TraceContext& trace) {
  const OpInfo& op = kOps[static_cast<int>(span.op)];
  const TraceShape& t = *trace.shape;
  // Per-item calls describe their own line; order-level spans the first line and the totals.
  const OrderLine& line = t.lines[span.line];
  bool per_item = span.op != Op::kPostOrders && span.op != Op::kProcessOrder &&
                  span.op != Op::kChargePayment && span.op != Op::kPostCharges &&
                  span.op != Op::kSendNotification && span.op != Op::kPostNotify;
  switch (key) {
    case kMethod: return AnyValue::String(op.method);
    case kRoute: return AnyValue::String(kRouteTemplates[static_cast<int>(op.route)]);
    case kUrlPath:
      switch (op.route) {
        case Route::kStock: return AnyValue::String(kItems[line.item].stock_path);
        case Route::kStockReserve: return AnyValue::String(kItems[line.item].reserve_path);
        default: return AnyValue::String(kRouteTemplates[static_cast<int>(op.route)]);
      }
    case kStatusCode: return AnyValue::Int(span.http_status);
    case kServerAddress: return AnyValue::String(kServices[static_cast<int>(op.peer)].name);
    case kServerPort: return AnyValue::Int(kServices[static_cast<int>(op.peer)].port);
    case kItem: return AnyValue::String(kItems[line.item].name);
    case kQuantity: return AnyValue::Int(per_item ? line.quantity : t.total_quantity);
    case kAmount: return AnyValue::Double(t.amount);
    case kDemand: return AnyValue::String(line.high_demand ? "high" : "normal");
    case kDbSystem: return AnyValue::String(kServices[static_cast<int>(op.service)].db_system);
    case kDbStatement: return AnyValue::String(op.db_statement);
    case kUserId: return AnyValue::String(trace.user_id);
    case kSessionId: return AnyValue::String(trace.session_id);
    case kOrderId: return AnyValue::String(trace.order_id);
  }
  return AnyValue();
}

// 6 required keys plus 0-4 of the 6 optional ones (uniform count, so 8 on
// average), chosen by selection sampling to keep the table's order.
model::Range AppendSpanAttributes(Random& rng, const SpanShape& span, const TraceContext& trace,
                                  model::Batch* batch) {
  const OpInfo& op = kOps[static_cast<int>(span.op)];
  std::array<KeyValue, 10> kvs;
  size_t n = 0;
  for (AttrKey k : op.required) kvs[n++] = {kAttrKeyNames[k], AttributeValue(k, span, trace)};
  int want = static_cast<int>(rng.Int(0, 4));
  int left = static_cast<int>(op.optional.size());
  for (AttrKey k : op.optional) {
    if (want > 0 && rng.Int(0, left - 1) < want) {
      kvs[n++] = {kAttrKeyNames[k], AttributeValue(k, span, trace)};
      --want;
    }
    --left;
  }
  return batch->AppendAttributes(std::span<const KeyValue>(kvs.data(), n));
}

model::Range AppendEvent(Random& rng, const model::Span& span, model::Batch* batch) {
  const EventKind& kind = kEventKinds[rng.Int(0, kEventKinds.size() - 1)];
  KeyValue kvs[2] = {{kind.key1, AnyValue::String(kind.value1)}, {kind.key2, AnyValue::Int(rng.Int(1, 400))}};
  model::Event e;
  e.name = kind.name;
  e.time_unix_nano = span.start_time_unix_nano +
                     static_cast<uint64_t>(rng.Uniform() * static_cast<double>(span.duration_nanos()));
  e.attributes = batch->AppendAttributes(kvs);
  return batch->AppendEvents(std::span<const model::Event>(&e, 1));
}

}  // namespace

void Generator::Next(model::Batch* batch) {
  State& st = *state_;
  Random& rng = st.rng;
  batch->Clear();
  for (auto& v : st.spans_by_service) v.clear();

  uint32_t remaining = options_.spans_per_batch;
  std::vector<model::SpanId>& ids = st.span_ids;
  while (remaining > 0) {
    DrawTraceShape(rng, &st.shape);
    const TraceShape& shape = st.shape;
    // The last trace of a batch keeps the preorder prefix that fits (see generator.h).
    uint32_t n = std::min<uint32_t>(remaining, static_cast<uint32_t>(shape.spans.size()));
    remaining -= n;

    model::TraceId trace_id = DrawId<model::TraceId>(rng);
    Uuid user = DrawUuid(rng), session = DrawUuid(rng), order = DrawUuid(rng);
    TraceContext ctx{&shape, batch->Own({user.data(), user.size()}), batch->Own({session.data(), session.size()}),
                     batch->Own({order.data(), order.size()})};
    // Exponential gaps between trace starts: a steady stream of requests.
    st.next_trace_offset_ns += static_cast<uint64_t>(-std::log(1.0 - rng.Uniform()) * ShapeParams::kTraceGapMeanNs);
    uint64_t trace_start = options_.base_time_unix_nano + st.next_trace_offset_ns;

    ids.resize(n);
    for (uint32_t i = 0; i < n; ++i) ids[i] = DrawId<model::SpanId>(rng);
    for (uint32_t i = 0; i < n; ++i) {
      const SpanShape& s = shape.spans[i];
      const OpInfo& op = kOps[static_cast<int>(s.op)];
      model::Span span;
      span.trace_id = trace_id;
      span.span_id = ids[i];
      if (s.parent >= 0) span.parent_span_id = ids[s.parent];
      span.name = op.name;
      span.kind = op.kind;
      span.start_time_unix_nano = trace_start + static_cast<uint64_t>(s.start_ns);
      span.end_time_unix_nano = trace_start + static_cast<uint64_t>(s.end_ns);
      // A SERVER span below the root continues a context received over the network.
      span.flags = kSampled | kHasIsRemote | (s.parent >= 0 && op.kind == SpanKind::kServer ? kParentIsRemote : 0);
      span.attributes = AppendSpanAttributes(rng, s, ctx, batch);
      if (s.error) {
        span.status_code = model::StatusCode::kError;
        span.status_message = op.error_message;
      }
      if (rng.Chance(kEventChance)) span.events = AppendEvent(rng, span, batch);
      st.spans_by_service[static_cast<int>(op.service)].push_back(span);
    }
  }

  for (int s = 0; s < kNumServices; ++s) {
    if (st.spans_by_service[s].empty()) continue;
    const ServiceInfo& svc = kServices[s];
    const Uuid& instance = st.instance_ids[s];
    KeyValue res[12] = {
        {"service.name", AnyValue::String(svc.name)},
        {"service.version", AnyValue::String(svc.version)},
        {"service.instance.id", AnyValue::String(batch->Own({instance.data(), instance.size()}))},
        {"deployment.environment", AnyValue::String("production")},
        {"host.name", AnyValue::String(svc.host_name)},
        {"host.arch", AnyValue::String("amd64")},
        {"os.type", AnyValue::String("linux")},
        {"process.pid", AnyValue::Int(st.pids[s])},
        {"process.runtime.name", AnyValue::String("cpython")},
        {"telemetry.sdk.name", AnyValue::String("opentelemetry")},
        {"telemetry.sdk.language", AnyValue::String("python")},
        {"telemetry.sdk.version", AnyValue::String("1.41.1")},
    };
    batch->AddResource(batch->AppendAttributes(res));
    batch->AddScope(svc.scope_name, svc.version);
    for (const model::Span& span : st.spans_by_service[s]) batch->AddSpan(span);
  }
}

}  // namespace rubato::workload
