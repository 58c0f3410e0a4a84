#include "tests/query/traceql_eval/dataset.h"

#include <initializer_list>
#include <sstream>

#include "query/traceql/plan.h"

namespace rubato::query::traceql::testing {

namespace {

using model::AnyValue;
using model::KeyValue;
using model::SpanKind;
using model::StatusCode;

constexpr uint64_t kEpochNs = 1'700'000'000'000'000'000ULL;  // 2023-11-14
constexpr uint64_t kMs = 1'000'000;

struct EventSpec {
  uint64_t at_ms;
  std::string_view name;
  std::vector<KeyValue> attrs;
};

struct LinkSpec {
  std::string_view span;  // label of the linked span
  std::vector<KeyValue> attrs;
};

struct SpanSpec {
  std::string_view label = {};   // "a9"
  std::string_view parent = {};  // label; "" for a root; "?" for a parent that never arrived
  std::string_view name = {};
  SpanKind kind = SpanKind::kInternal;
  uint64_t start_ms = 0, end_ms = 0;  // from the trace's start
  std::vector<KeyValue> attrs = {};
  StatusCode status = StatusCode::kUnset;
  std::string_view message = {};
  std::vector<EventSpec> events = {};
  std::vector<LinkSpec> links = {};
};

int TraceNumber(char letter) { return letter - 'a' + 1; }

model::SpanId SpanIdOf(std::string_view label) {
  if (label == "?") return *model::SpanId::FromHex("00000000deadbeef");
  model::SpanId id;
  id.bytes[6] = static_cast<uint8_t>(TraceNumber(label[0]));
  id.bytes[7] = static_cast<uint8_t>(std::stoi(std::string(label.substr(1))));
  return id;
}

model::TraceId TraceIdOf(char letter) {
  model::TraceId id;
  id.bytes[0] = 0xab;
  id.bytes[15] = static_cast<uint8_t>(TraceNumber(letter));
  return id;
}

// Appends resources, scopes and spans to one Batch, in the Batch's order
// (a resource's scopes and a scope's spans consecutively).
class Builder {
 public:
  explicit Builder(model::Batch* b) : b_(b) {}

  void Resource(std::vector<KeyValue> attrs) { b_->AddResource(b_->AppendAttributes(attrs)); }
  void Scope(std::string_view name, std::string_view version, std::vector<KeyValue> attrs = {}) {
    b_->AddScope(name, version, b_->AppendAttributes(attrs));
  }

  void Add(const SpanSpec& spec) {
    const char letter = spec.label[0];
    const uint64_t base = kEpochNs + static_cast<uint64_t>(TraceNumber(letter)) * 10'000 * kMs;
    model::Span s;
    s.trace_id = TraceIdOf(letter);
    s.span_id = SpanIdOf(spec.label);
    if (!spec.parent.empty()) s.parent_span_id = SpanIdOf(spec.parent);
    s.name = spec.name;
    s.kind = spec.kind;
    s.start_time_unix_nano = base + spec.start_ms * kMs;
    s.end_time_unix_nano = base + spec.end_ms * kMs;
    s.attributes = b_->AppendAttributes(spec.attrs);
    s.status_code = spec.status;
    s.status_message = spec.message;
    std::vector<model::Event> events;
    for (const EventSpec& e : spec.events) {
      model::Event ev;
      ev.time_unix_nano = base + e.at_ms * kMs;
      ev.name = e.name;
      ev.attributes = b_->AppendAttributes(e.attrs);
      events.push_back(ev);
    }
    s.events = b_->AppendEvents(events);
    std::vector<model::Link> links;
    for (const LinkSpec& l : spec.links) {
      model::Link link;
      link.trace_id = TraceIdOf(l.span[0]);
      link.span_id = SpanIdOf(l.span);
      link.attributes = b_->AppendAttributes(l.attrs);
      links.push_back(link);
    }
    s.links = b_->AppendLinks(links);
    b_->AddSpan(s);
  }

  AnyValue Strings(std::initializer_list<std::string_view> xs) {
    std::vector<AnyValue> vs;
    for (std::string_view x : xs) vs.push_back(AnyValue::String(x));
    return AnyValue::Array(b_->AppendValues(vs));
  }
  AnyValue Ints(std::initializer_list<int64_t> xs) {
    std::vector<AnyValue> vs;
    for (int64_t x : xs) vs.push_back(AnyValue::Int(x));
    return AnyValue::Array(b_->AppendValues(vs));
  }
  AnyValue Doubles(std::initializer_list<double> xs) {
    std::vector<AnyValue> vs;
    for (double x : xs) vs.push_back(AnyValue::Double(x));
    return AnyValue::Array(b_->AppendValues(vs));
  }
  AnyValue Map(std::vector<KeyValue> kvs) { return AnyValue::KvList(b_->AppendAttributes(kvs)); }

