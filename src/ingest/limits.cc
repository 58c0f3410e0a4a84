#include "ingest/limits.h"

#include <algorithm>
#include <cstring>

namespace rubato::ingest {

double IngestLimiter::AdmitBytes(const std::string& tenant, uint64_t bytes, Clock::time_point now) {
  if (config_.rate_limit_bytes == 0) return 0;
  std::lock_guard lock(mu_);
  Tenant& t = TenantLocked(tenant);
  double burst = static_cast<double>(std::max(config_.burst_size_bytes, config_.rate_limit_bytes));
  if (!t.filled) {
    t.filled = true;
    t.tokens = burst;
    t.refilled = now;
  }
  double elapsed = std::chrono::duration<double>(now - t.refilled).count();
  t.tokens = std::min(burst, t.tokens + elapsed * static_cast<double>(config_.rate_limit_bytes));
  t.refilled = now;
  // A request larger than the burst could never pass; admit it when the bucket is full
  // rather than refusing it forever.
  double need = std::min(static_cast<double>(bytes), burst);
  if (t.tokens >= need) {
    t.tokens -= static_cast<double>(bytes);
    return 0;
  }
  return (need - t.tokens) / static_cast<double>(config_.rate_limit_bytes);
}

IngestLimiter::Tenant& IngestLimiter::TenantLocked(const std::string& tenant) {
  auto& slot = tenants_[tenant];
  if (!slot) slot = std::make_unique<Tenant>();
  return *slot;
}

IngestLimiter::Tenant& IngestLimiter::TenantFor(const std::string& tenant) {
  std::lock_guard lock(mu_);
  return TenantLocked(tenant);
}

IngestLimiter::TraceKey IngestLimiter::KeyOf(const model::TraceId& id) {
  uint64_t h = model::MixId(id) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  if (h == 0) h = 1;  // the all-zero key is the IdMap's empty slot
  TraceKey key;
  std::memcpy(key.bytes.data(), &h, 8);
  return key;
}

// A trace leaves once idle for trace_idle_period. Its queue entry carries
// the time it was seen when queued; one seen since is queued again with its
// newer time, so each trace is looked at about once per idle period.
void IngestLimiter::Expire(Tenant* t, LiveShard* shard, uint32_t now_ms) {
  while (!shard->expiry.empty() && now_ms - shard->expiry.front().second > idle_ms_) {
    auto [key, queued_at] = shard->expiry.front();
    shard->expiry.pop_front();
    LiveTrace* live = shard->live.Find(key);
    if (!live) continue;
    if (now_ms - live->last_seen_ms > idle_ms_) {
      shard->live.Erase(key);
      t->live_count.fetch_sub(1, std::memory_order_relaxed);
    } else {
      shard->expiry.emplace_back(key, live->last_seen_ms);
    }
  }
  // The next trace to expire will be looked up in one of this shard's next
  // calls: start fetching its slot now (otherwise a cache miss per trace,
  // the largest cost of this function).
  if (!shard->expiry.empty()) shard->live.Prefetch(shard->expiry.front().first);
}

// Spans in order, under their trace's shard lock only (held for one run of
// consecutive spans of a trace, not across the batch), so concurrent requests
// rarely meet. A run costs one lookup: requests usually carry whole traces.
void IngestLimiter::AdmitSpans(const std::string& tenant, const model::Batch& batch, const std::vector<bool>& valid,
                               Clock::time_point now, std::vector<SpanVerdict>* verdicts) {
  verdicts->assign(batch.spans.size(), SpanVerdict::kAccept);
  if (config_.max_live_traces == 0 && config_.max_bytes_per_trace == 0) return;  // nothing to track
  Tenant& t = TenantFor(tenant);
  const uint32_t now_ms = MsSinceStart(now);
  const std::vector<model::Span>& spans = batch.spans;
  const size_t n = spans.size();
  for (size_t i = 0; i < n;) {
    if (!valid[i]) {
      ++i;
      continue;
    }
    const model::TraceId& id = spans[i].trace_id;
    size_t end = i + 1;  // the run [i, end): valid spans of this trace
    while (end < n && valid[end] && spans[end].trace_id == id) ++end;
    LiveShard& shard = t.shards[(model::IdHash()(id) >> 20) % kShards];
    const TraceKey key = KeyOf(id);
    std::lock_guard lock(shard.mu);
    Expire(&t, &shard, now_ms);
    LiveTrace* live = shard.live.Find(key);
    if (!live) {
      if (config_.max_live_traces != 0 && t.live_count.load(std::memory_order_relaxed) >= config_.max_live_traces) {
        for (; i < end; ++i) (*verdicts)[i] = SpanVerdict::kLiveTracesExceeded;
        continue;
      }
      live = shard.live.Insert(key).first;
      shard.expiry.emplace_back(key, now_ms);
      t.live_count.fetch_add(1, std::memory_order_relaxed);
    }
    for (; i < end; ++i) {
      // The byte count only matters with a per-trace limit.
      if (config_.max_bytes_per_trace != 0) {
        const uint64_t size = EstimateSpanBytes(batch, spans[i]);
        if (live->bytes + size > config_.max_bytes_per_trace) {
          (*verdicts)[i] = SpanVerdict::kTraceTooLarge;
          continue;
        }
        live->bytes = static_cast<uint32_t>(std::min<uint64_t>(live->bytes + size, UINT32_MAX));
      }
      live->last_seen_ms = now_ms;
    }
  }
}

size_t IngestLimiter::live_traces(const std::string& tenant) const {
  std::lock_guard lock(mu_);
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? 0 : it->second->live_count.load(std::memory_order_relaxed);
}

namespace {

uint64_t ValueBytes(const model::Batch& b, const model::AnyValue& v);

uint64_t AttrBytes(const model::Batch& b, model::Range r) {
  uint64_t n = 0;
  for (const auto& kv : b.Attributes(r)) n += 4 + kv.key.size() + ValueBytes(b, kv.value);
  return n;
}

uint64_t ValueBytes(const model::Batch& b, const model::AnyValue& v) {
  switch (v.kind) {
    case model::ValueKind::kString:
    case model::ValueKind::kBytes: return 2 + v.str.size();
    case model::ValueKind::kArray: {
      uint64_t n = 2;
      for (const auto& e : b.Values(v.children)) n += 2 + ValueBytes(b, e);
      return n;
    }
    case model::ValueKind::kKvList: return 2 + AttrBytes(b, v.children);
    default: return 9;
  }
}

}  // namespace

uint64_t EstimateSpanBytes(const model::Batch& b, const model::Span& s) {
  // Fixed part: ids (16+8+8), two timestamps, kind, flags, keys and lengths.
  uint64_t n = 60 + s.name.size() + s.trace_state.size() + s.status_message.size() + AttrBytes(b, s.attributes);
  for (const auto& e : b.Events(s.events)) n += 14 + e.name.size() + AttrBytes(b, e.attributes);
  for (const auto& l : b.Links(s.links)) n += 30 + l.trace_state.size() + AttrBytes(b, l.attributes);
  return n;
}

}  // namespace rubato::ingest
