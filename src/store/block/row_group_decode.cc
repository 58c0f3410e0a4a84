// Row-group decoder: rebuilds the spans of some rows, with their resources,
// scopes, attributes, events and links, into a Batch that owns its bytes.
// A lookup wants one trace out of thousands of rows, so the rows before it
// are skipped, not decoded: fixed-width columns (span.id, the time planes,
// span.time_ref, typed attribute runs) are indexed directly, varint columns
// are skipped eight bytes at a time, and the attribute runs are advanced by
// counts taken from the skipped rows' key lists.
#include <algorithm>
#include <vector>

#include "store/block/row_group.h"
#include "store/block/row_group_decoder.h"
#include "store/block/row_group_internal.h"

namespace rubato::store::block {
namespace {

using model::Range;

class Decoder {
 public:
  Decoder(const RawColumns& raw, const model::TraceId& id, model::Batch* out)
      : raw_(raw), out_(*out), trace_id_(id), values_(dict_, out), attrs_(values_) {
    for (int i = 0; i < kColumnCount; ++i) readers_.emplace_back(raw.columns[i]);
  }

  // Whole traces, in row order, each given its ID: one pass, the rows
  // between them skipped (not decoded) from where the previous one ended.
  Status RunTraces(std::span<const TraceEntry> traces) {
    uint64_t rows = 0;
    for (const TraceEntry& t : traces) rows += t.span_count;
    if (Status s = Setup(0, 0, false); !s.ok()) return s;
    if (traces.empty()) return Status::Ok();
    out_.spans.reserve(out_.spans.size() + rows);
    uint64_t entries = attrs_.entries();
    out_.attributes.reserve(out_.attributes.size() + std::min<uint64_t>(entries, (entries / std::max<uint64_t>(rows_, 1) + 1) * rows));
    uint64_t t0 = 0, tstart = R(kTraceStart).Fixed<uint64_t>(), tn = R(kTraceSpanCount).Uvarint();
    if (Status s = Check(); !s.ok()) return s;
    for (const TraceEntry& t : traces) {
      while (t0 < t.first_row) {
        t0 += tn;
        tn = R(kTraceSpanCount).Uvarint();
        tstart += static_cast<uint64_t>(R(kTraceStart).Svarint());
        if (Status s = Check(); !s.ok()) return s;
      }
      if (t0 != t.first_row || tn != t.span_count || tn > rows_ - t0) {
        return Status::Internal("row group: trace entries do not match its traces");
      }
      if (Status s = SkipRows(t0, t0); !s.ok()) return s;
      size_t base = out_.spans.size();
      if (Status s = DecodeTrace(t0, tn, tstart, t0, t0 + tn); !s.ok()) return s;
      row_ = parent_row_ = t0 + tn;
      for (size_t i = base; i < out_.spans.size(); ++i) out_.spans[i].trace_id = t.id;
    }
    return Check();
  }

  Status Run(uint32_t first_row, uint32_t count) {
    if (Status s = Setup(first_row, count, true); !s.ok() || count == 0) return s;
    return RunRows(first_row, count);
  }

 private:
  // Parses what every row needs (dictionary, time planes, attribute runs);
  // checks that rows [first_row, first_row + count) exist (and, with
  // stop_if_empty, only that when count is 0).
  Status Setup(uint32_t first_row, uint32_t count, bool stop_if_empty) {
    if (!dict_.Parse(raw_.Get(kDict))) return Error(kDict, "malformed");
    const std::string& ids = raw_.Get(kSpanId);
    if (ids.size() % 8 != 0) return Error(kSpanId, "length is not a multiple of 8");
    rows_ = ids.size() / 8;
    if (uint64_t{first_row} + count > rows_) {
      return Status::Internal("rows " + std::to_string(first_row) + "+" + std::to_string(count) +
                              " out of range: the row group has " + std::to_string(rows_));
    }
    if (count == 0 && stop_if_empty) return Status::Ok();
    for (int b = 0; b < kTimePlanes; ++b) {
      start_planes_[b] = PlaneOf(SpanStartPlane(b));
      end_planes_[b] = PlaneOf(SpanEndPlane(b));
    }
    if (raw_.Get(kSpanTimeRef).size() != rows_) return Error(kSpanTimeRef, "length is not the row count");
    if (!error_.empty()) return Status::Internal(error_);
    if (std::string e = attrs_.Load(raw_); !e.empty()) return Status::Internal(e);
    return Status::Ok();
  }

