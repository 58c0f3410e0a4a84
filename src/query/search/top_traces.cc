#include "query/search/top_traces.h"

namespace rubato::query::search {

bool TopTraces::Admits(const model::TraceId& id, uint64_t start) const {
  std::lock_guard lock(mu_);
  if (best_.size() < limit_) return true;
  if (start_of_.count(id)) return true;
  return limit_ > 0 && Key{start, id} < std::prev(best_.end())->first;
}

bool TopTraces::Holds(const model::TraceId& id) const {
  std::lock_guard lock(mu_);
  return start_of_.count(id) != 0;
}

void TopTraces::Offer(TraceResult piece) {
  std::lock_guard lock(mu_);
  auto held = start_of_.find(piece.id);
  if (held != start_of_.end()) {
    auto node = best_.extract(Key{held->second, piece.id});
    MergeTraceResult(std::move(piece), &node.mapped(), spss_);
    node.key() = Key{node.mapped().start_unix_nano, node.mapped().id};
    held->second = node.key().start;
    best_.insert(std::move(node));
    UpdateStopBelow();
    return;
  }
  if (piece.spansets.empty() || limit_ == 0) return;
  Key key{piece.start_unix_nano, piece.id};
  if (best_.size() >= limit_) {
    auto worst = std::prev(best_.end());
    if (!(key < worst->first)) return;
    start_of_.erase(worst->first.id);
    best_.erase(worst);
  }
  start_of_[piece.id] = key.start;
  best_.emplace(key, std::move(piece));
  UpdateStopBelow();
}

void TopTraces::UpdateStopBelow() {
  uint64_t v = best_.size() >= limit_ && !best_.empty() ? std::prev(best_.end())->first.start : 0;
  stop_below_.store(v, std::memory_order_relaxed);
}

std::vector<TraceResult> TopTraces::Take() {
  std::lock_guard lock(mu_);
  std::vector<TraceResult> out;
  out.reserve(best_.size());
  for (auto& [key, r] : best_) out.push_back(std::move(r));
  best_.clear();
  start_of_.clear();
  stop_below_.store(0);
  return out;
}

}  // namespace rubato::query::search
