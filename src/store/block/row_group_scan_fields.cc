// The prefilter's predicates, one evaluator per span field: dictionary-coded
// columns by code, the resource and scope tables once per entry then by
// index, durations from the rebuilt span times, per-trace fields from the
// trace's root rows.
#include <algorithm>

#include "store/block/row_group_internal.h"
#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block::scan {
namespace {

using model::ValueKind;

State Of(bool pass) { return pass ? kPass : kFail; }
bool Passes(const ValueTest& test, uint8_t state) { return state == kPass || (state == kMissing && test.missing); }

// Rows whose mask is still set keep it only if `pass(row)`.
template <typename F>
void Narrow(std::vector<uint8_t>* mask, F pass) {
  uint8_t* m = mask->data();
  for (uint32_t r = 0, n = static_cast<uint32_t>(mask->size()); r < n; ++r) {
    if (m[r] != 0) m[r] = pass(r) ? 1 : 0;
  }
}

Status ApplyDictColumn(RowGroupData& data, Column column, const ValueTest& test, std::vector<uint8_t>* mask) {
  CodeTest strings;
  if (Status s = strings.Init(data, test); !s.ok()) return s;
  if (strings.None()) {  // not in this row group's dictionary: no row can pass
    std::fill(mask->begin(), mask->end(), 0);
    return Status::Ok();
  }
  auto codes = data.Codes(column);
  if (!codes.ok()) return codes.status();
  const uint32_t size = data.DictSize();
  for (uint32_t c : **codes) {
    if (c >= size) return data.Corrupt(column, "dictionary code out of range");
  }
  const uint32_t* v = (*codes)->data();
  Narrow(mask, [&](uint32_t r) { return strings.Pass(v[r]); });
  return Status::Ok();
}

// Kind and status: small integers, each value tested once.
Status ApplySmallInts(RowGroupData& data, Column column, const ValueTest& test, std::vector<uint8_t>* mask) {
  auto codes = data.Codes(column);
  if (!codes.ok()) return codes.status();
  int8_t memo[64];
  std::fill(std::begin(memo), std::end(memo), -1);
  auto pass = [&](uint32_t v) {
    // Negative values are stored as their 32-bit two's complement (block.md).
    int64_t value = static_cast<int32_t>(v);
    if (v >= 64) return TestInt(test, value) == kPass;
    if (memo[v] < 0) memo[v] = TestInt(test, value) == kPass;
    return memo[v] == 1;
  };
  const uint32_t* v = (*codes)->data();
  Narrow(mask, [&](uint32_t r) { return pass(v[r]); });
  return Status::Ok();
}

Status ApplyDuration(RowGroupData& data, const ValueTest& test, std::vector<uint8_t>* mask) {
  auto times = data.SpanTimes();
  if (!times.ok()) return times.status();
  const uint64_t* s = (*times)->start.data();
  const uint64_t* e = (*times)->end.data();
  Narrow(mask, [&](uint32_t r) {
    // A span ending before it starts, or lasting over 292 years: maybe.
    if (e[r] < s[r] || e[r] - s[r] > static_cast<uint64_t>(INT64_MAX)) return true;
    return TestInt(test, static_cast<int64_t>(e[r] - s[r])) == kPass;
  });
  return Status::Ok();
}

// The state of `key` in an attribute list (kMissing when absent; any passing value passes).
State ListState(const model::Batch& batch, model::Range attrs, const std::string& key, const ValueTest& test) {
  uint8_t st = kMissing;
  for (const model::KeyValue& kv : batch.Attributes(attrs)) {
    if (kv.key != key) continue;
    State s = TestValue(test, kv.value);
    if (st != kPass) st = s;
  }
  return static_cast<State>(st);
}

Result<std::vector<uint8_t>> ResourceStates(RowGroupData& data, const std::string& key, const ValueTest& test) {
  auto table = data.Resources();
  if (!table.ok()) return table.status();
  std::vector<uint8_t> states;
  for (model::Range attrs : **table) states.push_back(ListState(data.scratch(), attrs, key, test));
  return states;
}

// Per-row states through a per-row index into a table of states.
Status RowsOf(RowGroupData& data, Column index, const std::vector<uint8_t>& table, std::vector<uint8_t>* rows) {
  auto codes = data.Codes(index);
  if (!codes.ok()) return codes.status();
  rows->resize(data.rows());
  for (uint32_t r = 0; r < data.rows(); ++r) {
    uint32_t i = (**codes)[r];
    if (i >= table.size()) return data.Corrupt(index, "table index out of range");
    (*rows)[r] = table[i];
  }
  return Status::Ok();
}

// Rows keep their mask bit when their entry of a table (by a per-row index) passes.
Status NarrowByTable(RowGroupData& data, Column index, const std::vector<uint8_t>& pass, std::vector<uint8_t>* mask) {
  auto codes = data.Codes(index);
  if (!codes.ok()) return codes.status();
  const uint32_t* v = (*codes)->data();
  const size_t size = pass.size();
  for (uint32_t r = 0; r < data.rows(); ++r) {
    if (v[r] >= size) return data.Corrupt(index, "table index out of range");
  }
  Narrow(mask, [&](uint32_t r) { return pass[v[r]] != 0; });
  return Status::Ok();
}

Status ApplyScope(RowGroupData& data, bool version, const ValueTest& test, std::vector<uint8_t>* mask) {
  auto scopes = data.Scopes();
  if (!scopes.ok()) return scopes.status();
  std::vector<uint8_t> pass;
  for (const RowGroupData::ScopeEntry& e : **scopes) pass.push_back(TestString(test, version ? e.version : e.name) == kPass);
  return NarrowByTable(data, kSpanScope, pass, mask);
}

Status ApplyResourceAttribute(RowGroupData& data, const SpanPredicate& p, std::vector<uint8_t>* mask) {
  auto table = ResourceStates(data, p.key, p.test);
  if (!table.ok()) return table.status();
  std::vector<uint8_t> pass;
  for (uint8_t st : *table) pass.push_back(Passes(p.test, st));
  return NarrowByTable(data, kSpanResource, pass, mask);
}

// Span attribute; for kAttribute, the resource's where the span lacks the key.
Status ApplySpanAttribute(RowGroupData& data, const SpanPredicate& p, bool or_resource, std::vector<uint8_t>* mask) {
  if (!or_resource && !p.test.missing) {  // then only a passing value lets a row pass
    auto none = NoValuePasses(data, p.key, p.test);
    if (!none.ok()) return none.status();
    if (*none) {
      std::fill(mask->begin(), mask->end(), 0);
      return Status::Ok();
    }
  }
  std::vector<uint8_t> states;
  if (Status s = SpanAttributeStates(data, p.key, p.test, *mask, &states); !s.ok()) return s;
  if (or_resource) {
    auto table = ResourceStates(data, p.key, p.test);
    if (!table.ok()) return table.status();
    std::vector<uint8_t> rows;
    if (Status s = RowsOf(data, kSpanResource, *table, &rows); !s.ok()) return s;
    for (uint32_t r = 0; r < data.rows(); ++r) {
      if (states[r] == kMissing) states[r] = rows[r];
    }
  }
  Narrow(mask, [&](uint32_t r) { return Passes(p.test, states[r]); });
  return Status::Ok();
}

// Per-trace fields: every row of a trace gets the trace's state.
Status ApplyTraceField(RowGroupData& data, const SpanPredicate& p, std::vector<uint8_t>* mask) {
  std::vector<uint8_t> row_states;  // of root rows (kRootName, kRootService)
  const Times* times = nullptr;
  const std::vector<uint32_t>* parents = nullptr;
  if (p.field == SpanField::kTraceDuration) {
    auto t = data.SpanTimes();
    if (!t.ok()) return t.status();
    times = *t;
  } else {
    auto codes = data.Codes(kSpanParent);
    if (!codes.ok()) return codes.status();
    parents = *codes;
    row_states.assign(data.rows(), kPass);
    if (p.field == SpanField::kTraceRootName) {
      if (Status s = ApplyDictColumn(data, kSpanName, p.test, &row_states); !s.ok()) return s;
    } else {
      auto table = ResourceStates(data, "service.name", p.test);
      if (!table.ok()) return table.status();
      if (Status s = RowsOf(data, kSpanResource, *table, &row_states); !s.ok()) return s;
    }
  }
  for (const IndexEntry& e : data.page().traces) {
    uint32_t begin = e.first_row, end = e.first_row + e.span_count;
    bool pass;
    if (times != nullptr) {
      uint64_t lo = UINT64_MAX, hi = 0;
      for (uint32_t r = begin; r < end; ++r) {
        lo = std::min(lo, times->start[r]);
        hi = std::max(hi, times->end[r]);
      }
      // Ending before it starts, or lasting over 292 years: maybe.
      pass = hi < lo || hi - lo > static_cast<uint64_t>(INT64_MAX) ||
             TestInt(p.test, static_cast<int64_t>(hi - lo)) == kPass;
    } else {
      // Any root (zero parent) may be the one the evaluator takes; none: the value is missing.
      bool any_root = false;
      pass = false;
      for (uint32_t r = begin; r < end && !pass; ++r) {
        if ((*parents)[r] != 0) continue;
        any_root = true;
        pass = Passes(p.test, row_states[r]);
      }
      if (!any_root) pass = p.test.missing;
    }
    if (!pass) std::fill(mask->begin() + begin, mask->begin() + end, 0);
  }
  return Status::Ok();
}

}  // namespace

