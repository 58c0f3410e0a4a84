// The head: recent spans in memory, every batch already durable in the WAL,
// indexed by trace ID. Reads see it first; a block cut takes its older batches
// (those below a sealed WAL sequence number) and drops them once the block is
// visible. It never evicts: memory is bounded by cutting, and TraceDb refuses
// appends (retryably) when cutting falls behind.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/batch.h"
#include "model/id_map.h"
#include "model/ids.h"

namespace rubato::store {

// What a cut takes from the head, per tenant.
struct HeadCut {
  struct Tenant {
    std::vector<std::shared_ptr<const model::Batch>> batches;  // WAL seq < boundary
    // Traces that received spans recently: left in the head (re-logged) rather
    // than split across this block and the next.
    std::unordered_set<model::TraceId, model::IdHash> active;
  };
  std::map<std::string, Tenant, std::less<>> tenants;
  uint64_t spans = 0;
};

class Head {
 public:
  // `wal_seq` is the batch's WAL record; `now_ns` when it arrived. A re-logged
  // batch (spans a cut held back) does not count as new activity of its traces.
  void Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch, uint64_t wal_seq, uint64_t now_ns,
              bool relogged = false);
  void MarkTruncated(std::string_view tenant, const model::TraceId& id);

  // Appends the trace's spans (duplicates included) to *out, and whether any was found.
  bool CollectTrace(std::string_view tenant, const model::TraceId& id, model::Batch* out, bool* truncated) const;
  void ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const;
  // The tenant's batches, oldest first (search reads them without the lock).
  std::vector<std::shared_ptr<const model::Batch>> Batches(std::string_view tenant) const;

  // The batches below `boundary`; traces whose last span arrived at or after
  // `active_since_ns` are listed as active.
  HeadCut TakeCut(uint64_t boundary, uint64_t active_since_ns) const;
  // Forgets a tenant's batches below `boundary`, once a block (or a re-logged copy) holds them.
  void DropBefore(std::string_view tenant, uint64_t boundary);

  uint64_t bytes() const;
  uint64_t spans() const;
  uint64_t oldest_arrival_ns() const;  // 0 when empty

 private:
  // A span of the head: Tenant::entries[entry - first_entry], span `span`.
  struct Loc {
    uint64_t entry = kNoEntry;
    uint32_t span = 0;
  };
  static constexpr uint64_t kNoEntry = UINT64_MAX;
  // A trace's spans form a chain in arrival order, first → last, linked by
  // Entry::next: one flat array per batch instead of a vector per trace
  // (nothing is allocated per span or per trace on append).
  struct TraceRefs {
    Loc first;
    Loc last;
    uint64_t last_arrival_ns = 0;
  };
  struct Entry {
    std::shared_ptr<const model::Batch> batch;
    uint64_t wal_seq;
    uint64_t arrival_ns;
    uint64_t bytes;
    std::unique_ptr<Loc[]> next;  // per span: the trace's next span (entry kNoEntry: none)
  };
  struct Tenant {
    std::deque<Entry> entries;  // arrival order; WAL order across cuts (see TraceDb's gate)
    uint64_t first_entry = 0;
    model::IdMap<model::TraceId, TraceRefs> traces;
    std::unordered_set<model::TraceId, model::IdHash> truncated;
  };
  Loc& NextOf(Tenant& t, Loc at) { return t.entries[at.entry - t.first_entry].next[at.span]; }
  void DropFront(Tenant& t);

  mutable std::mutex mu_;
  std::map<std::string, Tenant, std::less<>> tenants_;
  uint64_t bytes_ = 0;
  uint64_t spans_ = 0;
};

// What a batch costs in memory: its request bytes, arena, pools and index entries.
uint64_t BatchMemoryBytes(const model::Batch& b);

}  // namespace rubato::store
