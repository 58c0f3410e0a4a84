// The prefilter's tree over one row group (row_group_scan.h): every node
// becomes a mask over the row group's rows, a superset of the spans the query
// part would yield, and a trace is a candidate when the root's mask has a row
// in it. Chunks are fetched once for the whole tree and decompressed when a
// predicate first needs them, so a filter that empties early reads little.
#include "store/block/row_group_scan.h"

#include <algorithm>

#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block {

SpansetFilter SpansetFilter::Spans(std::vector<SpanPredicate> predicates) {
  SpansetFilter f;
  f.kind = Kind::kSpans;
  f.predicates = std::move(predicates);
  return f;
}

SpansetFilter SpansetFilter::Node(Kind kind, std::vector<SpansetFilter> children) {
  SpansetFilter f;
  f.kind = kind;
  f.children = std::move(children);
  return f;
}

bool SpansetFilter::MatchesEverything() const {
  auto all = [&] {
    return std::all_of(children.begin(), children.end(), [](const SpansetFilter& c) { return c.MatchesEverything(); });
  };
  switch (kind) {
    case Kind::kSpans: return predicates.empty();
    case Kind::kIntersect:
    case Kind::kAnd: return all();
    case Kind::kUnion:
      return std::any_of(children.begin(), children.end(), [](const SpansetFilter& c) { return c.MatchesEverything(); });
    case Kind::kMinCount: return count <= 1 && all();
    default: return false;  // relations need the trace's structure
  }
}

namespace scan {
namespace {

using Kind = SpansetFilter::Kind;

bool IsRelation(Kind k) {
  return k == Kind::kChild || k == Kind::kParent || k == Kind::kDescendant || k == Kind::kAncestor ||
         k == Kind::kSibling;
}

Status Check(const SpansetFilter& f, uint32_t depth = 0) {
  if (depth > 256) return Status::InvalidArgument("prefilter: tree deeper than 256 levels");
  if (IsRelation(f.kind) && f.children.size() != 2) {
    return Status::InvalidArgument("prefilter: a relation needs exactly two children");
  }
  if (f.kind == Kind::kMinCount && f.children.size() != 1) {
    return Status::InvalidArgument("prefilter: kMinCount needs exactly one child");
  }
  for (const SpansetFilter& c : f.children) {
    if (Status s = Check(c, depth + 1); !s.ok()) return s;
  }
  return Status::Ok();
}

void Columns(const SpansetFilter& f, std::vector<Column>* out) {
  for (const SpanPredicate& p : f.predicates) ColumnsFor(p, out);
  if (IsRelation(f.kind)) out->push_back(kSpanParent);
  for (const SpansetFilter& c : f.children) Columns(c, out);
}

bool Any(const Mask& m) { return std::find(m.begin(), m.end(), 1) != m.end(); }

class TreeEval {
 public:
  explicit TreeEval(RowGroupData& data) : data_(data), traces_(data.page().traces) {}

  // f's rows among `base`; children of trace-level nodes see whole traces.
  Result<Mask> Eval(const SpansetFilter& f, const Mask& base) {
    switch (f.kind) {
      case Kind::kSpans: return Spans(f, base);
      case Kind::kIntersect: {
        Mask m = base;
        for (const SpansetFilter& c : f.children) {
          if (!Any(m)) break;
          auto r = Eval(c, m);
          if (!r.ok()) return r;
          m = std::move(r).value();
        }
        return m;
      }
      case Kind::kUnion: {
        Mask m(base.size(), 0);
        for (const SpansetFilter& c : f.children) {
          auto r = Eval(c, base);
          if (!r.ok()) return r;
          for (size_t i = 0; i < m.size(); ++i) m[i] |= (*r)[i];
        }
        return m;
      }
      default: return TraceLevel(f, base);
    }
  }

