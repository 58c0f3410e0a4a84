// Durations are built bottom-up: each callee does log-normal work, each
// wrapper adds a little overhead and network time, so every child lies inside
// its parent. Per-item calls of one phase run concurrently (as an async
// order-service would), which keeps a four-item order about as long as a
// one-item one: only the seed's slow_lookup path reaches the slow range.
#include "workload/trace_shape.h"

#include <algorithm>
#include <cmath>

namespace rubato::workload {
namespace {

using P = ShapeParams;

class ShapeBuilder {
 public:
  ShapeBuilder(Random& rng, TraceShape* t) : rng_(rng), t_(*t) {}

  void Build() {
    DrawOrder();
    bool out_of_stock = rng_.Chance(P::kOutOfStock);
    bool declined = !out_of_stock && rng_.Chance(P::kPaymentDeclined);

    int root = Add(Op::kPostOrders, -1, 0, 0);
    int process = Add(Op::kProcessOrder, root, 0, Overhead());
    int64_t t = t_.spans[process].start_ns + Overhead();
    t = Phase(Op::kCheckInventory, Op::kGetStock, process, t);
    if (!out_of_stock) {
      t = Phase(Op::kReserveInventory, Op::kPostReserve, process, t);
      t = Call(Op::kChargePayment, Op::kPostCharges, process, 0, t, declined ? 402 : 201) + Gap();
      if (!declined) t = Call(Op::kSendNotification, Op::kPostNotify, process, 0, t, 202) + Gap();
    }
    t_.spans[process].end_ns = t + Overhead();
    t_.spans[root].end_ns = t_.spans[process].end_ns + Overhead();
    t_.spans[root].http_status = out_of_stock ? 409 : declined ? 402 : 201;
    // Errors last, so that they do not shift the draws above between versions.
    for (SpanShape& s : t_.spans) {
      s.error = rng_.Chance(P::kError);
      if (s.error && s.http_status != 0) {
        s.http_status = kOps[static_cast<int>(s.op)].kind == SpanKind::kServer ? 500 : 503;
      }
    }
  }

 private:
  void DrawOrder() {
    double u = rng_.Uniform();
    int n = 1;
    for (double w : P::kItemCountWeights) {
      if (u < w || n == 4) break;
      u -= w;
      ++n;
    }
    t_.num_lines = n;
    t_.total_quantity = 0;
    t_.amount = 0;
    for (int i = 0; i < n; ++i) {
      OrderLine& l = t_.lines[i];
      l.item = static_cast<uint8_t>(rng_.Int(0, kItems.size() - 1));
      l.high_demand = rng_.Chance(P::kHighDemand);
      // Small quantities dominate; "high demand" is the seed's quantity > 5.
      l.quantity = l.high_demand ? rng_.Int(6, 10) : (rng_.Chance(0.6) ? 1 : rng_.Int(2, 5));
      t_.total_quantity += l.quantity;
      t_.amount += kItems[l.item].price * static_cast<double>(l.quantity);
    }
    t_.amount = std::round(t_.amount * 100.0) / 100.0;
  }

  int Add(Op op, int parent, int line, int64_t start) {
    SpanShape s{};
    s.op = op;
    s.parent = static_cast<int16_t>(parent);
    s.line = static_cast<uint8_t>(line);
    s.start_ns = start;
    s.end_ns = start;
    t_.spans.push_back(s);
    return static_cast<int>(t_.spans.size() - 1);
  }

  int64_t Ns(double ns) { return static_cast<int64_t>(std::llround(ns)); }
  int64_t Work() { return Ns(rng_.LogNormal(P::kWorkMedianNs, P::kWorkSigma)); }
  int64_t Network() { return Ns(rng_.LogNormal(P::kNetworkMedianNs, 0.4)); }
  int64_t Overhead() { return Ns(rng_.LogNormal(P::kOverheadMedianNs, 0.5)); }
  int64_t Gap() { return Ns(rng_.LogNormal(P::kOverheadMedianNs / 2, 0.5)); }

  // One call per order line, started almost together; returns when the last ends.
  int64_t Phase(Op client, Op server, int parent, int64_t start) {
    int64_t end = start;
    int64_t at = start;
    for (int i = 0; i < t_.num_lines; ++i) {
      end = std::max(end, Call(client, server, parent, i, at, 200));
      at += Ns(rng_.Uniform(20e3, 150e3));  // the next request leaves a little later
    }
    return end + Gap();
  }

  // A CLIENT span and the callee's SERVER span under it; returns the client's end.
  int64_t Call(Op client, Op server, int parent, int line, int64_t start, int64_t status) {
    int c = Add(client, parent, line, start);
    int s = Add(server, c, line, start + Network());
    int64_t server_end = ServerBody(server, s, line);
    t_.spans[s].end_ns = server_end;
    t_.spans[c].end_ns = server_end + Network();
    t_.spans[c].http_status = t_.spans[s].http_status = status;
    return t_.spans[c].end_ns;
  }

  int64_t ServerBody(Op server, int s, int line) {
    int64_t start = t_.spans[s].start_ns;
    if (server != Op::kPostReserve) return start + Work();
    // The seed's inventory-service: reserve_stock → slow_lookup, slow on high demand.
    int reserve = Add(Op::kReserveStock, s, line, start + Overhead());
    int lookup = Add(Op::kSlowLookup, reserve, line, t_.spans[reserve].start_ns + Overhead());
    int64_t work = t_.lines[line].high_demand ? Ns(rng_.Uniform(P::kSlowMinNs, P::kSlowMaxNs)) : Work();
    t_.spans[lookup].end_ns = t_.spans[lookup].start_ns + work;
    t_.spans[reserve].end_ns = t_.spans[lookup].end_ns + Overhead();
    return t_.spans[reserve].end_ns + Overhead();
  }

  Random& rng_;
  TraceShape& t_;
};

}  // namespace

void DrawTraceShape(Random& rng, TraceShape* out) {
  out->spans.clear();
  ShapeBuilder(rng, out).Build();
}

}  // namespace rubato::workload
