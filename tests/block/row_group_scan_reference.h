// The prefilter's meaning, written plainly over decoded spans, for
// row_group_scan_test.cc: which traces of a decoded row group a
// SpansetFilter certainly matches (values the scanner may only call "maybe",
// such as arrays and bytes, count as failing here), so that the scanner's
// candidates must include them and, on data without such values, equal them.
#pragma once

#include <algorithm>
#include <map>
#include <vector>

#include "store/block/block_reader.h"
#include "store/block/row_group_scan.h"

namespace rubato::store::block::testing_support {

enum class Ref : uint8_t { kFail, kPass, kMaybe, kMissing };

inline Ref RefValue(const ValueTest& t, const model::AnyValue& v) {
  auto of = [](bool b) { return b ? Ref::kPass : Ref::kFail; };
  switch (v.kind) {
    case model::ValueKind::kString:
      if (t.string_equals) return of(v.str == *t.string_equals);
      return t.string ? of(t.string(v.str)) : of(t.other_types);
    case model::ValueKind::kInt: return t.integer ? of(t.integer(v.integer)) : of(t.other_types);
    case model::ValueKind::kDouble: return t.real ? of(t.real(v.dbl)) : of(t.other_types);
    case model::ValueKind::kBool: return t.boolean ? of(t.boolean(v.boolean)) : of(t.other_types);
    default: return Ref::kMaybe;
  }
}

// Any passing value passes; else any maybe is maybe; no value: missing.
inline Ref RefAttrs(const model::Batch& b, model::Range attrs, const std::string& key, const ValueTest& t) {
  Ref out = Ref::kMissing;
  for (const model::KeyValue& kv : b.Attributes(attrs)) {
    if (kv.key != key) continue;
    Ref r = RefValue(t, kv.value);
    if (r == Ref::kPass || out == Ref::kMissing || (r == Ref::kMaybe && out == Ref::kFail)) out = r;
  }
  return out;
}

inline bool RefCertain(const ValueTest& t, Ref r) { return r == Ref::kPass || (r == Ref::kMissing && t.missing); }

class RefTrace {
 public:
  RefTrace(const model::Batch& b, const TraceEntry& t) : b_(b), first_(t.first_row), n_(t.span_count) {
    std::map<model::SpanId, uint32_t> by_id;
    for (uint32_t i = 0; i < n_; ++i) by_id.emplace(S(i).span_id, i);
    for (uint32_t i = 0; i < n_; ++i) {
      auto it = S(i).parent_span_id.IsZero() ? by_id.end() : by_id.find(S(i).parent_span_id);
      parent_.push_back(it == by_id.end() ? -1 : static_cast<int32_t>(it->second));
    }
  }

  // Spans of the trace (local indices) the filter certainly yields.
  std::vector<uint8_t> Eval(const SpansetFilter& f) const {
    using K = SpansetFilter::Kind;
    std::vector<uint8_t> out(n_, 0);
    std::vector<std::vector<uint8_t>> kids;
    for (const SpansetFilter& c : f.children) kids.push_back(Eval(c));
    auto any = [](const std::vector<uint8_t>& m) { return std::find(m.begin(), m.end(), 1) != m.end(); };
    switch (f.kind) {
      case K::kSpans:
        for (uint32_t i = 0; i < n_; ++i) {
          out[i] = std::all_of(f.predicates.begin(), f.predicates.end(),
                               [&](const SpanPredicate& p) { return RefCertain(p.test, Pred(p, i)); });
        }
        return out;
      case K::kIntersect:
        out.assign(n_, 1);
        for (auto& k : kids) for (uint32_t i = 0; i < n_; ++i) out[i] &= k[i];
        return out;
      case K::kUnion:
        for (auto& k : kids) for (uint32_t i = 0; i < n_; ++i) out[i] |= k[i];
        return out;
      case K::kAnd:
        if (!std::all_of(kids.begin(), kids.end(), any)) return out;
        for (auto& k : kids) for (uint32_t i = 0; i < n_; ++i) out[i] |= k[i];
        return out;
      case K::kMinCount:
        if (static_cast<uint32_t>(std::count(kids[0].begin(), kids[0].end(), 1)) >= f.count) return kids[0];
        return out;
      default: break;
    }
    const auto& lhs = kids[0];
    const auto& rhs = kids[1];
    for (uint32_t a = 0; a < n_; ++a) {
      for (uint32_t b = 0; b < n_; ++b) {
        if (!lhs[a] || !rhs[b] || !Related(f.kind, a, b)) continue;
        out[b] = 1;
        if (f.with_lhs) out[a] = 1;
      }
    }
    return out;
  }