 private:
  model::Batch* b_;
};

AnyValue S(std::string_view v) { return AnyValue::String(v); }
AnyValue I(int64_t v) { return AnyValue::Int(v); }
AnyValue D(double v) { return AnyValue::Double(v); }
AnyValue B(bool v) { return AnyValue::Bool(v); }

constexpr SpanKind kServer = SpanKind::kServer, kClient = SpanKind::kClient, kInternal = SpanKind::kInternal;
constexpr StatusCode kError = StatusCode::kError, kOk = StatusCode::kOk;

// Trace a: the seed's successful order (quantity 2), 13 spans over 4 services.
void BuildOrderFlow(Builder& b) {
  b.Resource({{"service.name", S("order-service")}, {"deployment.environment", S("demo")}, {"dup", S("resource")}});
  b.Scope("rubato-sdk", "0.1.0", {{"lang", S("cpp")}});
  b.Add({.label = "a1", .parent = "", .name = "POST /orders", .kind = kServer, .start_ms = 0, .end_ms = 342,
         .attrs = {{"http.request.method", S("POST")}, {"http.route", S("/orders")}, {"http.response.status_code", I(201)}},
         .status = kOk});
  b.Add({.label = "a2", .parent = "a1", .name = "process_order", .start_ms = 1, .end_ms = 341,
         .attrs = {{"order.quantity", I(2)}, {"order.item", S("book")}, {"dup", S("span")}}});
  b.Add({.label = "a3", .parent = "a2", .name = "validate_order", .start_ms = 2, .end_ms = 4});
  b.Add({.label = "a4", .parent = "a2", .name = "check_inventory", .kind = kClient, .start_ms = 10, .end_ms = 18,
         .attrs = {{"http.request.method", S("GET")}, {"http.response.status_code", I(200)}}});
  b.Add({.label = "a6", .parent = "a2", .name = "reserve_inventory", .kind = kClient, .start_ms = 20, .end_ms = 308,
         .attrs = {{"http.request.method", S("POST")}, {"http.response.status_code", I(200)}}});
  b.Add({.label = "a10", .parent = "a2", .name = "charge_payment", .kind = kClient, .start_ms = 310, .end_ms = 327,
         .attrs = {{"http.request.method", S("POST")}, {"http.response.status_code", I(201)}}});
  b.Add({.label = "a12", .parent = "a2", .name = "send_notification", .kind = kClient, .start_ms = 328, .end_ms = 334,
         .attrs = {{"http.request.method", S("POST")}, {"http.response.status_code", I(202)}}});
  b.Resource({{"service.name", S("inventory-service")}});
  b.Scope("rubato-sdk", "0.1.0");
  b.Add({.label = "a5", .parent = "a4", .name = "GET /stock/book", .kind = kServer, .start_ms = 11, .end_ms = 17,
         .attrs = {{"http.response.status_code", I(200)}}});
  b.Add({.label = "a7", .parent = "a6", .name = "POST /stock/book/reserve", .kind = kServer, .start_ms = 21,
         .end_ms = 306, .attrs = {{"http.response.status_code", I(200)}}});
  b.Add({.label = "a8", .parent = "a7", .name = "reserve_stock", .start_ms = 22, .end_ms = 305,
         .attrs = {{"inventory.demand", S("high")}}});
  b.Add({.label = "a9", .parent = "a8", .name = "slow_lookup", .start_ms = 23, .end_ms = 304,
         .events = {{24, "cache.miss", {{"cache.key", S("book")}}}}});
  b.Resource({{"service.name", S("payment-service")}});
  b.Scope("payment-lib", "2.0");
  b.Add({.label = "a11", .parent = "a10", .name = "POST /charges", .kind = kServer, .start_ms = 311, .end_ms = 325,
         .attrs = {{"payment.amount", D(19.98)}, {"http.response.status_code", I(201)}}, .status = kOk});
  b.Resource({{"service.name", S("notification-service")}});
  b.Scope("rubato-sdk", "0.1.0");
  b.Add({.label = "a13", .parent = "a12", .name = "POST /notify", .kind = kServer, .start_ms = 329, .end_ms = 333,
         .attrs = {{"http.response.status_code", I(202)}}, .links = {{"b1", {{"link.kind", S("follows")}}}}});
}

// Trace b: the payment fails (quantity 8): errors cascade up with 502s.
void BuildFailedPayment(Builder& b) {
  b.Resource({{"service.name", S("order-service")}});
  b.Scope("rubato-sdk", "0.1.0");
  b.Add({.label = "b1", .parent = "", .name = "POST /orders", .kind = kServer, .start_ms = 0, .end_ms = 120,
         .attrs = {{"http.request.method", S("POST")}, {"http.route", S("/orders")}, {"http.response.status_code", I(502)}},
         .status = kError, .message = "payment failed"});
  b.Add({.label = "b2", .parent = "b1", .name = "process_order", .start_ms = 1, .end_ms = 119,
         .attrs = {{"order.quantity", I(8)}, {"order.item", S("book")}}, .status = kError});
  b.Add({.label = "b3", .parent = "b2", .name = "check_inventory", .kind = kClient, .start_ms = 5, .end_ms = 15,
         .attrs = {{"http.request.method", S("GET")}, {"http.response.status_code", I(200)}}});
  b.Add({.label = "b5", .parent = "b2", .name = "charge_payment", .kind = kClient, .start_ms = 20, .end_ms = 110,
         .attrs = {{"http.request.method", S("POST")}, {"http.response.status_code", I(502)},
                   {"retry.codes", b.Ints({500, 502})}},
         .status = kError, .message = "payment failed",
         .events = {{105, "exception", {{"exception.type", S("PaymentDeclined")}, {"exception.message", S("card declined")}}}}});
  b.Resource({{"service.name", S("inventory-service")}});
  b.Scope("rubato-sdk", "0.1.0");
  b.Add({.label = "b4", .parent = "b3", .name = "GET /stock/book", .kind = kServer, .start_ms = 6, .end_ms = 14,
         .attrs = {{"http.response.status_code", I(200)}}});
  b.Resource({{"service.name", S("payment-service")}});
  b.Scope("payment-lib", "2.0");
  b.Add({.label = "b6", .parent = "b5", .name = "POST /charges", .kind = kServer, .start_ms = 21, .end_ms = 108,
         .attrs = {{"http.response.status_code", I(502)}, {"tags", b.Strings({"payment", "retry"})},
                   {"payment.amount", D(159.84)}},
         .status = kError, .message = "upstream timeout",
         .events = {{50, "retry", {{"retry.attempt", I(1)}}},
                    {100, "exception", {{"exception.message", S("upstream timeout")}, {"exception.escaped", B(true)}}}},
         .links = {{"a11", {}}}});
}

// Trace c: the notification's caller never reported: no root span; c1 and c3
// name the same absent parent.
void BuildRootless(Builder& b) {
  b.Resource({{"service.name", S("notification-service")}});
  b.Scope("rubato-sdk", "0.1.0");
  b.Add({.label = "c1", .parent = "?", .name = "POST /notify", .kind = kServer, .start_ms = 0, .end_ms = 30,
         .attrs = {{"http.response.status_code", I(202)}}});
  b.Add({.label = "c2", .parent = "c1", .name = "render_template", .start_ms = 5, .end_ms = 25,
         .attrs = {{"template.name", S("order-confirmation")}}});
  b.Add({.label = "c3", .parent = "?", .name = "audit", .start_ms = 31, .end_ms = 35});
}

// Trace d: root → 3 workers → steps → db calls; d3 and d11 start together.
//   d1 root ─┬ d2 worker(1) ─┬ d3 step(1) ── d4 db (error)
//            │               ├ d11 step
//            │               └ d5 step(2)
//            ├ d6 worker(2) ── d7 step(3) ── d8 db ── d9 db.retry (error)
//            └ d10 worker(3)
void BuildTree(Builder& b) {
  b.Resource({{"service.name", S("batch-service")}});
  b.Scope("batch-lib", "1.0");
  b.Add({.label = "d1", .parent = "", .name = "root", .start_ms = 0, .end_ms = 100});
  b.Add({.label = "d2", .parent = "d1", .name = "worker", .start_ms = 10, .end_ms = 50, .attrs = {{"worker.id", I(1)}}});
  b.Add({.label = "d3", .parent = "d2", .name = "step", .start_ms = 11, .end_ms = 20, .attrs = {{"step", I(1)}}});
  b.Add({.label = "d4", .parent = "d3", .name = "db", .start_ms = 12, .end_ms = 18, .status = kError});
  b.Add({.label = "d5", .parent = "d2", .name = "step", .start_ms = 21, .end_ms = 40, .attrs = {{"step", I(2)}}});
  b.Add({.label = "d6", .parent = "d1", .name = "worker", .start_ms = 51, .end_ms = 90, .attrs = {{"worker.id", I(2)}}});
  b.Add({.label = "d7", .parent = "d6", .name = "step", .start_ms = 52, .end_ms = 80, .attrs = {{"step", I(3)}}});
  b.Add({.label = "d8", .parent = "d7", .name = "db", .start_ms = 53, .end_ms = 70});
  b.Add({.label = "d9", .parent = "d8", .name = "db.retry", .start_ms = 54, .end_ms = 60, .status = kError});
  b.Add({.label = "d10", .parent = "d1", .name = "worker", .start_ms = 91, .end_ms = 99, .attrs = {{"worker.id", I(3)}}});
  b.Add({.label = "d11", .parent = "d2", .name = "step", .start_ms = 11, .end_ms = 15});
}

// Trace e: every attribute type on e1, every remaining span kind.
void BuildTypes(Builder& b) {
  b.Resource({{"service.name", S("types-service")}, {"dup", S("resource")}, {"ronly", S("r")}});
  b.Scope("", "");
  b.Add({.label = "e1", .parent = "", .name = "types", .start_ms = 0, .end_ms = 10,
         .attrs = {{"str", S("abc")}, {"int", I(42)}, {"float", D(2.5)}, {"bool", B(true)}, {"neg", I(-7)},
                   {"big", I(INT64_MAX)}, {"bytes", AnyValue::Bytes("\x01\x02")}, {"map", b.Map({{"k", I(1)}})},
                   {"arr_str", b.Strings({"a", "b"})}, {"arr_int", b.Ints({1, 2, 3})}, {"arr_empty", b.Ints({})},
                   {"arr_float", b.Doubles({1.5, 2.5})}, {"a b", S("spaced")}, {"dup", S("span")},
                   {"numstr", S("500")}, {"empty", AnyValue()}}});
  b.Add({.label = "e2", .parent = "e1", .name = "other", .kind = SpanKind::kUnspecified, .start_ms = 2, .end_ms = 4,
         .attrs = {{"int", I(7)}, {"str", S("abd")}, {"float", D(1)}, {"bool", B(false)}}, .status = kOk});
  b.Add({.label = "e3", .parent = "e1", .name = "publish", .kind = SpanKind::kProducer, .start_ms = 5, .end_ms = 6});
  b.Add({.label = "e4", .parent = "e3", .name = "consume", .kind = SpanKind::kConsumer, .start_ms = 7, .end_ms = 9});
}

std::unique_ptr<Dataset> Build() {
  auto d = std::make_unique<Dataset>();
  Builder b(&d->batch);
  BuildOrderFlow(b);
  BuildFailedPayment(b);
  BuildRootless(b);
  BuildTree(b);
  BuildTypes(b);
  // Views only once the batch has stopped growing: they point into it.
  std::vector<std::vector<TraceView::SpanAt>> by_trace(5);
  for (uint32_t i = 0; i < d->batch.spans.size(); ++i) {
    by_trace[d->batch.spans[i].trace_id.bytes[15] - 1].push_back({&d->batch, i});
  }
  for (auto& spans : by_trace) d->traces.emplace_back(std::move(spans));
  return d;
}

}  // namespace

std::string Dataset::Label(const TraceView& t, uint32_t i) const {
  const model::SpanId& id = t.span(i).span_id;
  return std::string(1, static_cast<char>('a' + id.bytes[6] - 1)) + std::to_string(id.bytes[7]);
}

const Dataset& TheDataset() {
  static const std::unique_ptr<Dataset> d = Build();
  return *d;
}

std::string TraceIdHex(char letter) { return TraceIdOf(letter).ToHex(); }
std::string SpanIdHex(std::string_view label) { return SpanIdOf(label).ToHex(); }

std::string RenderAttribute(const SpansetAttribute& a) {
  std::ostringstream out;
  switch (a.type) {
    case ValueType::kString: out << '"' << a.value.str << '"'; break;
    case ValueType::kInt: out << a.value.integer; break;
    case ValueType::kFloat: out << a.value.dbl; break;
    case ValueType::kBool: out << (a.value.boolean ? "true" : "false"); break;
    case ValueType::kDuration: out << a.value.integer << "ns"; break;
    case ValueType::kStatus:
    case ValueType::kKind: out << a.value.str; break;
    case ValueType::kNil: out << "nil"; break;
    default: out << "?"; break;
  }
  return out.str();
}

std::string Run(std::string_view query) {
  auto plan = Plan::Compile(query);
  if (!plan.ok()) return "error: " + plan.status().message();
  const Dataset& d = TheDataset();
  std::string out;
  for (const TraceView& t : d.traces) {
    for (const Spanset& s : Evaluate(**plan, t)) {
      if (!out.empty()) out += " | ";
      for (size_t k = 0; k < s.spans.size(); ++k) {
        if (k) out += ' ';
        out += d.Label(t, s.spans[k]);
      }
      for (size_t k = 0; k < s.attributes.size(); ++k) {
        out += k ? ", " : " {";
        out += s.attributes[k].key + "=" + RenderAttribute(s.attributes[k]);
      }
      if (!s.attributes.empty()) out += '}';
    }
  }
  return out;
}

}  // namespace rubato::query::traceql::testing
