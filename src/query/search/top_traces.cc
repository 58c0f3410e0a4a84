#include "query/search/top_traces.h"

namespace rubato::query::search {

bool TopTraces::Admits(const model::TraceId& id, uint64_t start) const {
  std::lock_guard lock(mu_);
  if (limit_ == 0) return false;
  if (!bound_ || start_of_.count(id)) return true;
  return Key{start, id} < *bound_;
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
    Settle();
    return;
  }
  if (piece.spansets.empty() || limit_ == 0) return;
  Key key{piece.start_unix_nano, piece.id};
  if (bound_ && !(key < *bound_)) return;
  start_of_[piece.id] = key.start;
  best_.emplace(key, std::move(piece));
  Settle();
}

void TopTraces::Settle() {
  uint32_t settled = 0;
  auto it = best_.begin();
  for (; it != best_.end(); ++it) {
    if (it->second.has_root && ++settled == limit_) break;
  }
  if (it == best_.end()) {
    bound_.reset();
    stop_below_.store(0, std::memory_order_relaxed);
    return;
  }
  bound_ = it->first;
  for (auto drop = std::next(it); drop != best_.end();) {
    start_of_.erase(drop->first.id);
    drop = best_.erase(drop);
  }
  stop_below_.store(bound_->start, std::memory_order_relaxed);
}

std::vector<TraceResult> TopTraces::Take() {
  std::lock_guard lock(mu_);
  std::vector<TraceResult> out;
  out.reserve(best_.size());
  for (auto& [key, r] : best_) out.push_back(std::move(r));
  best_.clear();
  start_of_.clear();
  bound_.reset();
  stop_below_.store(0);
  return out;
}

}  // namespace rubato::query::search