 private:
  Result<Mask> Spans(const SpansetFilter& f, const Mask& base) {
    Mask m = base;
    std::vector<const SpanPredicate*> order;
    for (const SpanPredicate& p : f.predicates) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(),
                     [](const SpanPredicate* a, const SpanPredicate* b) { return CostOf(*a) < CostOf(*b); });
    for (const SpanPredicate* p : order) {
      auto none = NoRowCanPass(data_, *p);
      if (!none.ok()) return none.status();
      if (*none) return Mask(base.size(), 0);
    }
    for (const SpanPredicate* p : order) {
      if (!Any(m)) break;
      if (Status s = ApplyPredicate(data_, *p, &m); !s.ok()) return s;
    }
    return m;
  }

  // Nodes that look at whole traces: their children are evaluated over every
  // row of the traces `base` touches, the result then cut back to `base`.
  Result<Mask> TraceLevel(const SpansetFilter& f, const Mask& base) {
    Mask whole(base.size(), 0);
    for (const IndexEntry& e : traces_) {
      auto b = base.begin() + e.first_row, end = b + e.span_count;
      if (std::find(b, end, 1) != end) std::fill(whole.begin() + e.first_row, whole.begin() + e.first_row + e.span_count, 1);
    }
    std::vector<Mask> kids;
    for (const SpansetFilter& c : f.children) {
      auto r = Eval(c, whole);
      if (!r.ok()) return r;
      kids.push_back(std::move(r).value());
      if (f.kind == Kind::kAnd && !Any(kids.back())) return Mask(base.size(), 0);
    }
    Mask out(base.size(), 0);
    if (f.kind == Kind::kAnd) {
      And(kids, &out);
    } else if (f.kind == Kind::kMinCount) {
      for (const IndexEntry& e : traces_) {
        auto b = kids[0].begin() + e.first_row;
        if (static_cast<uint32_t>(std::count(b, b + e.span_count, 1)) >= f.count) {
          std::copy(b, b + e.span_count, out.begin() + e.first_row);
        }
      }
    } else {
      if (Status s = Relate(f.kind, f.with_lhs, kids[0], kids[1], &out); !s.ok()) return s;
    }
    for (size_t i = 0; i < out.size(); ++i) out[i] &= base[i];
    return out;
  }

  void And(const std::vector<Mask>& kids, Mask* out) {
    for (const IndexEntry& e : traces_) {
      uint32_t b = e.first_row, end = e.first_row + e.span_count;
      bool all = std::all_of(kids.begin(), kids.end(), [&](const Mask& k) {
        return std::find(k.begin() + b, k.begin() + end, 1) != k.begin() + end;
      });
      if (!all) continue;
      for (const Mask& k : kids) {
        for (uint32_t r = b; r < end; ++r) (*out)[r] |= k[r];
      }
    }
  }

  // Each row's parent row in the row group, or -1 (a root, or a parent outside the trace).
  Result<const std::vector<int32_t>*> Parents() {
    if (parents_.empty() && data_.rows() > 0) {
      auto codes = data_.Codes(kSpanParent);
      if (!codes.ok()) return codes.status();
      parents_.assign(data_.rows(), -1);
      for (const IndexEntry& e : traces_) {
        for (uint32_t i = 0; i < e.span_count; ++i) {
          uint32_t code = (**codes)[e.first_row + i];
          if (code > e.span_count + 1) return data_.Corrupt(kSpanParent, "parent row out of range");
          if (code >= 2) parents_[e.first_row + i] = static_cast<int32_t>(e.first_row + code - 2);
        }
      }
    }
    return &parents_;
  }

  // anc[r] = 1 when a proper ancestor of r is in `set`. A cycle (corrupt
  // parents) counts as yes: maybe.
  Mask AncestorIn(const std::vector<int32_t>& parent, const Mask& set) {
    const uint32_t n = static_cast<uint32_t>(parent.size());
    enum : uint8_t { kUnknown, kYes, kNo, kVisiting };
    std::vector<uint8_t> state(n, kUnknown);
    std::vector<uint32_t> path;
    for (uint32_t r = 0; r < n; ++r) {
      if (state[r] != kUnknown) continue;
      path.clear();
      uint32_t y = r;
      bool v;
      for (;;) {
        path.push_back(y);
        state[y] = kVisiting;
        int32_t p = parent[y];
        if (p < 0) { v = false; break; }
        if (set[p]) { v = true; break; }
        if (state[p] == kYes || state[p] == kNo) { v = state[p] == kYes; break; }
        if (state[p] == kVisiting) { v = true; break; }
        y = static_cast<uint32_t>(p);
      }
      for (uint32_t x : path) state[x] = v ? kYes : kNo;
    }
    Mask out(n);
    for (uint32_t r = 0; r < n; ++r) out[r] = state[r] == kYes;
    return out;
  }

