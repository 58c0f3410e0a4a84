#include "query/traceql/spanset_stages.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace rubato::query::traceql {

namespace {

bool IsNumber(const Value& v) {
  return v.kind == VKind::kInt || v.kind == VKind::kFloat || v.kind == VKind::kDuration;
}

double AsDouble(const Value& v) { return v.kind == VKind::kFloat ? v.f : static_cast<double>(v.i); }

bool NumberLess(const Value& a, const Value& b) {
  if (a.kind != VKind::kFloat && b.kind != VKind::kFloat) return a.i < b.i;
  return AsDouble(a) < AsDouble(b);
}

std::string AggregateKey(const ScalarExpr& e) {
  static constexpr const char* kNames[] = {"count", "avg", "min", "max", "sum"};
  std::string key = kNames[static_cast<int>(e.aggregate)];
  key += '(';
  if (e.argument) key += ToString(*e.argument);
  key += ')';
  return key;
}

// Sum and average: integers (and durations) are summed exactly; any float
// makes the result a float; a duration among the values makes it a duration.
Value SumOrAverage(bool average, const std::vector<Value>& values) {
  __int128 exact = 0;
  double approx = 0;
  bool any_float = false, any_duration = false;
  for (const Value& v : values) {
    any_float |= v.kind == VKind::kFloat;
    any_duration |= v.kind == VKind::kDuration;
    if (v.kind != VKind::kFloat) exact += v.i;
    approx += AsDouble(v);
  }
  const double count = static_cast<double>(values.size());
  if (any_float) return Value::Float(average ? approx / count : approx);
  const double total = static_cast<double>(exact);
  if (average) {
    return any_duration ? Value::Duration(static_cast<int64_t>(std::llround(total / count))) : Value::Float(total / count);
  }
  if (exact > INT64_MAX || exact < INT64_MIN) return Value::Float(total);
  const int64_t sum = static_cast<int64_t>(exact);
  return any_duration ? Value::Duration(sum) : Value::Int(sum);
}

// An aggregate over one spanset; Missing when no span has a numeric value.
Value Aggregate(const ScalarExpr& e, const WorkingSet& set, FieldEvaluator& fields, std::vector<Value>* scratch) {
  if (e.aggregate == AggregateOp::kCount) return Value::Int(static_cast<int64_t>(set.spans.size()));
  if (!e.argument) return Value::Missing();
  scratch->clear();
  for (uint32_t span : set.spans) {
    Value v = fields.Eval(*e.argument, span);
    if (IsNumber(v)) scratch->push_back(v);
  }
  if (scratch->empty()) return Value::Missing();
  switch (e.aggregate) {
    case AggregateOp::kAvg: return SumOrAverage(true, *scratch);
    case AggregateOp::kSum: return SumOrAverage(false, *scratch);
    case AggregateOp::kMin: return *std::min_element(scratch->begin(), scratch->end(), NumberLess);
    case AggregateOp::kMax: return *std::max_element(scratch->begin(), scratch->end(), NumberLess);
    case AggregateOp::kCount: break;
  }
  return Value::Missing();
}

// The value of a scalar expression over one spanset, recording each
// aggregate it computes in *attrs.
Value Scalar(const ScalarExpr& e, const WorkingSet& set, FieldEvaluator& fields, std::vector<Value>* scratch,
             std::vector<SpansetAttribute>* attrs) {
  switch (e.kind) {
    case ScalarExpr::Kind::kStatic:
      return FromStatic(e.value);
    case ScalarExpr::Kind::kAggregate: {
      Value v = Aggregate(e, set, fields, scratch);
      if (v.present()) SetAttribute(attrs, MakeSpansetAttribute(AggregateKey(e), v));
      return v;
    }
    case ScalarExpr::Kind::kBinary:
      return Arithmetic(e.binary, Scalar(*e.lhs, set, fields, scratch, attrs), Scalar(*e.rhs, set, fields, scratch, attrs));
  }
  return Value::Missing();
}

struct TupleHash {
  uint64_t operator()(const std::vector<Value>& t) const {
    uint64_t h = 0;
    for (const Value& v : t) h = h * 0x9e3779b97f4a7c15ULL + HashValue(v);
    return h;
  }
};
struct TupleEqual {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    for (size_t k = 0; k < a.size(); ++k) {
      if (!SameValue(a[k], b[k])) return false;
    }
    return true;
  }
};

}  // namespace