  Status RunRows(uint32_t first_row, uint32_t count) {
    // The trace holding first_row: its first row, span count and start.
    uint64_t t0 = 0, tn = 0, tstart = R(kTraceStart).Fixed<uint64_t>();
    for (;;) {
      tn = R(kTraceSpanCount).Uvarint();
      if (!R(kTraceSpanCount).ok() || !R(kTraceStart).ok()) return Check();
      if (tn > rows_ - t0) return Error(kTraceSpanCount, "span counts exceed the row count");
      if (first_row < t0 + tn) break;
      t0 += tn;
      tstart += static_cast<uint64_t>(R(kTraceStart).Svarint());
    }
    if (Status s = SkipRows(first_row, t0); !s.ok()) return s;
    out_.spans.reserve(out_.spans.size() + count);
    // The rows' share of the attribute entries: growing the pool by doubling
    // would copy it and touch fresh pages twice.
    uint64_t entries = attrs_.entries();  // bounded by the runs' bytes
    out_.attributes.reserve(out_.attributes.size() + (count >= rows_ ? entries : (entries / rows_ + 1) * count));
    uint64_t end = uint64_t{first_row} + count;
    for (;;) {
      if (tn > rows_ - t0) return Error(kTraceSpanCount, "span counts exceed the row count");
      if (Status s = DecodeTrace(t0, tn, tstart, std::max<uint64_t>(first_row, t0), end); !s.ok()) return s;
      t0 += tn;
      if (t0 >= end) break;
      tn = R(kTraceSpanCount).Uvarint();
      tstart += static_cast<uint64_t>(R(kTraceStart).Svarint());
      if (Status s = Check(); !s.ok()) return s;
    }
    return Check();
  }

  ByteReader& R(Column c) { return readers_[ColumnSlot(c)]; }
  Status Error(Column c, const std::string& what) {
    return Status::Internal(std::string("column ") + ColumnName(c) + ": " + what);
  }
  // The first failure: an attribute error, then any column reader that failed.
  Status Check() {
    if (!error_.empty()) return Status::Internal(error_);
    if (!attrs_.error().empty()) return Status::Internal(attrs_.error());
    for (int i = 0; i < kColumnCount; ++i) {
      if (!readers_[i].ok()) return Error(kAllColumns[i], "malformed");
    }
    return Status::Ok();
  }
  // A time plane: empty (all its bytes are zero) or one byte per row.
  const uint8_t* PlaneOf(Column c) {
    const std::string& p = raw_.Get(c);
    if (p.empty()) return nullptr;
    if (p.size() != rows_ && error_.empty()) {
      error_ = std::string("column ") + ColumnName(c) + ": length is not the row count";
    }
    return reinterpret_cast<const uint8_t*>(p.data());
  }

  // Moves every sequential column to row `first_row`, except span.parent,
  // which stops at `trace_row`, the first row of first_row's trace: times and
  // parents are relative to the trace's earlier rows.
  Status SkipRows(uint64_t first_row, uint64_t trace_row) {
    // From where the readers are: row_ (parent_row_ for span.parent).
    uint64_t external = rg::SkipUvarintsCounting(R(kSpanParent), trace_row - parent_row_, 1);
    R(kSpanParentExternal).Bytes(external * 8);
    first_row -= row_;
    if (!attrs_.SkipRows(R(kSpanName), R(kAttrKeys), first_row)) return Check();
    for (Column c :
         {kSpanKind, kSpanStatus, kSpanStatusMessage, kSpanResource, kSpanScope, kSpanFlags, kSpanTraceState}) {
      rg::SkipUvarints(R(c), first_row);
    }
    rg::SkipUvarints(R(kSpanDropped), 3 * first_row);
    ByteReader& events = R(kEvents);
    for (uint64_t i = 0; i < first_row && events.ok(); ++i) {
      for (uint64_t n = rg::ReadUvarint(events); n > 0 && events.ok(); --n) {
        events.Svarint();
        events.Uvarint();
        values_.SkipAttrList(events);
        events.Uvarint();
      }
    }
    ByteReader& links = R(kLinks);
    for (uint64_t i = 0; i < first_row && links.ok(); ++i) {
      for (uint64_t n = rg::ReadUvarint(links); n > 0 && links.ok(); --n) {
        links.Bytes(24);
        links.Uvarint();
        links.Uvarint();
        values_.SkipAttrList(links);
        links.Uvarint();
      }
    }
    if (!attrs_.ApplySkip()) return Status::Internal(attrs_.error());
    return Check();
  }