State TestString(const ValueTest& test, std::string_view s) { return Of(test.PassesString(s)); }
State TestInt(const ValueTest& test, int64_t v) { return Of(test.PassesInt(v)); }
State TestDouble(const ValueTest& test, double v) { return Of(test.PassesReal(v)); }
State TestBool(const ValueTest& test, bool v) { return Of(test.PassesBool(v)); }

State TestValue(const ValueTest& test, const model::AnyValue& v) {
  switch (v.kind) {
    case ValueKind::kString: return TestString(test, v.str);
    case ValueKind::kInt: return TestInt(test, v.integer);
    case ValueKind::kDouble: return TestDouble(test, v.dbl);
    case ValueKind::kBool: return TestBool(test, v.boolean);
    default: return kPass;  // empty, bytes, arrays, kvlists: not compared here, so maybe
  }
}

Status CodeTest::Init(RowGroupData& data, const ValueTest& test) {
  data_ = &data;
  if (test.string_equals) {
    auto code = data.FindString(*test.string_equals);
    if (!code.ok()) return code.status();
    equals_ = true;
    code_ = *code;
    return Status::Ok();
  }
  auto dict = data.Dict();
  if (!dict.ok()) return dict.status();
  if (test.string) {
    fn_ = &test.string;
    memo_.assign(data.DictSize(), -1);
  } else {  // no string test: every string passes or every one fails
    memo_.assign(data.DictSize(), test.other_types ? 1 : 0);
    static const std::function<bool(std::string_view)> unused;
    fn_ = &unused;
  }
  return Status::Ok();
}