  // desc[r] = 1 when a proper descendant of r is in `set`.
  Mask DescendantIn(const std::vector<int32_t>& parent, const Mask& set) {
    const uint32_t n = static_cast<uint32_t>(parent.size());
    Mask desc(n, 0);
    for (uint32_t r = 0; r < n; ++r) {
      if (!set[r]) continue;
      // Bounded by n steps, so corrupt (cyclic) parents cannot loop forever.
      int32_t p = parent[r];
      for (uint32_t steps = 0; p >= 0 && !desc[p] && steps < n; ++steps) {
        desc[p] = 1;
        p = parent[p];
      }
    }
    return desc;
  }

  Status Relate(Kind kind, bool with_lhs, const Mask& lhs, const Mask& rhs, Mask* out) {
    auto parents = Parents();
    if (!parents.ok()) return parents.status();
    const std::vector<int32_t>& parent = **parents;
    const uint32_t n = data_.rows();
    switch (kind) {
      case Kind::kChild:  // rhs child of lhs
      case Kind::kParent: {  // rhs parent of lhs
        const Mask& up = kind == Kind::kChild ? lhs : rhs;    // the parent's side
        const Mask& down = kind == Kind::kChild ? rhs : lhs;  // the child's side
        for (uint32_t r = 0; r < n; ++r) {
          int32_t p = parent[r];
          if (p < 0 || !down[r] || !up[p]) continue;
          // r is the child; the rhs side is always kept, lhs with `with_lhs`.
          if (kind == Kind::kChild) {
            (*out)[r] = 1;
            if (with_lhs) (*out)[p] = 1;
          } else {
            (*out)[p] = 1;
            if (with_lhs) (*out)[r] = 1;
          }
        }
        return Status::Ok();
      }
      case Kind::kDescendant:  // rhs with an lhs ancestor
      case Kind::kAncestor: {  // rhs with an lhs descendant
        bool desc = kind == Kind::kDescendant;
        Mask rel = desc ? AncestorIn(parent, lhs) : DescendantIn(parent, lhs);
        for (uint32_t r = 0; r < n; ++r) (*out)[r] = rhs[r] && rel[r];
        if (with_lhs) {
          Mask back = desc ? DescendantIn(parent, rhs) : AncestorIn(parent, rhs);
          for (uint32_t r = 0; r < n; ++r) (*out)[r] |= lhs[r] && back[r];
        }
        return Status::Ok();
      }
      default: Sibling(parent, with_lhs, lhs, rhs, out); return Status::Ok();
    }
  }

  // Rows without a parent in the trace all count as siblings of each other: maybe.
  void Sibling(const std::vector<int32_t>& parent, bool with_lhs, const Mask& lhs, const Mask& rhs, Mask* out) {
    const uint32_t n = data_.rows();
    std::vector<uint32_t> lhs_under(n, 0), rhs_under(n, 0);  // per parent row
    for (const IndexEntry& e : traces_) {
      uint32_t b = e.first_row, end = b + e.span_count;
      uint32_t lhs_top = 0, rhs_top = 0;  // rows without a parent in the trace
      for (uint32_t r = b; r < end; ++r) {
        int32_t p = parent[r];
        if (p < 0) {
          lhs_top += lhs[r];
          rhs_top += rhs[r];
        } else {
          lhs_under[p] += lhs[r];
          rhs_under[p] += rhs[r];
        }
      }
      for (uint32_t r = b; r < end; ++r) {
        int32_t p = parent[r];
        uint32_t l = p < 0 ? lhs_top : lhs_under[p], k = p < 0 ? rhs_top : rhs_under[p];
        if (rhs[r] && l - lhs[r] > 0) (*out)[r] = 1;
        if (with_lhs && lhs[r] && k - rhs[r] > 0) (*out)[r] = 1;
      }
    }
  }

