// A TraceStore held in memory: the batches as received plus a trace-ID index.
// The receiver and API tests use it to exercise their layer without disks;
// `rubato serve` uses TraceDb (WAL → head → blocks), behind the same interface.
// Memory is bounded: past `max_bytes`, the oldest batches are evicted (and
// counted), so a long run keeps the most recent data rather than growing.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/trace_store.h"

namespace rubato::store {

class MemoryStore : public TraceStore {
 public:
  explicit MemoryStore(uint64_t max_bytes = 256ull << 20) : max_bytes_(max_bytes) {}
  Status Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch,
                std::string_view encoded = {}) override;
  void MarkTruncated(std::string_view tenant, const model::TraceId& id) override;
  Result<FoundTrace> FindTrace(std::string_view tenant, const model::TraceId& id, TimeRange range) const override;
  void ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const override;
  SearchSnapshot TakeSearchSnapshot(std::string_view tenant) const override;  // its batches, as the head

 private:
  struct SpanRef {
    uint64_t batch;  // sequence number: batches[batch - first_seq]
    uint32_t span;
  };
  struct Stored {
    std::shared_ptr<const model::Batch> batch;
    uint64_t bytes;
  };
  struct Tenant {
    std::deque<Stored> batches;
    uint64_t first_seq = 0;
    std::unordered_map<model::TraceId, std::vector<SpanRef>, model::IdHash> traces;
    std::unordered_set<model::TraceId, model::IdHash> truncated;
  };

  // Drops the oldest batch of the tenant holding the oldest data.
  void EvictOldest();

 public:
  uint64_t bytes() const;
  uint64_t evicted_batches() const;

 private:
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  uint64_t evicted_ = 0;
  uint64_t next_seq_ = 0;  // global, so the oldest batch across tenants is the smallest
  mutable std::mutex mu_;
  std::map<std::string, Tenant, std::less<>> tenants_;
};

}  // namespace rubato::store
