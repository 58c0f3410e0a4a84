#include "store/head.h"

#include <algorithm>

#include "model/span_copy.h"

namespace rubato::store {

uint64_t BatchMemoryBytes(const model::Batch& b) {
  return b.buffer().size() + b.arena().bytes_used() + b.resources.capacity() * sizeof(model::Resource) +
         b.scopes.capacity() * sizeof(model::Scope) + b.spans.capacity() * sizeof(model::Span) +
         b.events.capacity() * sizeof(model::Event) + b.links.capacity() * sizeof(model::Link) +
         b.attributes.capacity() * sizeof(model::KeyValue) + b.values.capacity() * sizeof(model::AnyValue) +
         b.spans.size() * 32;  // the trace index entry of each span
}

void Head::Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch, uint64_t wal_seq,
                  uint64_t now_ns, bool relogged) {
  uint64_t size = BatchMemoryBytes(*batch);
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), Tenant()).first;
  Tenant& t = it->second;
  uint64_t entry = t.first_entry + t.entries.size();
  for (uint32_t i = 0; i < batch->spans.size(); ++i) {
    TraceRefs& refs = t.traces[batch->spans[i].trace_id];
    refs.spans.push_back({entry, i});
    if (!relogged) refs.last_arrival_ns = now_ns;
  }
  spans_ += batch->spans.size();
  bytes_ += size;
  t.entries.push_back({std::move(batch), wal_seq, now_ns, size});
}

void Head::MarkTruncated(std::string_view tenant, const model::TraceId& id) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) it = tenants_.emplace(std::string(tenant), Tenant()).first;
  it->second.truncated.insert(id);
}

bool Head::CollectTrace(std::string_view tenant, const model::TraceId& id, model::Batch* out,
                        bool* truncated) const {
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return false;
  if (t->second.truncated.count(id)) *truncated = true;
  auto refs = t->second.traces.find(id);
  if (refs == t->second.traces.end()) return false;
  // Copy run by run: consecutive spans of one batch go in one CopySpans call.
  const std::vector<Loc>& locs = refs->second.spans;
  std::vector<uint32_t> run;
  for (size_t i = 0; i < locs.size(); ++i) {
    run.push_back(locs[i].span);
    if (i + 1 == locs.size() || locs[i + 1].entry != locs[i].entry) {
      const Entry& e = t->second.entries[locs[i].entry - t->second.first_entry];
      model::CopySpans(*e.batch, run, out);
      run.clear();
    }
  }
  return true;
}

void Head::ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const {
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return;
  for (const auto& [id, refs] : t->second.traces) fn(id);
}

std::vector<std::shared_ptr<const model::Batch>> Head::Batches(std::string_view tenant) const {
  std::vector<std::shared_ptr<const model::Batch>> out;
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return out;
  out.reserve(t->second.entries.size());
  for (const Entry& e : t->second.entries) out.push_back(e.batch);
  return out;
}

HeadCut Head::TakeCut(uint64_t boundary, uint64_t active_since_ns) const {
  HeadCut cut;
  std::lock_guard lock(mu_);
  for (const auto& [name, t] : tenants_) {
    HeadCut::Tenant* out = nullptr;
    for (const Entry& e : t.entries) {
      if (e.wal_seq >= boundary) break;
      if (!out) out = &cut.tenants[name];
      out->batches.push_back(e.batch);
      cut.spans += e.batch->spans.size();
      if (active_since_ns == UINT64_MAX) continue;  // not holding anything back: skip the lookups
      for (const model::Span& s : e.batch->spans) {
        auto refs = t.traces.find(s.trace_id);
        if (refs != t.traces.end() && refs->second.last_arrival_ns >= active_since_ns) out->active.insert(s.trace_id);
      }
    }
  }
  return cut;
}

void Head::DropFront(Tenant& t) {
  Entry& e = t.entries.front();
  for (uint32_t i = 0; i < e.batch->spans.size(); ++i) {
    auto refs = t.traces.find(e.batch->spans[i].trace_id);
    if (refs == t.traces.end()) continue;
    std::vector<Loc>& v = refs->second.spans;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const Loc& l) { return l.entry == t.first_entry; }), v.end());
    if (v.empty()) {
      t.truncated.erase(refs->first);
      t.traces.erase(refs);
    }
  }
  bytes_ -= e.bytes;
  spans_ -= e.batch->spans.size();
  t.entries.pop_front();
  ++t.first_entry;
}

void Head::DropBefore(std::string_view tenant, uint64_t boundary) {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  if (it == tenants_.end()) return;
  Tenant& t = it->second;
  while (!t.entries.empty() && t.entries.front().wal_seq < boundary) DropFront(t);
  if (t.entries.empty() && t.truncated.empty()) tenants_.erase(it);
}

uint64_t Head::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

uint64_t Head::spans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

uint64_t Head::oldest_arrival_ns() const {
  std::lock_guard lock(mu_);
  uint64_t oldest = 0;
  for (const auto& [name, t] : tenants_) {
    if (!t.entries.empty() && (oldest == 0 || t.entries.front().arrival_ns < oldest)) oldest = t.entries.front().arrival_ns;
  }
  return oldest;
}

}  // namespace rubato::store
