// The structural spanset operators (> < >> << ~, their negations !> …, and
// their unions &> …) over one trace's span tree. Each runs in O(spans): sets
// are marked in flag arrays and the tree is walked once in parent-before-child
// order, so a 10k-span trace costs no more than a few passes over it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "query/traceql/ast.h"
#include "query/traceql/trace_view.h"

namespace rubato::query::traceql {

class SpanRelations {
 public:
  explicit SpanRelations(const TraceView& trace) : trace_(trace) {}

  // `l op r` for a structural op: the spans of r that op keeps (and, for the
  // union ops, the spans of l they relate to). Inputs and result are trace
  // view indices in increasing order.
  std::vector<uint32_t> Apply(SpansetOp op, std::span<const uint32_t> l, std::span<const uint32_t> r);

 private:
  // "v is a child of / the parent of / a descendant of / an ancestor of /
  // a sibling of some marked span".
  enum class Relation : uint8_t { kChildOf, kParentOf, kDescendantOf, kAncestorOf, kSiblingOf };

  // out[v] = 1 when span v stands in `rel` to some span with marked[v'] = 1.
  void Related(Relation rel, const std::vector<uint8_t>& marked, std::vector<uint8_t>* out);
  // Every span reachable from a span without a parent, parents first (built once).
  const std::vector<uint32_t>& TopDown();

  const TraceView& trace_;
  std::vector<uint32_t> top_down_;
  bool top_down_built_ = false;
};

}  // namespace rubato::query::traceql
