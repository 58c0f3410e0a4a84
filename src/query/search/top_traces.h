// The best `limit` results found so far, shared by the threads of one
// search: most recent first (start time descending, then trace ID
// ascending), pieces of one trace merged. What it holds after every source
// has been offered is exact: no trace left out could rank higher.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "query/search/search_response.h"
#include "query/search/trace_result.h"

namespace rubato::query::search {

class TopTraces {
 public:
  TopTraces(uint32_t limit, uint32_t spss) : limit_(limit), spss_(spss) {}

  // False when a piece of trace `id` starting at `start` can change nothing:
  // `limit` results are held, it ranks below all of them, and its trace is
  // not one of them (so it need not even be evaluated).
  bool Admits(const model::TraceId& id, uint64_t start) const;
  // True when `id` is held (another piece of it must be merged in).
  bool Holds(const model::TraceId& id) const;
  // Merges `piece` into the held result of its trace, or inserts it if it
  // ranks among the best (evicting the worst). A piece without spansets is
  // only merged, never inserted.
  void Offer(TraceResult piece);
  // When `limit` results are held: the start time of the worst of them.
  // Nothing starting before it can enter, so a source whose traces all
  // start before it need not be read. 0 until then.
  uint64_t stop_below() const { return stop_below_.load(std::memory_order_relaxed); }
  // The results, best first; leaves the set empty.
  std::vector<TraceResult> Take();

 private:
  struct Key {
    uint64_t start;
    model::TraceId id;
    bool operator<(const Key& o) const { return start != o.start ? start > o.start : id < o.id; }  // best first
  };
  void UpdateStopBelow();  // with mu_ held

  const uint32_t limit_, spss_;
  mutable std::mutex mu_;
  std::map<Key, TraceResult> best_;
  std::unordered_map<model::TraceId, uint64_t, model::IdHash> start_of_;  // held trace → its key's start
  std::atomic<uint64_t> stop_below_{0};
};

}  // namespace rubato::query::search
