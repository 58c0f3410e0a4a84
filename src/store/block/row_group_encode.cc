// Row-group encoder (docs/format/block.md, "data: row groups"). The string
// dictionary must be sorted before any code is written, so the encoder walks
// the spans twice: first it writes every column that holds no dictionary code
// and interns every string (StringTable: one hash per occurrence), recording
// string ids; once the dictionary is sorted, it writes the coded columns from
// those ids. The encoder's buffers are kept per thread from one row group to
// the next, so encoding allocates next to nothing.
#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>

#include "store/block/encoding.h"
#include "store/block/row_group.h"
#include "store/block/row_group_encoder.h"
#include "store/block/row_group_internal.h"

namespace rubato::store::block {
namespace {

using model::Batch;
using rg::Sink;
using rg::StringTable;

constexpr uint32_t kNone = StringTable::kNone;

// Column id → slot in kAllColumns, at compile time (ColumnSlot is a call).
constexpr std::array<int8_t, 128> kSlot = [] {
  std::array<int8_t, 128> s{};
  s.fill(-1);
  for (int i = 0; i < kColumnCount; ++i) s[kAllColumns[i]] = static_cast<int8_t>(i);
  return s;
}();
// Columns written by StringTable::Finalize and SpanAttrEncoder::Finish, not
// through the encoder's own sinks.
constexpr bool WrittenElsewhere(Column c) {
  return c == kDict || c == kAttrGeneric || c == kAttrKeys || c == kAttrKeyLists ||
         (c >= kAttrHttpRequestMethod && c <= kAttrPeerService);
}

inline uint64_t SpanIdWord(const model::SpanId& id) {
  uint64_t v;
  std::memcpy(&v, id.bytes.data(), 8);
  return v;
}
inline bool SameTrace(const model::TraceId& a, const model::TraceId& b) {
  uint64_t x[2], y[2];
  std::memcpy(x, a.bytes.data(), 16);
  std::memcpy(y, b.bytes.data(), 16);
  return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

class Encoder {
 public:
  void Run(std::span<const SpanRef> spans, EncodedRowGroup* out, rg::SourceClasses* sources) {
    if (sources == nullptr) {
      own_sources_.Clear();
      sources = &own_sources_;
    }
    sources_ = sources;
    Reset(spans, out);
    // Pass 1: columns without codes, and every string interned.
    uint64_t prev_trace_start = 0;
    for (size_t i = 0; i < n_;) {
      size_t j = i + 1;
      while (j < n_ && SameTrace(span_[j]->trace_id, span_[i]->trace_id)) ++j;
      TraceEntry t = EncodeTrace(i, j);
      Out(kTraceSpanCount).Uvarint(t.span_count);
      if (out_->traces.empty()) Out(kTraceStart).Fixed<uint64_t>(t.start);
      else Out(kTraceStart).Uvarint(ZigZag(static_cast<int64_t>(t.start - prev_trace_start)));
      prev_trace_start = t.start;
      out_->traces.push_back(t);
      i = j;
    }
    // The dictionary, then pass 2: the coded columns.
    strings_.Finalize(&Col(kDict));
    WriteCodedColumns();
    WritePlanes();
    for (int c = 0; c < kColumnCount; ++c) {
      if (!WrittenElsewhere(kAllColumns[c])) col_[c].Finish();
    }
    attrs_.Finish(strings_, out_);
  }

 private:
  struct SpanRec {
    uint32_t name, status_message, trace_state, source;  // source: its class
    bool extra;  // has events or links
  };
  // A class of sources (rg::SourceClasses) with spans in this row group.
  struct Class {
    uint32_t global;                 // in sources_
    uint32_t resource_id, scope_id;  // kNone until the class's first span is written
  };

  std::string& Col(Column c) { return out_->columns[kSlot[c]]; }
  Sink& Out(Column c) { return col_[kSlot[c]]; }  // the sinks of the columns written here

  void Reset(std::span<const SpanRef> spans, EncodedRowGroup* out) {
    out_ = out;
    for (auto& c : out->columns) c.clear();
    for (int c = 0; c < kColumnCount; ++c) {
      if (!WrittenElsewhere(kAllColumns[c])) col_[c].Attach(&out->columns[c]);
    }
    out->traces.clear();
    out->dedicated_columns.clear();
    strings_.Clear();
    attrs_.Clear();
    n_ = spans.size();
    refs_ = spans.data();
    span_.resize(n_);
    for (size_t i = 0; i < n_; ++i) span_[i] = &spans[i].batch->spans[spans[i].index];
    ReadSpans(0, 2 * kGroup);  // the first rows, before Prefetch takes over
    ReadAttributes(0, kGroup);
    recs_.resize(n_);
    start_value_.resize(n_);
    end_value_.resize(n_);
    start_or_ = end_or_ = 0;
    classes_.clear();
    std::fill(local_.begin(), local_.end(), kNone);
    resource_content_.clear();
    scope_content_.clear();
  }

  TraceEntry EncodeTrace(size_t begin, size_t end) {
    TraceEntry t;
    t.id = span_[begin]->trace_id;
    t.first_row = static_cast<uint32_t>(begin);
    t.span_count = static_cast<uint32_t>(end - begin);
    t.start = span_[begin]->start_time_unix_nano;  // sorted by start within the trace
    size_t n = end - begin;
    ids_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      ids_[i] = SpanIdWord(span_[begin + i]->span_id);
      t.end = std::max(t.end, span_[begin + i]->end_time_unix_nano);
    }
    if (n > kLinearParents) IndexTrace(n);
    parent_code_.resize(n);
    for (size_t i = 0; i < n; ++i) parent_code_[i] = EncodeParent(*span_[begin + i], n);
    EncodeTimes(begin, n, t.start);
    for (size_t i = begin; i < end; ++i) EncodeSpan(i);
    return t;
  }

  // Parent lookup by span ID within the trace: a scan for small traces, a
  // table for large ones. The first row with an ID wins, as it always has.
  static constexpr size_t kLinearParents = 32;
  void IndexTrace(size_t n) {
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    row_table_.assign(cap, {0, kNone});
    for (size_t i = 0; i < n; ++i) {
      size_t pos = (ids_[i] * 0x9E3779B97F4A7C15ull) >> 40 & (cap - 1);
      for (;; pos = (pos + 1) & (cap - 1)) {
        auto& slot = row_table_[pos];
        if (slot.second == kNone) {
          slot = {ids_[i], static_cast<uint32_t>(i)};
          break;
        }
        if (slot.first == ids_[i]) break;  // keep the first
      }
    }
  }
  uint32_t RowOf(uint64_t id, size_t n) const {
    if (n <= kLinearParents) {
      for (size_t r = 0; r < n; ++r) {
        if (ids_[r] == id) return static_cast<uint32_t>(r);
      }
      return kNone;
    }
    size_t cap = row_table_.size();
    for (size_t pos = (id * 0x9E3779B97F4A7C15ull) >> 40 & (cap - 1);; pos = (pos + 1) & (cap - 1)) {
      const auto& slot = row_table_[pos];
      if (slot.second == kNone) return kNone;
      if (slot.first == id) return slot.second;
    }
  }

  // span.parent: 0 = no parent, 1 = a parent outside the trace (its ID in
  // column 17), 2 + its row within the trace otherwise.
  uint32_t EncodeParent(const model::Span& s, size_t n) {
    uint32_t code = 0;
    uint64_t parent = SpanIdWord(s.parent_span_id);
    if (parent != 0) {
      uint32_t row = RowOf(parent, n);
      if (row == kNone) {
        code = 1;
        Out(kSpanParentExternal).Append(s.parent_span_id.bytes.data(), 8);
      } else {
        code = 2 + row;
      }
    }
    Out(kSpanParent).Uvarint(code);
    return code;
  }

  // Each start and end is stored relative to whichever nearby time makes it
  // smallest (span.time_ref says which): a child starts soon after its parent
  // or right after its previous sibling ends, and a callee ends shortly before
  // its caller. The value's bytes go to 8 byte planes, one column each, so zstd
  // sees the near-constant high bytes apart from the random low ones
  // (6.7 → 5.4 B/span on the standard workload).
  void EncodeTimes(size_t begin, size_t n, uint64_t trace_start) {
    // Per parent code: latest end and previous start among the rows so far.
    if (sibling_.size() < n + 2) sibling_.resize(n + 2);
    std::fill_n(sibling_.begin(), n + 2, Sibling{0, 0, false});
    Sink& refs = Out(kSpanTimeRef);
    char* ref = refs.Room(n);
    for (size_t i = 0; i < n; ++i) {
      const model::Span& s = *span_[begin + i];
      uint32_t code = parent_code_[i];
      bool parent_before = code >= 2 && code - 2 < i;
      const model::Span* parent = parent_before ? span_[begin + code - 2] : nullptr;
      uint64_t start = s.start_time_unix_nano, end = s.end_time_unix_nano;

      uint8_t mode = rg::kStartFromParent;
      uint64_t best = ZigZag(static_cast<int64_t>(start - (parent ? parent->start_time_unix_nano : trace_start)));
      Sibling& sib = sibling_[code];
      if (sib.present) {
        uint64_t after = ZigZag(static_cast<int64_t>(start - sib.end));
        uint64_t from = ZigZag(static_cast<int64_t>(start - sib.start));
        if (after < best) best = after, mode = rg::kStartAfterSiblings;
        if (from < best) best = from, mode = rg::kStartFromSibling;
      }
      uint64_t end_value = ZigZag(static_cast<int64_t>(end - start));
      if (parent != nullptr) {
        uint64_t before_parent = ZigZag(static_cast<int64_t>(parent->end_time_unix_nano - end));
        if (before_parent < end_value) end_value = before_parent, mode |= rg::kEndFromParentEnd;
      }
      ref[i] = static_cast<char>(mode);
      start_value_[begin + i] = best;
      end_value_[begin + i] = end_value;
      start_or_ |= best;
      end_or_ |= end_value;
      sib.end = sib.present ? std::max(sib.end, end) : end;
      sib.start = start;
      sib.present = true;
    }
    refs.Advance(n);
  }

  // Spans come from many batches, in trace order: waiting for memory, not
  // work, is much of reading them. So pass 1 reads ahead, in three stages:
  // the spans 2 * kGroup rows on, then their attributes and names, then the
  // attributes' strings (in the server, in the batch's request buffer). The
  // first two stages load a byte of each (the rest is prefetched), a group
  // of rows at a time: the rows are on pages all over memory, prefetches
  // alone did not hide the misses (measured: a prefetch to a page missing
  // from the TLB seems to be dropped), and a group's loads wait together.
  static constexpr size_t kGroup = 16;
  static constexpr size_t kStrings = 4;
  void ReadSpans(size_t from, size_t to) {  // stage 1 on rows [from, to)
    uint64_t sum = 0;
    for (size_t r = from; r < std::min(to, n_); ++r) {
      const char* p = reinterpret_cast<const char*>(span_[r]);
      sum += static_cast<uint8_t>(p[0]) + static_cast<uint8_t>(p[sizeof(model::Span) - 1]);
      for (size_t off = 64; off < sizeof(model::Span); off += 64) __builtin_prefetch(p + off);
    }
    touched_ += sum;
  }
  void ReadAttributes(size_t from, size_t to) {  // stage 2 on rows [from, to)
    uint64_t sum = 0;
    for (size_t r = from; r < std::min(to, n_); ++r) {
      const model::Span& s = *span_[r];
      if (s.attributes.count > 0) {
        const char* p = reinterpret_cast<const char*>(refs_[r].batch->attributes.data() + s.attributes.begin);
        size_t bytes = std::min<size_t>(s.attributes.count, 12) * sizeof(model::KeyValue);
        sum += static_cast<uint8_t>(p[0]);
        for (size_t off = 64; off < bytes; off += 64) __builtin_prefetch(p + off);
        __builtin_prefetch(p + bytes - 1);
      }
      if (!s.name.empty()) sum += static_cast<uint8_t>(s.name[0]);
    }
    touched_ += sum;
  }
  void Prefetch(size_t row) {
    if (row % kGroup == 0) {
      ReadSpans(row + 2 * kGroup, row + 3 * kGroup);
      ReadAttributes(row + kGroup, row + 2 * kGroup);
    }
    if (row + kStrings < n_) {  // stage 3
      const model::Span& s = *span_[row + kStrings];
      if (!s.name.empty()) __builtin_prefetch(s.name.data() + s.name.size() - 1);
      for (const model::KeyValue& kv : refs_[row + kStrings].batch->Attributes(s.attributes)) {
        __builtin_prefetch(kv.key.data());
        if (kv.value.kind == model::ValueKind::kString && !kv.value.str.empty()) {
          __builtin_prefetch(kv.value.str.data());
          __builtin_prefetch(kv.value.str.data() + kv.value.str.size() - 1);
        }
      }
    }
  }

  // Pass 1 for one span: the columns without codes, its strings interned.
  void EncodeSpan(size_t row) {
    Prefetch(row);
    const SpanRef& ref = refs_[row];
    const Batch& b = *ref.batch;
    const model::Span& s = *span_[row];
    Out(kSpanId).Append(s.span_id.bytes.data(), 8);
    Out(kSpanKind).Uvarint(static_cast<uint32_t>(s.kind));
    Out(kSpanStatus).Uvarint(static_cast<uint32_t>(s.status_code));
    Out(kSpanFlags).Uvarint(s.flags);
    Sink& d = Out(kSpanDropped);
    d.Uvarint(s.dropped_attributes_count);
    d.Uvarint(s.dropped_events_count);
    d.Uvarint(s.dropped_links_count);
    SpanRec& rec = recs_[row];
    rec.name = strings_.AddDict(s.name);
    rec.status_message = strings_.AddDict(s.status_message);
    rec.trace_state = strings_.AddDict(s.trace_state);
    rec.source = SourceOf(b, s.scope_index);
    rec.extra = s.events.count != 0 || s.links.count != 0;
    attrs_.AddSpan(&strings_, b, s.attributes, rec.name);
    if (rec.extra) {
      for (const model::Event& e : b.Events(s.events)) {
        strings_.AddDict(e.name);
        rg::AddAttrs(&strings_, b, e.attributes);
      }
      for (const model::Link& l : b.Links(s.links)) {
        strings_.AddDict(l.trace_state);
        rg::AddAttrs(&strings_, b, l.attributes);
      }
    }
  }

  // Resources and scopes: their strings once per class of equal sources
  // (the same service in many batches), not once per span.
  uint32_t SourceOf(const Batch& b, uint32_t scope) {
    uint32_t g = sources_->ClassOf(b, scope);
    if (g >= local_.size()) local_.resize(sources_->size() + 64, kNone);
    uint32_t& local = local_[g];
    if (local != kNone) return local;
    local = static_cast<uint32_t>(classes_.size());
    classes_.push_back(Class{g, kNone, kNone});
    const Batch& cb = sources_->batch(g);
    const model::Scope& sc = cb.scopes[sources_->scope(g)];
    const model::Resource& res = cb.resources[sc.resource_index];
    strings_.AddDict(sc.name);
    strings_.AddDict(sc.version);
    strings_.AddDict(sc.schema_url);
    rg::AddAttrs(&strings_, cb, sc.attributes);
    strings_.AddDict(res.schema_url);
    rg::AddAttrs(&strings_, cb, res.attributes);
    return local;
  }

  // Pass 2: the columns that hold codes (attributes are SpanAttrEncoder's).
  void WriteCodedColumns() {
    Sink& name = Out(kSpanName);
    Sink& message = Out(kSpanStatusMessage);
    Sink& state = Out(kSpanTraceState);
    Sink& resource = Out(kSpanResource);
    Sink& scope = Out(kSpanScope);
    Sink& events = Out(kEvents);
    Sink& links = Out(kLinks);
    for (size_t row = 0; row < n_; ++row) {
      const SpanRec& rec = recs_[row];
      name.Uvarint(strings_.Code(rec.name));
      message.Uvarint(strings_.Code(rec.status_message));
      state.Uvarint(strings_.Code(rec.trace_state));
      Class& src = classes_[rec.source];
      if (src.resource_id == kNone) Describe(&src);
      resource.Uvarint(src.resource_id);
      scope.Uvarint(src.scope_id);
      if (!rec.extra) {
        events.Byte(0);
        links.Byte(0);
      } else {
        const Batch& b = *refs_[row].batch;
        const model::Span& s = *span_[row];
        EncodeEvents(b, s, &events);
        EncodeLinks(b, s, &links);
      }
    }
  }

  void EncodeEvents(const Batch& b, const model::Span& s, Sink* out) {
    out->Uvarint(s.events.count);
    for (const model::Event& e : b.Events(s.events)) {
      out->Uvarint(ZigZag(static_cast<int64_t>(e.time_unix_nano - s.start_time_unix_nano)));
      out->Uvarint(strings_.CodeOf(e.name));
      rg::WriteAttrList(strings_, b, e.attributes, out);
      out->Uvarint(e.dropped_attributes_count);
    }
  }

  void EncodeLinks(const Batch& b, const model::Span& s, Sink* out) {
    out->Uvarint(s.links.count);
    for (const model::Link& l : b.Links(s.links)) {
      out->Append(l.trace_id.bytes.data(), 16);
      out->Append(l.span_id.bytes.data(), 8);
      out->Uvarint(strings_.CodeOf(l.trace_state));
      out->Uvarint(l.flags);
      rg::WriteAttrList(strings_, b, l.attributes, out);
      out->Uvarint(l.dropped_attributes_count);
    }
  }

  // Resources and scopes are stored once per row group by content: every
  // batch repeats its service's resource, and the table should not. The
  // encoded entry (with final codes) is its identity. Ids are given in order
  // of first use by a row: the resource, then the scope.
  void Describe(Class* src) {
    const Batch& b = sources_->batch(src->global);
    const model::Scope& s = b.scopes[sources_->scope(src->global)];
    const model::Resource& res = b.resources[s.resource_index];
    Sink e;
    entry_.clear();
    e.Attach(&entry_);
    rg::WriteAttrList(strings_, b, res.attributes, &e);
    e.Uvarint(strings_.CodeOf(res.schema_url));
    e.Uvarint(res.dropped_attributes_count);
    e.Finish();
    auto [r, r_added] = resource_content_.try_emplace(entry_, static_cast<uint32_t>(resource_content_.size()));
    if (r_added) Out(kResources).Append(entry_);
    src->resource_id = r->second;
    entry_.clear();
    e.Attach(&entry_);
    e.Uvarint(strings_.CodeOf(s.name));
    e.Uvarint(strings_.CodeOf(s.version));
    rg::WriteAttrList(strings_, b, s.attributes, &e);
    e.Uvarint(strings_.CodeOf(s.schema_url));
    e.Uvarint(s.dropped_attributes_count);
    e.Finish();
    auto [c, c_added] = scope_content_.try_emplace(entry_, static_cast<uint32_t>(scope_content_.size()));
    if (c_added) Out(kScopes).Append(entry_);
    src->scope_id = c->second;
  }

  // A plane whose bytes are all zero is left empty: most values need 3-4 of the 8.
  void WritePlanes() {
    for (int b = 0; b < kTimePlanes; ++b) {
      if ((start_or_ >> (8 * b) & 0xFF) != 0) WritePlane(start_value_, b, &Out(SpanStartPlane(b)));
      if ((end_or_ >> (8 * b) & 0xFF) != 0) WritePlane(end_value_, b, &Out(SpanEndPlane(b)));
    }
  }
  void WritePlane(const std::vector<uint64_t>& values, int b, Sink* out) {
    char* p = out->Room(n_);
    for (size_t i = 0; i < n_; ++i) p[i] = static_cast<char>(values[i] >> (8 * b));
    out->Advance(n_);
  }

  struct Sibling {
    uint64_t end, start;
    bool present;
  };

  EncodedRowGroup* out_ = nullptr;
  Sink col_[kColumnCount];
  StringTable strings_;
  rg::SpanAttrEncoder attrs_;
  size_t n_ = 0;
  const SpanRef* refs_ = nullptr;
  std::vector<const model::Span*> span_;
  std::vector<SpanRec> recs_;
  std::vector<uint64_t> start_value_, end_value_;
  uint64_t start_or_ = 0, end_or_ = 0;
  uint64_t touched_ = 0;  // what the read-ahead loads add up to (so that they are made)
  // Of the current trace's rows.
  std::vector<uint64_t> ids_;
  std::vector<uint32_t> parent_code_;
  std::vector<std::pair<uint64_t, uint32_t>> row_table_;
  std::vector<Sibling> sibling_;
  // Sources: a batch's scopes get consecutive slots (→ class) from its base.
  rg::SourceClasses* sources_ = nullptr;
  rg::SourceClasses own_sources_;  // when the caller keeps none: cleared per row group
  std::vector<Class> classes_;
  std::vector<uint32_t> local_;  // source class → index in classes_
  std::string entry_;
  std::unordered_map<std::string, uint32_t> resource_content_, scope_content_;
};

}  // namespace

namespace rg {

void SourceClasses::Clear() {
  classes_.clear();
  by_hash_.clear();
  slot_.clear();
  base_.clear();
  last_batch_ = nullptr;
}

void SourceClasses::Switch(const Batch& b) {
  auto [it, added] = base_.try_emplace(&b, static_cast<uint32_t>(slot_.size()));
  if (added) slot_.resize(slot_.size() + b.scopes.size(), kNone);
  last_batch_ = &b;
  last_base_ = it->second;
}

uint32_t SourceClasses::Classify(const Batch& b, uint32_t scope) {
  const model::Scope& sc = b.scopes[scope];
  const model::Resource& res = b.resources[sc.resource_index];
  uint64_t h = HashAttrs(b, res.attributes, HashBytes(res.schema_url) ^ res.dropped_attributes_count);
  h = HashAttrs(b, sc.attributes, h ^ HashBytes(sc.name));
  h ^= HashBytes(sc.version) * 31 + HashBytes(sc.schema_url) * 7 + sc.dropped_attributes_count;
  auto [first, added] = by_hash_.try_emplace(h, kNone);
  uint32_t& slot = slot_[last_base_ + scope];
  for (uint32_t c = first->second; c != kNone; c = classes_[c].next) {
    const Class& k = classes_[c];
    const model::Scope& ksc = k.batch->scopes[k.scope];
    const model::Resource& kres = k.batch->resources[ksc.resource_index];
    if (res.schema_url == kres.schema_url && res.dropped_attributes_count == kres.dropped_attributes_count &&
        sc.name == ksc.name && sc.version == ksc.version && sc.schema_url == ksc.schema_url &&
        sc.dropped_attributes_count == ksc.dropped_attributes_count &&
        SameAttrs(b, res.attributes, *k.batch, kres.attributes) &&
        SameAttrs(b, sc.attributes, *k.batch, ksc.attributes)) {
      return slot = c;
    }
  }
  slot = static_cast<uint32_t>(classes_.size());
  classes_.push_back(Class{&b, scope, first->second});
  first->second = slot;
  return slot;
}

namespace {
// One encoder per thread, kept for its buffers' capacity (the cut and
// compaction each write from one thread); a very large row group's are let go.
void Encode(std::span<const SpanRef> spans, EncodedRowGroup* out, SourceClasses* sources) {
  thread_local std::unique_ptr<Encoder> encoder;
  if (!encoder) encoder = std::make_unique<Encoder>();
  encoder->Run(spans, out, sources);
  if (spans.size() > 200'000) encoder.reset();
}
}  // namespace

void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out, SourceClasses* sources) {
  Encode(spans, out, sources);
}

}  // namespace rg

void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out) { rg::Encode(spans, out, nullptr); }

}  // namespace rubato::store::block