bool StartsBefore(const TraceView& trace, uint32_t a, uint32_t b) {
  const model::Span& x = trace.span(a);
  const model::Span& y = trace.span(b);
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

SpansetAttribute MakeSpansetAttribute(std::string key, const Value& v) {
  SpansetAttribute a;
  a.key = std::move(key);
  switch (v.kind) {
    case VKind::kString:
      a.type = ValueType::kString;
      if (v.hex_len) {
        a.storage = std::make_shared<const std::string>(v.str());
        a.value = model::AnyValue::String(*a.storage);
      } else {
        a.value = model::AnyValue::String(v.s);
      }
      break;
    case VKind::kInt: a.type = ValueType::kInt; a.value = model::AnyValue::Int(v.i); break;
    case VKind::kFloat: a.type = ValueType::kFloat; a.value = model::AnyValue::Double(v.f); break;
    case VKind::kBool: a.type = ValueType::kBool; a.value = model::AnyValue::Bool(v.b); break;
    case VKind::kDuration: a.type = ValueType::kDuration; a.value = model::AnyValue::Int(v.i); break;
    case VKind::kStatus: a.type = ValueType::kStatus; a.value = model::AnyValue::String(StatusName(v.i)); break;
    case VKind::kKind: a.type = ValueType::kKind; a.value = model::AnyValue::String(KindName(v.i)); break;
    case VKind::kArray:
      a.value = model::AnyValue::Array(v.elems);
      a.batch = v.batch;
      break;
    case VKind::kMissing:
    case VKind::kNil: a.type = ValueType::kNil; break;
    case VKind::kOpaque: break;  // bytes or a key-value list: shown as empty
  }
  return a;
}

void SetAttribute(std::vector<SpansetAttribute>* attrs, SpansetAttribute a) {
  for (SpansetAttribute& existing : *attrs) {
    if (existing.key == a.key) {
      existing = std::move(a);
      return;
    }
  }
  attrs->push_back(std::move(a));
}

std::vector<WorkingSet> ScalarFilter(const Stage& stage, std::vector<WorkingSet> in, FieldEvaluator& fields) {
  std::vector<WorkingSet> out;
  std::vector<Value> scratch;
  for (WorkingSet& set : in) {
    std::vector<SpansetAttribute> attrs = set.attributes;
    Value l = Scalar(*stage.lhs, set, fields, &scratch, &attrs);
    Value r = Scalar(*stage.rhs, set, fields, &scratch, &attrs);
    if (!CompareValues(stage.comparison, l, r, nullptr)) continue;
    set.attributes = std::move(attrs);
    out.push_back(std::move(set));
  }
  return out;
}

std::vector<WorkingSet> GroupBy(const Stage& stage, std::vector<WorkingSet> in, FieldEvaluator& fields,
                                const TraceView& trace) {
  std::vector<std::string> keys;
  for (const auto& f : stage.fields) keys.push_back("by(" + ToString(*f) + ")");
  std::vector<WorkingSet> out;
  for (WorkingSet& set : in) {
    // Visit spans by start time, so groups come in order of their earliest span.
    std::vector<uint32_t> by_start = set.spans;
    std::sort(by_start.begin(), by_start.end(), [&](uint32_t a, uint32_t b) { return StartsBefore(trace, a, b); });
    std::unordered_map<std::vector<Value>, size_t, TupleHash, TupleEqual> group_of;
    std::vector<const std::vector<Value>*> group_keys;
    const size_t first = out.size();
    std::vector<Value> tuple(stage.fields.size());
    for (uint32_t span : by_start) {
      for (size_t k = 0; k < tuple.size(); ++k) tuple[k] = fields.Eval(*stage.fields[k], span);
      auto [it, inserted] = group_of.try_emplace(tuple, out.size());
      if (inserted) {
        out.emplace_back().attributes = set.attributes;
        group_keys.push_back(&it->first);
      }
      out[it->second].spans.push_back(span);
    }
    for (size_t g = first; g < out.size(); ++g) {
      std::sort(out[g].spans.begin(), out[g].spans.end());
      const std::vector<Value>& tuple_of_group = *group_keys[g - first];
      for (size_t k = 0; k < keys.size(); ++k) {
        SetAttribute(&out[g].attributes, MakeSpansetAttribute(keys[k], tuple_of_group[k]));
      }
    }
  }
  return out;
}

std::vector<WorkingSet> Coalesce(std::vector<WorkingSet> in, uint32_t trace_size) {
  if (in.empty()) return {};
  if (in.size() == 1) {
    in[0].attributes.clear();
    return in;
  }
  std::vector<uint8_t> member(trace_size, 0);
  for (const WorkingSet& set : in) {
    for (uint32_t v : set.spans) member[v] = 1;
  }
  std::vector<WorkingSet> out(1);
  for (uint32_t v = 0; v < trace_size; ++v) {
    if (member[v]) out[0].spans.push_back(v);
  }
  return out;
}

}  // namespace rubato::query::traceql
