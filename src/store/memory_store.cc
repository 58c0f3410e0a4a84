#include "store/memory_store.h"

#include <algorithm>

#include "model/span_copy.h"

namespace rubato::store {

namespace {

// What a batch costs in memory: its request bytes, arena and pools.
uint64_t BatchBytes(const model::Batch& b) {
  return b.buffer().size() + b.arena().bytes_used() + b.resources.capacity() * sizeof(model::Resource) +
         b.scopes.capacity() * sizeof(model::Scope) + b.spans.capacity() * sizeof(model::Span) +
         b.events.capacity() * sizeof(model::Event) + b.links.capacity() * sizeof(model::Link) +
         b.attributes.capacity() * sizeof(model::KeyValue) + b.values.capacity() * sizeof(model::AnyValue) +
         b.spans.size() * 32;  // the trace index entry of each span
}

}  // namespace

Status MemoryStore::Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch, std::string_view) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), Tenant()).first;
  Tenant& t = it->second;
  uint64_t seq = next_seq_++;
  if (t.batches.empty()) t.first_seq = seq;
  for (uint32_t i = 0; i < batch->spans.size(); ++i) t.traces[batch->spans[i].trace_id].push_back({seq, i});
  uint64_t size = BatchBytes(*batch);
  // Sequence numbers of one tenant are increasing but not contiguous (other
  // tenants take some); keep the deque dense by padding with empty slots.
  while (t.first_seq + t.batches.size() < seq) t.batches.push_back({nullptr, 0});
  t.batches.push_back({std::move(batch), size});
  bytes_ += size;
  while (bytes_ > max_bytes_ && !(tenants_.size() == 1 && t.batches.size() == 1)) EvictOldest();
  return Status::Ok();
}

void MemoryStore::EvictOldest() {
  Tenant* oldest = nullptr;
  for (auto& [name, t] : tenants_) {
    while (!t.batches.empty() && !t.batches.front().batch) {  // drop padding
      t.batches.pop_front();
      t.first_seq++;
    }
    if (!t.batches.empty() && (!oldest || t.first_seq < oldest->first_seq)) oldest = &t;
  }
  if (!oldest) return;
  Stored victim = std::move(oldest->batches.front());
  uint64_t seq = oldest->first_seq;
  oldest->batches.pop_front();
  oldest->first_seq++;
  for (const model::Span& s : victim.batch->spans) {
    auto refs = oldest->traces.find(s.trace_id);
    if (refs == oldest->traces.end()) continue;
    auto& v = refs->second;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const SpanRef& r) { return r.batch == seq; }), v.end());
    if (v.empty()) {
      oldest->traces.erase(refs);
      oldest->truncated.erase(s.trace_id);
    }
  }
  bytes_ -= victim.bytes;
  evicted_++;
}

uint64_t MemoryStore::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

uint64_t MemoryStore::evicted_batches() const {
  std::lock_guard lock(mu_);
  return evicted_;
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
    uint64_t b = refs->second[i].batch;
    const model::Batch& batch = *t->second.batches[b - t->second.first_seq].batch;
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

SearchSnapshot MemoryStore::TakeSearchSnapshot(std::string_view tenant) const {
  SearchSnapshot snap;
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return snap;
  for (const Stored& s : t->second.batches) snap.head.push_back(s.batch);
  return snap;
}

}  // namespace rubato::store
