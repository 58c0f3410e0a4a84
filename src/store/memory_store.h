// A TraceStore held in memory: the batches as received plus a trace-ID index.
// The stand-in until the durable store (WAL + blocks) lands; same interface.
#pragma once

#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/trace_store.h"

namespace rubato::store {

class MemoryStore : public TraceStore {
 public:
  Status Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch) override;
  void MarkTruncated(std::string_view tenant, const model::TraceId& id) override;
  Result<FoundTrace> FindTrace(std::string_view tenant, const model::TraceId& id, TimeRange range) const override;
  void ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const override;

 private:
  struct IdHash {
    size_t operator()(const model::TraceId& id) const {
      size_t h;
      std::memcpy(&h, id.bytes.data(), sizeof h);  // trace IDs are random: their bytes are the hash
      return h;
    }
  };
  struct SpanRef {
    uint32_t batch;
    uint32_t span;
  };
  struct Tenant {
    std::vector<std::shared_ptr<const model::Batch>> batches;
    std::unordered_map<model::TraceId, std::vector<SpanRef>, IdHash> traces;
    std::unordered_set<model::TraceId, IdHash> truncated;
  };

  mutable std::mutex mu_;
  std::map<std::string, Tenant, std::less<>> tenants_;
};

}  // namespace rubato::store
