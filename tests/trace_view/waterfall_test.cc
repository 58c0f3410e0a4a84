#include "trace_view/waterfall.h"

#include <gtest/gtest.h>

namespace rubato::trace_view {
namespace {

constexpr uint64_t kT0 = 1700000000000000000ULL;  // any epoch: offsets are relative
constexpr uint64_t kMs = 1000000;

WaterfallSpan S(std::string id, std::string parent, std::string service, std::string name, uint64_t from_ms,
                uint64_t to_ms) {
  return {std::move(id), std::move(parent), std::move(service), std::move(name), kT0 + from_ms * kMs,
          kT0 + to_ms * kMs, false, ""};
}

// The seed's figure (its lines 5-21), with the CLIENT span the requests
// instrumentation adds under charge_payment, given in shuffled order.
std::vector<WaterfallSpan> SeedTrace() {
  return {
      S("0d", "02", "order-service", "send_notification", 328, 334),
      S("01", "", "order-service", "POST /orders", 0, 342),
      S("0c", "0b", "payment-service", "POST /charges", 311, 325),
      S("02", "01", "order-service", "process_order", 1, 341),
      S("05", "04", "inventory-service", "GET /stock/book", 11, 17),
      S("03", "02", "order-service", "validate_order", 2, 4),
      S("04", "02", "order-service", "check_inventory", 10, 18),
      S("06", "02", "order-service", "reserve_inventory", 20, 308),
      S("07", "06", "inventory-service", "POST /stock/book/reserve", 21, 306),
      S("08", "07", "inventory-service", "reserve_stock", 22, 305),
      S("09", "08", "inventory-service", "slow_lookup", 23, 304),
      S("0a", "02", "order-service", "charge_payment", 310, 327),
      S("0b", "0a", "order-service", "POST", 310, 326),
      S("0e", "0d", "notification-service", "POST /notify", 329, 333),
  };
}

TEST(Waterfall, DrawsTheSeedFigure) {
  const std::string want =
      "Trace ID: a3b7c9d2e1f04567a3b7c9d2e1f04567  (14 spans, 4 services, 342ms)\n"
      "[order-service] POST /orders                          0ms ────────────────────────────── 342ms  342ms\n"
      "  [order-service] process_order                       1ms ────────────────────────────── 341ms  340ms\n"
      "    [order-service] validate_order                    2ms ─ 4ms                                   2ms\n"
      "    [order-service] check_inventory                  10ms ── 18ms                                 8ms\n"
      "      [inventory-service] GET /stock/book            11ms ── 17ms                                 6ms\n"
      "    [order-service] reserve_inventory                 20ms ─────────────────────────── 308ms    288ms\n"
      "      [inventory-service] POST /stock/book/reserve    21ms ────────────────────────── 306ms     285ms\n"
      "        [inventory-service] reserve_stock             22ms ────────────────────────── 305ms     283ms\n"
      "          [inventory-service] slow_lookup              23ms ───────────────────────── 304ms     281ms  ← 281ms in here (82%)\n"
      "    [order-service] charge_payment                                             310ms ── 327ms    17ms\n"
      "      [order-service] POST                                                     310ms ── 326ms    16ms\n"
      "        [payment-service] POST /charges                                        311ms ── 325ms    14ms\n"
      "    [order-service] send_notification                                           328ms ── 334ms    6ms\n"
      "      [notification-service] POST /notify                                       329ms ── 333ms    4ms\n";
  EXPECT_EQ(RenderWaterfall("a3b7c9d2e1f04567a3b7c9d2e1f04567", SeedTrace()), want);
}

TEST(Waterfall, MarksLargestSelfTimeNotLargestDuration) {
  // The root lasts 100 ms but its child covers 30 ms of it: the root's own 70 ms win.
  std::vector<WaterfallSpan> spans = {S("a", "", "svc", "root", 0, 100), S("b", "a", "svc", "child", 10, 40)};
  const std::string want =
      "Trace ID: t  (2 spans, 1 service, 100ms)\n"
      "[svc] root      0ms ────────── 100ms  100ms  ← 70ms in here (70%)\n"
      "  [svc] child   10ms ─── 40ms          30ms\n";
  WaterfallOptions o;
  o.bar_width = 10;
  EXPECT_EQ(RenderWaterfall("t", spans, o), want);
}

TEST(Waterfall, OverlappingChildrenCountOnceInSelfTime) {
  // Children 0-60 and 40-100 cover the whole root: self time 0; the
  // children keep 60 ms each, the first (by start) is marked.
  std::vector<WaterfallSpan> spans = {S("r", "", "s", "root", 0, 100), S("x", "r", "s", "x", 0, 60),
                                      S("y", "r", "s", "y", 40, 100)};
  WaterfallOptions o;
  o.bar_width = 10;
  const std::string want =
      "Trace ID: t  (3 spans, 1 service, 100ms)\n"
      "[s] root   0ms ────────── 100ms  100ms\n"
      "  [s] x    0ms ────── 60ms        60ms  ← 60ms in here (60%)\n"
      "  [s] y       40ms ────── 100ms   60ms\n";
  EXPECT_EQ(RenderWaterfall("t", spans, o), want);
}

TEST(Waterfall, MissingParentsCyclesAndDuplicatesStillDrawEverySpanOnce) {
  std::vector<WaterfallSpan> spans = {
      S("a", "gone", "s", "orphan", 0, 10),  // parent not in the trace: a root
      S("b", "c", "s", "cycle-b", 2, 4),     // b and c point at each other
      S("c", "b", "s", "cycle-c", 3, 5),
      S("d", "d", "s", "self-parent", 6, 8),
      S("a", "", "s", "duplicate of a", 0, 10),
  };
  WaterfallOptions o;
  o.bar_width = 10;
  const std::string want =
      "Trace ID: t  (4 spans, 1 service, 10ms)\n"
      "[s] orphan       0ms ────────── 10ms  10ms  ← 10ms in here (100%)\n"
      "[s] self-parent        6ms ── 8ms      2ms\n"
      "[s] cycle-b        2ms ── 4ms          2ms\n"
      "  [s] cycle-c       3ms ── 5ms         2ms\n";
  EXPECT_EQ(RenderWaterfall("t", spans, o), want);
}

TEST(Waterfall, ErrorsAndLongNamesAndControlCharacters) {
  std::vector<WaterfallSpan> spans = {S("a", "", "svc", "POST /orders", 0, 2),
                                      S("b", "a", "svc", std::string(100, 'n') + "\nx", 1, 2)};
  spans[1].error = true;
  spans[1].status_message = "HTTPException: 400: Quantity\nmust be positive";
  WaterfallOptions o;
  o.bar_width = 4;
  o.max_label = 12;
  const std::string want =
      "Trace ID: t  (2 spans, 1 service, 2ms)\n"
      "[svc] POST …    0ms ──── 2ms  2ms  ← 1ms in here (50%)\n"
      "  [svc] nnnnn…    1ms ── 2ms  1ms  ✗ error: HTTPException: 400: Quantity must be positive\n";
  EXPECT_EQ(RenderWaterfall("t", spans, o), want);
}

TEST(Waterfall, SubMillisecondAndZeroLengthTraces) {
  std::vector<WaterfallSpan> spans = {S("a", "", "s", "fast", 0, 0)};
  spans[0].end_unix_nano = spans[0].start_unix_nano + 850000;
  WaterfallOptions o;
  o.bar_width = 3;
  EXPECT_EQ(RenderWaterfall("t", spans, o),
            "Trace ID: t  (1 span, 1 service, 850µs)\n"
            "[s] fast  0ms ─── 850µs  850µs  ← 850µs in here (100%)\n");
  spans[0].end_unix_nano = spans[0].start_unix_nano - 5;  // end before start: zero length
  EXPECT_EQ(RenderWaterfall("t", spans, o),
            "Trace ID: t  (1 span, 1 service, 0ms)\n"
            "[s] fast  0ms ─── 0ms  0ms\n");
}

TEST(Waterfall, NoSpans) { EXPECT_EQ(RenderWaterfall("abc", {}), "Trace ID: abc  (no spans)\n"); }

TEST(Waterfall, DeepTreesStopIndentingAtTheLimit) {
  std::vector<WaterfallSpan> spans;
  for (int i = 0; i < 5000; ++i) {  // deep enough to overflow a recursive walk's stack
    spans.push_back(S(std::to_string(i), i ? std::to_string(i - 1) : "", "s", "n", 0, 1));
  }
  WaterfallOptions o;
  o.max_indent = 3;
  std::string got = RenderWaterfall("t", spans, o);
  EXPECT_EQ(std::count(got.begin(), got.end(), '\n'), 5001);
  EXPECT_NE(got.find("\n      [s] n"), std::string::npos);
  EXPECT_EQ(got.find("\n        [s] n"), std::string::npos);
}

}  // namespace
}  // namespace rubato::trace_view