Result<bool> NoRowCanPass(RowGroupData& data, const SpanPredicate& p) {
  switch (p.field) {
    case SpanField::kName:
    case SpanField::kStatusMessage:
    case SpanField::kResourceAttribute:
    case SpanField::kSpanAttribute:
    case SpanField::kAttribute: break;
    default: return false;
  }
  const ValueTest& test = p.test;
  bool other_tests = test.integer || test.integer_between || test.real || test.boolean || test.other_types;
  if (!test.string_equals || other_tests || test.missing || rg::UuidTag(*test.string_equals) != 0) return false;
  auto code = data.FindString(*test.string_equals);
  if (!code.ok()) return code.status();
  return *code < 0;
}

Status ApplyPredicate(RowGroupData& data, const SpanPredicate& p, std::vector<uint8_t>* mask) {
  switch (p.field) {
    case SpanField::kName: return ApplyDictColumn(data, kSpanName, p.test, mask);
    case SpanField::kStatusMessage: return ApplyDictColumn(data, kSpanStatusMessage, p.test, mask);
    case SpanField::kKind: return ApplySmallInts(data, kSpanKind, p.test, mask);
    case SpanField::kStatus: return ApplySmallInts(data, kSpanStatus, p.test, mask);
    case SpanField::kDuration: return ApplyDuration(data, p.test, mask);
    case SpanField::kScopeName: return ApplyScope(data, false, p.test, mask);
    case SpanField::kScopeVersion: return ApplyScope(data, true, p.test, mask);
    case SpanField::kResourceAttribute: return ApplyResourceAttribute(data, p, mask);
    case SpanField::kSpanAttribute: return ApplySpanAttribute(data, p, false, mask);
    case SpanField::kAttribute: return ApplySpanAttribute(data, p, true, mask);
    case SpanField::kTraceRootName:
    case SpanField::kTraceRootService:
    case SpanField::kTraceDuration: return ApplyTraceField(data, p, mask);
  }
  return Status::Ok();  // an unknown field: maybe
}

