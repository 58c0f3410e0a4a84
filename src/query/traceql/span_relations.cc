#include "query/traceql/span_relations.h"

#include <unordered_map>

namespace rubato::query::traceql {

const std::vector<uint32_t>& SpanRelations::TopDown() {
  if (top_down_built_) return top_down_;
  top_down_built_ = true;
  const uint32_t n = trace_.size();
  top_down_.reserve(n);
  for (uint32_t v = 0; v < n; ++v) {
    if (trace_.parent(v) < 0) top_down_.push_back(v);
  }
  // Breadth first: the list is its own queue. Spans on a parent cycle (bad
  // data) are never reached, so they have no ancestors nor descendants.
  for (size_t k = 0; k < top_down_.size(); ++k) {
    for (uint32_t child : trace_.children(top_down_[k])) top_down_.push_back(child);
  }
  return top_down_;
}

void SpanRelations::Related(Relation rel, const std::vector<uint8_t>& marked, std::vector<uint8_t>* out) {
  const uint32_t n = trace_.size();
  out->assign(n, 0);
  std::vector<uint8_t>& o = *out;
  switch (rel) {
    case Relation::kChildOf:
      for (uint32_t v = 0; v < n; ++v) {
        const int32_t p = trace_.parent(v);
        o[v] = p >= 0 && marked[p];
      }
      break;
    case Relation::kParentOf:
      for (uint32_t v = 0; v < n; ++v) {
        const int32_t p = trace_.parent(v);
        if (p >= 0 && marked[v]) o[p] = 1;
      }
      break;
    case Relation::kDescendantOf:
      for (uint32_t v : TopDown()) {
        const int32_t p = trace_.parent(v);
        o[v] = p >= 0 && (marked[p] || o[p]);
      }
      break;
    case Relation::kAncestorOf: {
      const std::vector<uint32_t>& order = TopDown();
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const int32_t p = trace_.parent(*it);
        if (p >= 0 && (marked[*it] || o[*it])) o[p] = 1;
      }
      break;
    }
    case Relation::kSiblingOf: {
      // Marked children per parent; a span's siblings are the others. Spans
      // whose parent is absent are siblings when they name the same parent ID.
      std::vector<uint32_t> marked_children(n, 0);
      std::unordered_map<model::SpanId, uint32_t, model::IdHash> marked_orphans;
      for (uint32_t v = 0; v < n; ++v) {
        if (!marked[v]) continue;
        const int32_t p = trace_.parent(v);
        if (p >= 0) {
          ++marked_children[p];
        } else if (!trace_.span(v).is_root()) {
          ++marked_orphans[trace_.span(v).parent_span_id];
        }
      }
      for (uint32_t v = 0; v < n; ++v) {
        const int32_t p = trace_.parent(v);
        if (p >= 0) {
          o[v] = marked_children[p] > marked[v];
        } else if (!marked_orphans.empty() && !trace_.span(v).is_root()) {
          auto it = marked_orphans.find(trace_.span(v).parent_span_id);
          o[v] = it != marked_orphans.end() && it->second > marked[v];
        }
      }
      break;
    }
  }
}

std::vector<uint32_t> SpanRelations::Apply(SpansetOp op, std::span<const uint32_t> l, std::span<const uint32_t> r) {
  Relation rel = Relation::kChildOf, inverse = Relation::kParentOf;
  bool negated = false, with_left = false;
  switch (op) {
    case SpansetOp::kUnionChild: with_left = true; [[fallthrough]];
    case SpansetOp::kChild: rel = Relation::kChildOf; inverse = Relation::kParentOf; break;
    case SpansetOp::kUnionParent: with_left = true; [[fallthrough]];
    case SpansetOp::kParent: rel = Relation::kParentOf; inverse = Relation::kChildOf; break;
    case SpansetOp::kUnionDescendant: with_left = true; [[fallthrough]];
    case SpansetOp::kDescendant: rel = Relation::kDescendantOf; inverse = Relation::kAncestorOf; break;
    case SpansetOp::kUnionAncestor: with_left = true; [[fallthrough]];
    case SpansetOp::kAncestor: rel = Relation::kAncestorOf; inverse = Relation::kDescendantOf; break;
    case SpansetOp::kUnionSibling: with_left = true; [[fallthrough]];
    case SpansetOp::kSibling: rel = inverse = Relation::kSiblingOf; break;
    case SpansetOp::kNotChild: negated = true; rel = Relation::kChildOf; break;
    case SpansetOp::kNotParent: negated = true; rel = Relation::kParentOf; break;
    case SpansetOp::kNotDescendant: negated = true; rel = Relation::kDescendantOf; break;
    case SpansetOp::kNotAncestor: negated = true; rel = Relation::kAncestorOf; break;
    case SpansetOp::kNotSibling: negated = true; rel = Relation::kSiblingOf; break;
    case SpansetOp::kAnd:
    case SpansetOp::kOr: return {};  // not structural
  }
  std::vector<uint32_t> out;
  if (r.empty()) return out;
  if (l.empty()) {
    // Nothing relates to an empty set: the negations keep all of r.
    if (negated) out.assign(r.begin(), r.end());
    return out;
  }
  const uint32_t n = trace_.size();
  std::vector<uint8_t> in_l(n, 0), in_r(n, 0), right_ok, left_ok;
  for (uint32_t v : l) in_l[v] = 1;
  for (uint32_t v : r) in_r[v] = 1;
  Related(rel, in_l, &right_ok);
  if (with_left) Related(inverse, in_r, &left_ok);
  for (uint32_t v = 0; v < n; ++v) {
    const bool keep_right = in_r[v] && (negated ? !right_ok[v] : right_ok[v]);
    const bool keep_left = with_left && in_l[v] && left_ok[v];
    if (keep_right || keep_left) out.push_back(v);
  }
  return out;
}

}  // namespace rubato::query::traceql
