#include "query/traceql/evaluate.h"

#include <algorithm>

#include "query/traceql/field_eval.h"
#include "query/traceql/span_relations.h"
#include "query/traceql/spanset_stages.h"

namespace rubato::query::traceql {

namespace {

// Runs one query over one trace. Like Tempo's engine, every spanset
// expression is a function of an input spanset (at first, the whole trace):
// `{A} | {B}` filters the spans A kept, and the two sides of `L op R` both
// see the same input.
class Evaluator {
 public:
  Evaluator(const Plan& plan, const TraceView& trace) : trace_(trace), fields_(plan, trace), relations_(trace) {}

  std::vector<WorkingSet> RunPipeline(const Pipeline& p, std::vector<WorkingSet> sets) {
    for (const Stage& stage : p.stages) {
      if (sets.empty()) break;
      switch (stage.kind) {
        case Stage::Kind::kSpanset: {
          std::vector<WorkingSet> next;
          for (const WorkingSet& set : sets) {
            for (WorkingSet& s : RunExpr(*stage.spanset, set)) next.push_back(std::move(s));
          }
          sets = std::move(next);
          break;
        }
        case Stage::Kind::kScalarFilter: sets = ScalarFilter(stage, std::move(sets), fields_); break;
        case Stage::Kind::kBy: sets = GroupBy(stage, std::move(sets), fields_, trace_); break;
        case Stage::Kind::kCoalesce: sets = Coalesce(std::move(sets), trace_.size()); break;
        case Stage::Kind::kSelect: break;  // shown by ResultAttributes
      }
    }
    return sets;
  }

 private:
  std::vector<WorkingSet> RunExpr(const SpansetExpr& e, const WorkingSet& input) {
    switch (e.kind) {
      case SpansetExpr::Kind::kFilter: return Filter(e, input);
      case SpansetExpr::Kind::kPipeline: return RunPipeline(*e.pipeline, {input});
      case SpansetExpr::Kind::kBinary: break;
    }
    std::vector<WorkingSet> l = RunExpr(*e.lhs, input);
    std::vector<WorkingSet> r = RunExpr(*e.rhs, input);
    std::vector<uint32_t> spans;
    switch (e.op) {
      case SpansetOp::kAnd:
        if (!l.empty() && !r.empty()) spans = Union(l, r);
        break;
      case SpansetOp::kOr:
        spans = Union(l, r);
        break;
      default:
        // Several spansets on a side (after by()) act as their union.
        spans = relations_.Apply(e.op, Union(l, {}), Union(r, {}));
        break;
    }
    if (spans.empty()) return {};
    return {WorkingSet{std::move(spans), input.attributes}};
  }

  // `{ cond }` keeps the input's spans that satisfy cond; `!{ cond }` keeps
  // all of them when none does (the parser gives it filter = `!cond`).
  std::vector<WorkingSet> Filter(const SpansetExpr& e, const WorkingSet& input) {
    if (e.negated) {
      if (!e.filter || input.spans.empty()) return {};
      for (uint32_t v : input.spans) {
        if (!fields_.Test(*e.filter, v)) return {};
      }
      return {input};
    }
    if (!e.filter) return input.spans.empty() ? std::vector<WorkingSet>{} : std::vector<WorkingSet>{input};
    WorkingSet out;
    for (uint32_t v : input.spans) {
      if (fields_.Test(*e.filter, v)) out.spans.push_back(v);
    }
    if (out.spans.empty()) return {};
    out.attributes = input.attributes;
    return {std::move(out)};
  }

  // Every span of every spanset in a and b, in increasing order.
  std::vector<uint32_t> Union(const std::vector<WorkingSet>& a, const std::vector<WorkingSet>& b) {
    if (a.size() + b.size() == 1) return (a.empty() ? b : a)[0].spans;
    std::vector<uint8_t> member(trace_.size(), 0);
    for (const auto* sets : {&a, &b}) {
      for (const WorkingSet& s : *sets) {
        for (uint32_t v : s.spans) member[v] = 1;
      }
    }
    std::vector<uint32_t> out;
    for (uint32_t v = 0; v < trace_.size(); ++v) {
      if (member[v]) out.push_back(v);
    }
    return out;
  }

  const TraceView& trace_;
  FieldEvaluator fields_;
  SpanRelations relations_;
};

// A span's place in start order, gathered once so sorting touches one array.
struct StartKey {
  uint64_t start;
  model::SpanId id;
  uint32_t span;
  bool operator<(const StartKey& o) const { return start != o.start ? start < o.start : id < o.id; }
};

void SortByStart(const TraceView& trace, std::vector<uint32_t>* spans, std::vector<StartKey>* keys) {
  keys->clear();
  for (uint32_t v : *spans) keys->push_back({trace.span(v).start_time_unix_nano, trace.span(v).span_id, v});
  if (!std::is_sorted(keys->begin(), keys->end())) std::sort(keys->begin(), keys->end());
  for (size_t k = 0; k < keys->size(); ++k) (*spans)[k] = (*keys)[k].span;
}

}  // namespace

std::vector<Spanset> Evaluate(const Plan& plan, const TraceView& trace) {
  if (trace.size() == 0 || !plan.query().pipeline) return {};
  WorkingSet all;
  all.spans.resize(trace.size());
  for (uint32_t v = 0; v < trace.size(); ++v) all.spans[v] = v;
  std::vector<WorkingSet> sets;
  sets.push_back(std::move(all));
  Evaluator evaluator(plan, trace);
  sets = evaluator.RunPipeline(*plan.query().pipeline, std::move(sets));

  std::vector<Spanset> out;
  out.reserve(sets.size());
  std::vector<StartKey> keys;
  for (WorkingSet& s : sets) {
    if (s.spans.empty()) continue;
    SortByStart(trace, &s.spans, &keys);
    out.push_back(Spanset{std::move(s.spans), std::move(s.attributes)});
  }
  return out;
}

}  // namespace rubato::query::traceql