  uint64_t PlaneValue(const uint8_t* const planes[kTimePlanes], uint64_t row) const {
    uint64_t v = 0;
    for (int b = 0; b < kTimePlanes; ++b) {
      if (planes[b] != nullptr) v |= uint64_t{planes[b][row]} << (8 * b);
    }
    return v;
  }

  // Rows [t0, t0 + tn) are one trace starting at `tstart`; rows [from, end)
  // of it are emitted. Times need the trace's rows from t0 on (block.md, span.time_ref).
  Status DecodeTrace(uint64_t t0, uint64_t tn, uint64_t tstart, uint64_t from, uint64_t end) {
    uint64_t last = std::min(t0 + tn, end);
    size_t m = last - t0;
    codes_.resize(m);
    starts_.resize(m);
    ends_.resize(m);
    externals_.resize(m);
    sibling_end_.assign(tn + 2, 0);
    sibling_start_.assign(tn + 2, 0);
    has_sibling_.assign(tn + 2, false);
    const uint8_t* refs = reinterpret_cast<const uint8_t*>(raw_.Get(kSpanTimeRef).data());
    for (size_t i = 0; i < m; ++i) {
      uint64_t code = R(kSpanParent).Uvarint();
      if (code > tn + 1) return Error(kSpanParent, "parent row out of range");
      if (code == 1) Id(R(kSpanParentExternal), &externals_[i]);
      codes_[i] = static_cast<uint32_t>(code);
      bool parent_before = code >= 2 && code - 2 < i;
      uint8_t mode = refs[t0 + i];
      uint64_t sv = PlaneValue(start_planes_, t0 + i), ev = PlaneValue(end_planes_, t0 + i);
      uint64_t ref;
      switch (mode & 3) {
        case rg::kStartFromParent: ref = parent_before ? starts_[code - 2] : tstart; break;
        case rg::kStartAfterSiblings: ref = sibling_end_[code]; break;
        case rg::kStartFromSibling: ref = sibling_start_[code]; break;
        default: return Error(kSpanTimeRef, "unknown start reference");
      }
      if ((mode & 3) != rg::kStartFromParent && !has_sibling_[code]) return Error(kSpanTimeRef, "no earlier sibling");
      if (mode > (3 | rg::kEndFromParentEnd)) return Error(kSpanTimeRef, "unknown mode");
      uint64_t start = ref + static_cast<uint64_t>(UnZigZag(sv));
      uint64_t span_end;
      if (mode & rg::kEndFromParentEnd) {
        if (!parent_before) return Error(kSpanTimeRef, "end relative to a parent that is not an earlier row");
        span_end = ends_[code - 2] - static_cast<uint64_t>(UnZigZag(ev));
      } else {
        span_end = start + static_cast<uint64_t>(UnZigZag(ev));
      }
      starts_[i] = start;
      ends_[i] = span_end;
      sibling_end_[code] = has_sibling_[code] ? std::max(sibling_end_[code], span_end) : span_end;
      sibling_start_[code] = start;
      has_sibling_[code] = true;
    }
    if (Status s = Check(); !s.ok()) return s;
    for (uint64_t row = from; row < last; ++row) {
      if (Status s = EmitRow(t0, row); !s.ok()) return s;
    }
    return Check();
  }

  template <typename IdT>
  static void Id(ByteReader& r, IdT* id) {
    std::string_view b = r.Bytes(IdT::kSize);
    if (b.size() == IdT::kSize) std::memcpy(id->bytes.data(), b.data(), IdT::kSize);
  }
  std::string_view Str(ByteReader& r) {
    uint64_t code = r.Uvarint();
    if (!dict_.Valid(code)) return r.Fail(), std::string_view();
    return dict_.Get(static_cast<uint32_t>(code), &out_);
  }