  RowGroupData& data_;
  const std::vector<IndexEntry>& traces_;
  std::vector<int32_t> parents_;
};

// Traces whose time range (as the index has it, in whole ms) may overlap the filter's.
Mask LiveRows(const IndexPage& page, const TraceFilter& filter, std::vector<uint8_t>* live_traces) {
  Mask rows(page.rows, 0);
  live_traces->assign(page.traces.size(), 0);
  constexpr uint64_t kMs = 1'000'000;
  auto ns = [](uint64_t ms) { return ms > UINT64_MAX / kMs ? UINT64_MAX : ms * kMs; };
  for (size_t t = 0; t < page.traces.size(); ++t) {
    const IndexEntry& e = page.traces[t];
    uint64_t lo = ns(e.start_ms);
    uint64_t hi = ns(e.start_ms + std::max<uint64_t>(e.duration_ms, 1));
    if (lo > filter.end_unix_nano || hi < filter.start_unix_nano) continue;
    (*live_traces)[t] = 1;
    std::fill(rows.begin() + e.first_row, rows.begin() + e.first_row + e.span_count, 1);
  }
  return rows;
}

}  // namespace
}  // namespace scan

Result<std::vector<uint32_t>> ScanRowGroup(const BlockReader& reader, uint32_t row_group, const IndexPage& page,
                                           const TraceFilter& filter, ScanStats* stats) {
  if (Status s = scan::Check(filter.spans); !s.ok()) return s;
  uint64_t rows = 0;
  for (const IndexEntry& e : page.traces) {
    if (e.first_row != rows) return Status::Internal(reader.name() + ", row group " + std::to_string(row_group) +
                                                     ": index: traces do not cover the rows in order");
    rows += e.span_count;
  }
  if (rows != page.rows) {
    return Status::Internal(reader.name() + ", row group " + std::to_string(row_group) +
                            ": index: span counts do not add up to the rows");
  }
  std::vector<uint8_t> live_traces;
  scan::Mask live = scan::LiveRows(page, filter, &live_traces);
  scan::NarrowByIndex(filter.spans, page, &live_traces, &live);
  std::vector<uint32_t> out;
  if (filter.spans.MatchesEverything() || !scan::Any(live)) {
    for (uint32_t t = 0; t < live_traces.size(); ++t) {
      if (live_traces[t]) out.push_back(t);
    }
    return out;
  }
  std::vector<Column> columns;
  scan::Columns(filter.spans, &columns);
  std::sort(columns.begin(), columns.end());
  columns.erase(std::unique(columns.begin(), columns.end()), columns.end());
  auto chunks = reader.ReadStoredChunks(row_group, page, columns);
  if (!chunks.ok()) return chunks.status();
  if (stats != nullptr) stats->bytes_read += chunks->bytes_read;
  scan::RowGroupData data(reader, row_group, page, std::move(chunks).value(), stats);
  scan::TreeEval eval(data);
  auto mask = eval.Eval(filter.spans, live);
  if (!mask.ok()) return mask.status();
  for (uint32_t t = 0; t < page.traces.size(); ++t) {
    const IndexEntry& e = page.traces[t];
    auto b = mask->begin() + e.first_row;
    if (std::find(b, b + e.span_count, 1) != b + e.span_count) out.push_back(t);
  }
  return out;
}

Result<std::vector<uint32_t>> ScanRowGroup(const BlockReader& reader, uint32_t row_group, const TraceFilter& filter,
                                           ScanStats* stats) {
  auto page = reader.ReadIndexPage(row_group);
  if (!page.ok()) return page.status();
  return ScanRowGroup(reader, row_group, *page, filter, stats);
}

}  // namespace rubato::store::block
