// Known traces for the search tests, and a TraceDb holding them in a temp
// dir: some in blocks (one trace split across two blocks), some in the head.
// Header-only: tests/api/search_api_test.cc uses it too.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "model/batch.h"
#include "store/trace_db.h"
#include "tests/wal/wal_test_util.h"

namespace rubato::query::search::testing {

inline constexpr uint64_t kSecond = 1'000'000'000ULL;
inline constexpr uint64_t kMs = 1'000'000ULL;
inline constexpr uint64_t kT0 = 1'700'000'000ULL * kSecond;  // 2023-11-14T22:13:20Z

struct Attr {
  std::string key;
  std::string str;        // a string value unless is_int
  int64_t integer = 0;
  bool is_int = false;
};
inline Attr S(std::string k, std::string v) { return {std::move(k), std::move(v), 0, false}; }
inline Attr I(std::string k, int64_t v) { return {std::move(k), "", v, true}; }

struct SpanSpec {
  uint8_t span = 0;
  uint8_t parent = 0;  // 0: a root
  std::string service;
  std::string name;
  uint64_t start_ms = 0;  // after the trace's base second
  uint64_t duration_ms = 1;
  model::SpanKind kind = model::SpanKind::kInternal;
  model::StatusCode status = model::StatusCode::kUnset;
  std::vector<Attr> attrs;
};

// 5ea7c000 00000000 00000000 000000nn
inline model::TraceId TraceIdOf(uint8_t n) {
  model::TraceId id;
  id.bytes = {0x5e, 0xa7, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, n};
  return id;
}
inline std::string TraceHex(uint8_t n) { return TraceIdOf(n).ToHex(); }
inline model::SpanId SpanIdOf(uint8_t trace, uint8_t span) {
  model::SpanId id;
  id.bytes = {0xab, 0, 0, 0, 0, 0, trace, span};
  return id;
}

// One batch holding spans of trace `trace`, starting `base_s` seconds after kT0.
inline std::shared_ptr<model::Batch> TraceBatch(uint8_t trace, uint64_t base_s, const std::vector<SpanSpec>& spans) {
  auto b = std::make_shared<model::Batch>();
  std::string current_service = "\x01";
  for (const SpanSpec& s : spans) {
    if (s.service != current_service) {
      current_service = s.service;
      model::KeyValue kv{b->Own("service.name"), model::AnyValue::String(b->Own(s.service))};
      b->AddResource(b->AppendAttributes(std::span<const model::KeyValue>(&kv, 1)));
      b->AddScope(b->Own("demo-lib"), b->Own("1.0"));
    }
    std::vector<model::KeyValue> attrs;
    for (const Attr& a : s.attrs) {
      attrs.push_back({b->Own(a.key), a.is_int ? model::AnyValue::Int(a.integer) : model::AnyValue::String(b->Own(a.str))});
    }
    model::Span span;
    span.trace_id = TraceIdOf(trace);
    span.span_id = SpanIdOf(trace, s.span);
    if (s.parent) span.parent_span_id = SpanIdOf(trace, s.parent);
    span.name = b->Own(s.name);
    span.start_time_unix_nano = kT0 + base_s * kSecond + s.start_ms * kMs;
    span.end_time_unix_nano = span.start_time_unix_nano + s.duration_ms * kMs;
    span.kind = s.kind;
    span.status_code = s.status;
    span.attributes = b->AppendAttributes(attrs);
    b->AddSpan(span);
  }
  return b;
}

// An order: order-service root (server) → inventory (client→server) → payment.
inline std::vector<SpanSpec> Order(uint64_t root_ms, bool payment_error = false) {
  return {
      {1, 0, "order-service", "POST /orders", 0, root_ms, model::SpanKind::kServer, model::StatusCode::kUnset,
       {S("http.method", "POST"), I("http.status_code", payment_error ? 502 : 201)}},
      {2, 1, "inventory-service", "GET /stock", 5, 20, model::SpanKind::kServer, model::StatusCode::kUnset,
       {S("http.method", "GET"), I("http.status_code", 200)}},
      {3, 1, "payment-service", "POST /charge", 30, 40, model::SpanKind::kServer,
       payment_error ? model::StatusCode::kError : model::StatusCode::kOk,
       {S("http.method", "POST"), I("http.status_code", payment_error ? 500 : 200)}},
  };
}

// The stored dataset (seconds after kT0 in brackets):
//   block 1: t1 [10], t2 [20], root piece of t9 [30]
//   block 2: t3 [100], t4 [110] (payment error), child piece of t9 [30.5]
//   block 3: t5 [200], t6 [210], t10 [220] (five "batch" spans)
//   head:    t7 [300], t8 [310] (with a notification span only here)
class SearchDataset : public ::testing::Test {
 protected:
  void SetUp() override {
    store::TraceDbOptions o;
    o.wal_dir = dir_.path() + "/wal";
    o.blocks_dir = dir_.path() + "/blocks";
    o.background = false;
    o.compaction_cycle = std::chrono::nanoseconds(0);  // compact any two blocks: the dataset has three
    o.log = [](std::string_view) {};
    Tune(&o);
    auto db = store::TraceDb::Open(std::move(o));
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
    Put(TraceBatch(1, 10, Order(100)));
    Put(TraceBatch(2, 20, Order(200)));
    Put(TraceBatch(9, 30, {{1, 0, "order-service", "POST /orders", 0, 900, model::SpanKind::kServer, model::StatusCode::kUnset, {}}}));
    Cut();
    Put(TraceBatch(3, 100, Order(300)));
    Put(TraceBatch(4, 110, Order(400, /*payment_error=*/true)));
    Put(TraceBatch(9, 30, {{3, 1, "payment-service", "POST /charge", 500, 300, model::SpanKind::kServer,
                            model::StatusCode::kOk, {S("http.method", "POST"), I("http.status_code", 200)}}}));
    Cut();
    Put(TraceBatch(5, 200, Order(500)));
    Put(TraceBatch(6, 210, Order(600)));
    std::vector<SpanSpec> batch_job = {{1, 0, "order-service", "nightly-batch", 0, 1000, model::SpanKind::kInternal, model::StatusCode::kUnset, {}}};
    for (uint8_t i = 2; i <= 6; ++i) {
      batch_job.push_back({i, 1, "order-service", "batch-item", static_cast<uint64_t>(i) * 100, 50,
                           model::SpanKind::kInternal, model::StatusCode::kUnset, {I("item", i)}});
    }
    Put(TraceBatch(10, 220, batch_job));
    Cut();
    Put(TraceBatch(7, 300, Order(700)));
    auto t8 = Order(800);
    t8.push_back({4, 1, "notification-service", "send-email", 90, 5, model::SpanKind::kConsumer,
                  model::StatusCode::kUnset, {S("messaging.system", "kafka")}});
    Put(TraceBatch(8, 310, t8));
  }
  virtual void Tune(store::TraceDbOptions*) {}  // a test's own storage options
  void Put(std::shared_ptr<model::Batch> b) { ASSERT_TRUE(db_->Append("t", std::move(b)).ok()); }
  void Cut() { ASSERT_TRUE(db_->CutBlocks(/*hold_active=*/false).ok()); }

  store::wal::testing::TempDir dir_;
  std::unique_ptr<store::TraceDb> db_;
};

}  // namespace rubato::query::search::testing
