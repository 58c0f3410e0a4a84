// CheckNesting: the depth limit on the parsed tree (see kMaxNesting in parser.h).
#include "query/traceql/parser.h"

namespace rubato::query::traceql {
namespace {

// Walks the tree; stops at the first node deeper than kMaxNesting.
class DepthWalk {
 public:
  bool too_deep() const { return too_deep_; }
  Pos where() const { return where_; }

  void Pipeline(const traceql::Pipeline& p, int depth) {
    if (Enter(p.pos, depth)) return;
    for (const Stage& s : p.stages) {
      if (s.spanset) Spanset(*s.spanset, depth + 1);
      if (s.lhs) Scalar(*s.lhs, depth + 1);
      if (s.rhs) Scalar(*s.rhs, depth + 1);
      for (const auto& f : s.fields) Field(*f, depth + 1);
    }
  }

 private:
  // True (and the walk stops) once a node is too deep.
  bool Enter(Pos pos, int depth) {
    if (too_deep_) return true;
    if (depth <= kMaxNesting) return false;
    too_deep_ = true;
    where_ = pos;
    return true;
  }

  void Spanset(const SpansetExpr& e, int depth) {
    if (Enter(e.pos, depth)) return;
    if (e.filter) Field(*e.filter, depth + 1);
    if (e.lhs) Spanset(*e.lhs, depth + 1);
    if (e.rhs) Spanset(*e.rhs, depth + 1);
    if (e.pipeline) Pipeline(*e.pipeline, depth + 1);
  }

  void Scalar(const ScalarExpr& e, int depth) {
    if (Enter(e.pos, depth)) return;
    if (e.argument) Field(*e.argument, depth + 1);
    if (e.lhs) Scalar(*e.lhs, depth + 1);
    if (e.rhs) Scalar(*e.rhs, depth + 1);
  }

  void Field(const FieldExpr& e, int depth) {
    if (Enter(e.pos, depth)) return;
    if (e.lhs) Field(*e.lhs, depth + 1);
    if (e.rhs) Field(*e.rhs, depth + 1);
  }

  bool too_deep_ = false;
  Pos where_;
};

}  // namespace

Status CheckNesting(const Query& q) {
  if (!q.pipeline) return Status::Ok();
  DepthWalk walk;
  walk.Pipeline(*q.pipeline, 1);
  if (!walk.too_deep()) return Status::Ok();
  return Status::InvalidArgument(Where(walk.where()) + "query nests too deeply (more than " +
                                 std::to_string(kMaxNesting) + " levels)");
}

}  // namespace rubato::query::traceql
