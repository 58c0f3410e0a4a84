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
  const uint64_t entry = t.first_entry + t.entries.size();
  const std::vector<model::Span>& spans = batch->spans;
  const uint32_t n = static_cast<uint32_t>(spans.size());
  std::unique_ptr<Loc[]> next(new Loc[n]);
  // One index lookup per run of consecutive spans of one trace (a request
  // usually carries whole traces, span after span).
  for (uint32_t i = 0; i < n;) {
    const model::TraceId& id = spans[i].trace_id;
    uint32_t j = i + 1;
    for (; j < n && spans[j].trace_id == id; ++j) next[j - 1] = {entry, j};
    next[j - 1] = Loc();
    auto [refs, inserted] = t.traces.Insert(id);
    if (inserted) refs->first = {entry, i};
    else if (refs->last.entry == entry) next[refs->last.span] = {entry, i};  // earlier in this batch
    else NextOf(t, refs->last) = {entry, i};
    refs->last = {entry, j - 1};
    if (!relogged) refs->last_arrival_ns = now_ns;
    i = j;
  }
  spans_ += n;
  bytes_ += size;
  t.entries.push_back({std::move(batch), wal_seq, now_ns, size, std::move(next)});
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
  const TraceRefs* refs = t->second.traces.Find(id);
  if (!refs) return false;
  // Copy run by run: consecutive spans of one batch go in one CopySpans call.
  std::vector<uint32_t> run;
  for (Loc at = refs->first; at.entry != kNoEntry;) {
    const Entry& e = t->second.entries[at.entry - t->second.first_entry];
    run.push_back(at.span);
    Loc next = e.next[at.span];
    if (next.entry != at.entry) {
      model::CopySpans(*e.batch, run, out);
      run.clear();
    }
    at = next;
  }
  return true;
}

void Head::ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const {
  std::lock_guard lock(mu_);
  auto t = tenants_.find(tenant);
  if (t == tenants_.end()) return;
  t->second.traces.ForEach([&](const model::TraceId& id, const TraceRefs&) { fn(id); });
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
        const TraceRefs* refs = t.traces.Find(s.trace_id);
        if (refs && refs->last_arrival_ns >= active_since_ns) out->active.insert(s.trace_id);
      }
    }
  }
  return cut;
}

void Head::DropFront(Tenant& t) {
  Entry& e = t.entries.front();
  const std::vector<model::Span>& spans = e.batch->spans;
  // Entries leave oldest first, so each trace's spans in this entry are at the
  // front of its chain: advance past them, and forget the trace when nothing is left.
  for (uint32_t i = 0; i < spans.size(); ++i) {
    const model::TraceId& id = spans[i].trace_id;
    if (i > 0 && spans[i - 1].trace_id == id) continue;  // its run was handled with its first span
    TraceRefs* refs = t.traces.Find(id);
    if (!refs) continue;
    Loc at = refs->first;
    while (at.entry == t.first_entry) at = e.next[at.span];
    if (at.entry == kNoEntry) {
      t.truncated.erase(id);
      t.traces.Erase(id);
    } else {
      refs->first = at;
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