  Status EmitRow(uint64_t t0, uint64_t row) {
    size_t i = row - t0;
    const char* ids = raw_.Get(kSpanId).data();
    model::Span s;
    s.trace_id = trace_id_;
    std::memcpy(s.span_id.bytes.data(), ids + row * 8, 8);
    if (codes_[i] == 1) s.parent_span_id = externals_[i];
    if (codes_[i] >= 2) std::memcpy(s.parent_span_id.bytes.data(), ids + (t0 + codes_[i] - 2) * 8, 8);
    s.start_time_unix_nano = starts_[i];
    s.end_time_unix_nano = ends_[i];
    uint32_t name = R(kSpanName).Uvarint32();
    if (!dict_.Valid(name)) return Error(kSpanName, "dictionary code out of range");
    s.name = dict_.Get(name, &out_);
    s.kind = static_cast<model::SpanKind>(R(kSpanKind).Uvarint32());
    s.status_code = static_cast<model::StatusCode>(R(kSpanStatus).Uvarint32());
    s.status_message = Str(R(kSpanStatusMessage));
    uint32_t resource = R(kSpanResource).Uvarint32(), scope = R(kSpanScope).Uvarint32();
    s.flags = R(kSpanFlags).Uvarint32();
    s.trace_state = Str(R(kSpanTraceState));
    s.dropped_attributes_count = R(kSpanDropped).Uvarint32();
    s.dropped_events_count = R(kSpanDropped).Uvarint32();
    s.dropped_links_count = R(kSpanDropped).Uvarint32();
    uint32_t list = R(kAttrKeys).Uvarint32();
    // A failed column reader reads zeros from then on; DecodeTrace's callers check once per trace.
    if (!attrs_.Read(name, list, &s.attributes)) return Check();
    if (!Events(s.start_time_unix_nano, &s.events) || !Links(&s.links)) return Check();
    if (Status st = Place(resource, scope); !st.ok()) return st;
    out_.AddSpan(s);
    return Status::Ok();
  }

  bool Events(uint64_t span_start, Range* range) {
    ByteReader& r = R(kEvents);
    uint64_t n = r.Uvarint();
    if (n > r.remaining()) return r.Fail(), false;
    *range = Range{static_cast<uint32_t>(out_.events.size()), static_cast<uint32_t>(n)};
    out_.events.resize(out_.events.size() + n);
    for (uint32_t i = 0; i < n; ++i) {
      model::Event e;
      e.time_unix_nano = span_start + static_cast<uint64_t>(r.Svarint());
      e.name = Str(r);
      if (!values_.ReadAttrList(r, &e.attributes)) return false;
      e.dropped_attributes_count = r.Uvarint32();
      out_.events[range->begin + i] = e;
    }
    return r.ok();
  }

  bool Links(Range* range) {
    ByteReader& r = R(kLinks);
    uint64_t n = r.Uvarint();
    if (n > r.remaining()) return r.Fail(), false;
    *range = Range{static_cast<uint32_t>(out_.links.size()), static_cast<uint32_t>(n)};
    out_.links.resize(out_.links.size() + n);
    for (uint32_t i = 0; i < n; ++i) {
      model::Link l;
      Id(r, &l.trace_id);
      Id(r, &l.span_id);
      l.trace_state = Str(r);
      l.flags = r.Uvarint32();
      if (!values_.ReadAttrList(r, &l.attributes)) return false;
      l.dropped_attributes_count = r.Uvarint32();
      out_.links[range->begin + i] = l;
    }
    return r.ok();
  }

  // Puts the next span under the right resource and scope of the output: a
  // new Resource or Scope entry whenever they change from the previous row
  // (rows of a trace alternate between services), all entries of one table
  // row sharing one decoded attribute list.
  struct ResourceEntry {
    bool decoded = false;
    Range attrs;
    std::string_view url;
    uint32_t dropped = 0;
  };
  struct ScopeEntry {
    bool decoded = false;
    std::string_view name, version, url;
    Range attrs;
    uint32_t dropped = 0;
  };
  Status Place(uint32_t resource, uint32_t scope) {
    if (resource_offsets_.empty() && scope_offsets_.empty()) {
      if (!TableOffsets(kResources, false, &resource_offsets_)) return Error(kResources, "malformed");
      if (!TableOffsets(kScopes, true, &scope_offsets_)) return Error(kScopes, "malformed");
      resources_.resize(resource_offsets_.size());
      scopes_.resize(scope_offsets_.size());
    }
    if (resource >= resources_.size()) return Error(kSpanResource, "resource out of range");
    if (scope >= scopes_.size()) return Error(kSpanScope, "scope out of range");
    if (resource != current_resource_) {
      ResourceEntry& e = resources_[resource];
      if (!e.decoded) {
        ByteReader r(std::string_view(raw_.Get(kResources)).substr(resource_offsets_[resource]));
        if (!values_.ReadAttrList(r, &e.attrs)) return Error(kResources, "malformed");
        e.url = Str(r);
        e.dropped = r.Uvarint32();
        if (!r.ok()) return Error(kResources, "malformed");
        e.decoded = true;
      }
      out_.AddResource(e.attrs, e.url, e.dropped);
      current_resource_ = resource;
      current_scope_ = UINT32_MAX;
    }
    if (scope != current_scope_) {
      ScopeEntry& e = scopes_[scope];
      if (!e.decoded) {
        ByteReader r(std::string_view(raw_.Get(kScopes)).substr(scope_offsets_[scope]));
        e.name = Str(r);
        e.version = Str(r);
        if (!values_.ReadAttrList(r, &e.attrs)) return Error(kScopes, "malformed");
        e.url = Str(r);
        e.dropped = r.Uvarint32();
        if (!r.ok()) return Error(kScopes, "malformed");
        e.decoded = true;
      }
      out_.AddScope(e.name, e.version, e.attrs, e.url, e.dropped);
      current_scope_ = scope;
    }
    return Status::Ok();
  }

