// The best results found so far, shared by the threads of one search: most
// recent first (start time descending, then trace ID ascending), pieces of
// one trace merged. A piece's start can be later than its trace's (the
// trace's first spans may be in another piece), so only a result that holds
// its root span is "settled": the bound that lets the scan skip or stop
// (stop_below, Admits) is the `limit`-th settled result, and results whose
// rank is not yet certain are kept beyond `limit` until it is. What it holds
// after every source has been offered (and CompletePieces has merged the
// rest) holds the exact top `limit`.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "query/search/search_response.h"
#include "query/search/trace_result.h"

namespace rubato::query::search {

class TopTraces {
 public:
  TopTraces(uint32_t limit, uint32_t spss) : limit_(limit), spss_(spss) {}

  // False when a piece of trace `id` starting at `start` can change nothing:
  // `limit` settled results rank above it, and its trace is not held (so it
  // need not even be evaluated).
  bool Admits(const model::TraceId& id, uint64_t start) const;
  // True when `id` is held (another piece of it must be merged in).
  bool Holds(const model::TraceId& id) const;
  // Merges `piece` into the held result of its trace, or inserts it unless
  // `limit` settled results rank above it. A piece without spansets is only
  // merged, never inserted.
  void Offer(TraceResult piece);
  // When `limit` settled results are held: the start time of the worst of
  // them. Nothing starting before it can enter, so a source whose traces all
  // start before it need not be read. 0 until then.
  uint64_t stop_below() const { return stop_below_.load(std::memory_order_relaxed); }
  // The results, best first (possibly more than `limit`: the caller merges
  // the remaining pieces, sorts and keeps `limit`); leaves the set empty.
  std::vector<TraceResult> Take();

 private:
  struct Key {
    uint64_t start;
    model::TraceId id;
    bool operator<(const Key& o) const { return start != o.start ? start > o.start : id < o.id; }  // best first
  };
  // With mu_ held: finds the `limit`-th settled result, drops every result
  // ranked below it (a result's rank only falls as pieces merge in), and
  // updates the bound.
  void Settle();

  const uint32_t limit_, spss_;
  mutable std::mutex mu_;
  std::map<Key, TraceResult> best_;
  std::unordered_map<model::TraceId, uint64_t, model::IdHash> start_of_;  // held trace → its key's start
  std::optional<Key> bound_;  // the `limit`-th settled result, once there is one
  std::atomic<uint64_t> stop_below_{0};
};

}  // namespace rubato::query::search
