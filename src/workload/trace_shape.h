// The shape of one workload trace: which operations run, in what tree, for how
// long. Identifiers and attribute values are added later (generator.cc); this
// part is the seed's order flow with random outcomes and timings.
#pragma once

#include <cstdint>
#include <vector>

#include "workload/random.h"
#include "workload/tables.h"

namespace rubato::workload {

// Probabilities and timings, in one place so the docs and tests can quote them.
struct ShapeParams {
  // Items per order (1..4): one-item orders are the common case.
  static constexpr double kItemCountWeights[4] = {0.85, 0.08, 0.04, 0.03};
  static constexpr double kOutOfStock = 0.16;      // stock check fails: 409, nothing reserved
  static constexpr double kPaymentDeclined = 0.04; // charge refused: 402, no notification
  static constexpr double kHighDemand = 0.065;     // per item: quantity > 5, the seed's slow path
  static constexpr double kError = 0.02;           // per span: status ERROR
  static constexpr double kWorkMedianNs = 20e6;    // a call's own work, log-normal
  static constexpr double kWorkSigma = 0.5;
  static constexpr double kSlowMinNs = 250e6;      // slow_lookup on high demand: uniform
  static constexpr double kSlowMaxNs = 300e6;
  static constexpr double kNetworkMedianNs = 0.4e6;   // one way, client to server
  static constexpr double kOverheadMedianNs = 0.3e6;  // a wrapper span's own time, each side
  static constexpr double kTraceGapMeanNs = 1.2e6;    // between trace starts, exponential
};

struct OrderLine {
  uint8_t item;  // index into kItems
  int64_t quantity;
  bool high_demand;  // quantity > 5: inventory.demand "high", slow_lookup is slow
};

struct SpanShape {
  Op op;
  int16_t parent;   // index in TraceShape::spans; -1 for the root
  uint8_t line;     // index into TraceShape::lines for per-item calls, else 0
  bool error;       // status ERROR with the op's message
  int64_t http_status;  // 0 for INTERNAL spans
  int64_t start_ns;     // from the trace's start
  int64_t end_ns;
};

struct TraceShape {
  // Depth-first preorder: every parent comes before its children, so any
  // prefix is still a tree (generator.cc relies on this when trimming).
  std::vector<SpanShape> spans;
  OrderLine lines[4];
  int num_lines = 0;
  int64_t total_quantity = 0;
  double amount = 0;  // order total, in currency units with cents
};

// Draws one trace into *out (cleared first).
void DrawTraceShape(Random& rng, TraceShape* out);

}  // namespace rubato::workload