  // Where each entry of a resource or scope table starts, found by skipping.
  bool TableOffsets(Column c, bool scopes, std::vector<uint32_t>* offsets) {
    std::string_view table = raw_.Get(c);
    ByteReader r(table);
    while (r.ok() && !r.done()) {
      offsets->push_back(static_cast<uint32_t>(r.ptr() - table.data()));
      if (scopes) r.Uvarint(), r.Uvarint();
      values_.SkipAttrList(r);
      r.Uvarint();
      r.Uvarint();
    }
    return r.ok();
  }

  const RawColumns& raw_;
  model::Batch& out_;
  model::TraceId trace_id_;
  std::vector<ByteReader> readers_;
  rg::DictView dict_;
  rg::ValueReader values_;
  rg::SpanAttrReader attrs_;
  uint64_t rows_ = 0;
  uint64_t row_ = 0, parent_row_ = 0;  // where the sequential readers (span.parent's) are
  std::string error_;
  const uint8_t* start_planes_[kTimePlanes];
  const uint8_t* end_planes_[kTimePlanes];
  // The current trace's rows from its first: parent codes, times, external parents.
  std::vector<uint32_t> codes_;
  std::vector<uint64_t> starts_, ends_;
  std::vector<model::SpanId> externals_;
  std::vector<uint64_t> sibling_end_, sibling_start_;  // per parent code
  std::vector<bool> has_sibling_;
  std::vector<uint32_t> resource_offsets_, scope_offsets_;
  std::vector<ResourceEntry> resources_;
  std::vector<ScopeEntry> scopes_;
  uint32_t current_resource_ = UINT32_MAX, current_scope_ = UINT32_MAX;
};

}  // namespace

Status DecodeRows(const RawColumns& raw, const model::TraceId& trace_id, uint32_t first_row, uint32_t count,
                  model::Batch* out) {
  return Decoder(raw, trace_id, out).Run(first_row, count);
}

Status DecodeTraces(const RawColumns& raw, std::span<const TraceEntry> traces, model::Batch* out) {
  for (size_t i = 1; i < traces.size(); ++i) {
    if (traces[i].first_row < traces[i - 1].first_row + traces[i - 1].span_count) {
      return Status::Internal("row group: trace entries out of order");
    }
  }
  return Decoder(raw, model::TraceId(), out).RunTraces(traces);
}

Status DecodeRowGroup(const RawColumns& raw, std::span<const TraceEntry> traces, model::Batch* out) {
  uint64_t rows = 0;
  for (const TraceEntry& t : traces) {
    if (t.first_row != rows) return Status::Internal("row group: trace entries do not cover the rows in order");
    rows += t.span_count;
  }
  if (rows > UINT32_MAX) return Status::Internal("row group: too many rows");
  size_t base = out->spans.size();
  model::TraceId none;
  Status s = DecodeRows(raw, traces.empty() ? none : traces[0].id, 0, static_cast<uint32_t>(rows), out);
  if (!s.ok()) return s;
  for (const TraceEntry& t : traces) {
    for (uint32_t i = 0; i < t.span_count; ++i) out->spans[base + t.first_row + i].trace_id = t.id;
  }
  return Status::Ok();
}

}  // namespace rubato::store::block
