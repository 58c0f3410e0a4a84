#include "store/memory_store.h"

#include "model/span_copy.h"

namespace rubato::store {

Status MemoryStore::Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), Tenant()).first;
  Tenant& t = it->second;
  uint32_t b = static_cast<uint32_t>(t.batches.size());
  for (uint32_t i = 0; i < batch->spans.size(); ++i) t.traces[batch->spans[i].trace_id].push_back({b, i});
  t.batches.push_back(std::move(batch));
  return Status::Ok();
}

void MemoryStore::MarkTruncated(std::string_view tenant, const model::TraceId& id) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), Tenant()).first;
  it->second.truncated.insert(id);
}

Result<FoundTrace> MemoryStore::FindTrace(std::string_view tenant, const model::TraceId& id, TimeRange range) const {
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return Status::NotFound("trace not found");
  auto refs = t->second.traces.find(id);
  if (refs == t->second.traces.end()) return Status::NotFound("trace not found");
  FoundTrace found;
  // Spans of one batch are copied together so they share resources and scopes.
  std::vector<uint32_t> picked;
  bool any = false;
  for (size_t i = 0; i < refs->second.size();) {
    uint32_t b = refs->second[i].batch;
    const model::Batch& batch = *t->second.batches[b];
    picked.clear();
    for (; i < refs->second.size() && refs->second[i].batch == b; ++i) {
      const model::Span& s = batch.spans[refs->second[i].span];
      if (range.Overlaps(s.start_time_unix_nano, s.end_time_unix_nano)) picked.push_back(refs->second[i].span);
    }
    any |= !picked.empty();
    model::CopySpans(batch, picked, &found.batch);
  }
  if (!any) return Status::NotFound("trace not found in the time range");
  found.truncated = t->second.truncated.count(id) > 0;
  return found;
}

void MemoryStore::ForEachTraceId(std::string_view tenant,
                                 const std::function<void(const model::TraceId&)>& fn) const {
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return;
  for (const auto& [id, refs] : t->second.traces) fn(id);
}

}  // namespace rubato::store