 private:
  const model::Span& S(uint32_t i) const { return b_.spans[first_ + i]; }
  bool IsAncestor(uint32_t a, uint32_t b) const {  // a is a proper ancestor of b
    for (int32_t p = parent_[b], steps = 0; p >= 0 && steps <= static_cast<int32_t>(n_); p = parent_[p], ++steps) {
      if (static_cast<uint32_t>(p) == a) return true;
    }
    return false;
  }
  // Whether span b (rhs) relates to span a (lhs) as the operator asks.
  bool Related(SpansetFilter::Kind k, uint32_t a, uint32_t b) const {
    using K = SpansetFilter::Kind;
    switch (k) {
      case K::kChild: return parent_[b] == static_cast<int32_t>(a);
      case K::kParent: return parent_[a] == static_cast<int32_t>(b);
      case K::kDescendant: return IsAncestor(a, b);
      case K::kAncestor: return IsAncestor(b, a);
      default: return a != b && parent_[a] >= 0 && parent_[a] == parent_[b];  // kSibling
    }
  }
  Ref Pred(const SpanPredicate& p, uint32_t i) const {
    const model::Span& s = S(i);
    auto str = [&](std::string_view v) { return RefValue(p.test, model::AnyValue::String(v)); };
    auto num = [&](int64_t v) { return RefValue(p.test, model::AnyValue::Int(v)); };
    const model::Resource& res = b_.ResourceOf(s);
    switch (p.field) {
      case SpanField::kName: return str(s.name);
      case SpanField::kKind: return num(static_cast<int64_t>(s.kind));
      case SpanField::kStatus: return num(static_cast<int64_t>(s.status_code));
      case SpanField::kStatusMessage: return str(s.status_message);
      case SpanField::kDuration:
        return s.end_time_unix_nano < s.start_time_unix_nano ? Ref::kMaybe
                                                             : num(static_cast<int64_t>(s.duration_nanos()));
      case SpanField::kScopeName: return str(b_.ScopeOf(s).name);
      case SpanField::kScopeVersion: return str(b_.ScopeOf(s).version);
      case SpanField::kResourceAttribute: return RefAttrs(b_, res.attributes, p.key, p.test);
      case SpanField::kSpanAttribute: return RefAttrs(b_, s.attributes, p.key, p.test);
      case SpanField::kAttribute: {
        Ref r = RefAttrs(b_, s.attributes, p.key, p.test);
        return r == Ref::kMissing ? RefAttrs(b_, res.attributes, p.key, p.test) : r;
      }
      case SpanField::kTraceRootName:
      case SpanField::kTraceRootService: {
        Ref out = Ref::kMissing;
        for (uint32_t j = 0; j < n_; ++j) {
          if (!S(j).parent_span_id.IsZero()) continue;
          Ref r = p.field == SpanField::kTraceRootName
                      ? RefValue(p.test, model::AnyValue::String(S(j).name))
                      : RefAttrs(b_, b_.ResourceOf(S(j)).attributes, "service.name", p.test);
          if (RefCertain(p.test, r)) return Ref::kPass;
          out = Ref::kFail;
        }
        return out;
      }
      case SpanField::kTraceDuration: {
        uint64_t lo = UINT64_MAX, hi = 0;
        for (uint32_t j = 0; j < n_; ++j) {
          lo = std::min(lo, S(j).start_time_unix_nano);
          hi = std::max(hi, S(j).end_time_unix_nano);
        }
        return hi < lo ? Ref::kMaybe : num(static_cast<int64_t>(hi - lo));
      }
    }
    return Ref::kMaybe;
  }

  const model::Batch& b_;
  uint32_t first_, n_;
  std::vector<int32_t> parent_;
};

// Indices (into `rg.traces`) of the traces the filter certainly matches.
inline std::vector<uint32_t> RefCandidates(const DecodedRowGroup& rg, const SpansetFilter& f) {
  std::vector<uint32_t> out;
  for (uint32_t t = 0; t < rg.traces.size(); ++t) {
    auto m = RefTrace(rg.batch, rg.traces[t]).Eval(f);
    if (std::find(m.begin(), m.end(), 1) != m.end()) out.push_back(t);
  }
  return out;
}

}  // namespace rubato::store::block::testing_support