void ColumnsFor(const SpanPredicate& p, std::vector<Column>* out) {
  auto add = [&](std::initializer_list<Column> cs) { out->insert(out->end(), cs); };
  auto times = [&] {
    add({kTraceStart, kSpanParent, kSpanTimeRef});
    for (int b = 0; b < kTimePlanes; ++b) add({SpanStartPlane(b), SpanEndPlane(b)});
  };
  auto span_attrs = [&] {
    add({kDict, kAttrGeneric, kAttrKeys, kAttrKeyLists, kSpanName});
    // Any dedicated column may hold a run of the key (block.md): the named one if any.
    if (const rg::DedicatedKey* d = rg::FindDedicated(p.key)) add({d->column});
  };
  switch (p.field) {
    case SpanField::kName: add({kDict, kSpanName}); break;
    case SpanField::kStatusMessage: add({kDict, kSpanStatusMessage}); break;
    case SpanField::kKind: add({kSpanKind}); break;
    case SpanField::kStatus: add({kSpanStatus}); break;
    case SpanField::kDuration:
    case SpanField::kTraceDuration: times(); break;
    case SpanField::kScopeName:
    case SpanField::kScopeVersion: add({kDict, kScopes, kSpanScope}); break;
    case SpanField::kResourceAttribute: add({kDict, kResources, kSpanResource}); break;
    case SpanField::kSpanAttribute: span_attrs(); break;
    case SpanField::kAttribute: span_attrs(); add({kResources, kSpanResource}); break;
    case SpanField::kTraceRootName: add({kDict, kSpanParent, kSpanName}); break;
    case SpanField::kTraceRootService: add({kDict, kSpanParent, kResources, kSpanResource}); break;
  }
}

int CostOf(const SpanPredicate& p) {
  switch (p.field) {
    case SpanField::kKind:
    case SpanField::kStatus: return 1;
    case SpanField::kName:
    case SpanField::kStatusMessage:
    case SpanField::kScopeName:
    case SpanField::kScopeVersion:
    case SpanField::kResourceAttribute: return 2;
    case SpanField::kTraceRootName:
    case SpanField::kTraceRootService: return 3;
    case SpanField::kSpanAttribute: return rg::FindDedicated(p.key) != nullptr ? 4 : 5;
    case SpanField::kAttribute: return 6;
    case SpanField::kDuration:
    case SpanField::kTraceDuration: return 7;
  }
  return 8;
}

}  // namespace rubato::store::block::scan
