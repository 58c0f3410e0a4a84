// Row-group encoder (docs/format/block.md, "data: row groups"). The string
// dictionary must be sorted before any code is written, so the encoder
// first collects every string, then walks the spans once, writing the
// columns with final codes.
#include <algorithm>
#include <unordered_map>

#include "store/block/encoding.h"
#include "store/block/row_group.h"
#include "store/block/row_group_encoder.h"
#include "store/block/row_group_internal.h"

namespace rubato::store::block {
namespace {

using model::Batch;
using model::Range;
using rg::Dict;

class Encoder {
 public:
  Encoder(std::span<const SpanRef> spans, EncodedRowGroup* out) : spans_(spans), out_(*out), attrs_(dict_) {}

  void Run() {
    for (auto& c : out_.columns) c.clear();
    out_.traces.clear();
    out_.dedicated_columns.clear();
    CollectStrings();
    dict_.Finalize(&Col(kDict));
    for (auto& p : start_planes_) p.reserve(spans_.size());
    for (auto& p : end_planes_) p.reserve(spans_.size());
    uint64_t prev_trace_start = 0;
    for (size_t i = 0; i < spans_.size();) {
      size_t j = i;
      while (j < spans_.size() && spans_[j].span().trace_id == spans_[i].span().trace_id) ++j;
      TraceEntry t = EncodeTrace(i, j);
      PutUvarint(&Col(kTraceSpanCount), t.span_count);
      if (out_.traces.empty()) PutFixed<uint64_t>(&Col(kTraceStart), t.start);
      else PutSvarint(&Col(kTraceStart), static_cast<int64_t>(t.start - prev_trace_start));
      prev_trace_start = t.start;
      out_.traces.push_back(t);
      i = j;
    }
    // A plane whose bytes are all zero is left empty: most values need 3-4 of the 8.
    for (int b = 0; b < kTimePlanes; ++b) {
      if (std::any_of(start_planes_[b].begin(), start_planes_[b].end(), [](char c) { return c != 0; })) {
        Col(SpanStartPlane(b)) = std::move(start_planes_[b]);
      }
      if (std::any_of(end_planes_[b].begin(), end_planes_[b].end(), [](char c) { return c != 0; })) {
        Col(SpanEndPlane(b)) = std::move(end_planes_[b]);
      }
    }
    attrs_.Finish(&out_);
  }

 private:
  std::string& Col(Column c) { return out_.columns[ColumnSlot(c)]; }

  void CollectStrings() {
    for (const SpanRef& ref : spans_) {
      const Batch& b = *ref.batch;
      const model::Span& s = ref.span();
      dict_.Add(s.name);
      dict_.Add(s.status_message);
      dict_.Add(s.trace_state);
      dict_.AddAttrs(b, s.attributes);
      for (const model::Event& e : b.Events(s.events)) {
        dict_.Add(e.name);
        dict_.AddAttrs(b, e.attributes);
      }
      for (const model::Link& l : b.Links(s.links)) {
        dict_.Add(l.trace_state);
        dict_.AddAttrs(b, l.attributes);
      }
      // Resources and scopes: once per batch entry, not once per span.
      if (seen_scopes_.emplace(std::make_pair(&b, s.scope_index), 0).second) {
        const model::Scope& sc = b.scopes[s.scope_index];
        dict_.Add(sc.name);
        dict_.Add(sc.version);
        dict_.Add(sc.schema_url);
        dict_.AddAttrs(b, sc.attributes);
        const model::Resource& res = b.resources[sc.resource_index];
        dict_.Add(res.schema_url);
        dict_.AddAttrs(b, res.attributes);
      }
    }
  }

  TraceEntry EncodeTrace(size_t begin, size_t end) {
    TraceEntry t;
    t.id = spans_[begin].span().trace_id;
    t.first_row = static_cast<uint32_t>(begin);
    t.span_count = static_cast<uint32_t>(end - begin);
    t.start = spans_[begin].span().start_time_unix_nano;  // sorted by start within the trace
    // Parent lookup by span ID within the trace; traces are small, a map per trace is cheap.
    std::unordered_map<uint64_t, uint32_t> row_of;
    for (size_t i = begin; i < end; ++i) {
      uint64_t key;
      std::memcpy(&key, spans_[i].span().span_id.bytes.data(), 8);
      row_of.emplace(key, static_cast<uint32_t>(i - begin));
      t.end = std::max(t.end, spans_[i].span().end_time_unix_nano);
    }
    size_t n = end - begin;
    parent_code_.assign(n, 0);
    for (size_t i = begin; i < end; ++i) parent_code_[i - begin] = EncodeParent(spans_[i].span(), row_of);
    EncodeTimes(begin, n, t.start);
    for (size_t i = begin; i < end; ++i) EncodeSpan(spans_[i]);
    return t;
  }

  // span.parent: 0 = no parent, 1 = a parent outside the trace (its ID in
  // column 17), 2 + its row within the trace otherwise.
  uint32_t EncodeParent(const model::Span& s, const std::unordered_map<uint64_t, uint32_t>& row_of) {
    uint32_t code = 0;
    if (!s.parent_span_id.IsZero()) {
      uint64_t key;
      std::memcpy(&key, s.parent_span_id.bytes.data(), 8);
      auto it = row_of.find(key);
      if (it == row_of.end()) {
        code = 1;
        Col(kSpanParentExternal).append(s.parent_span_id.AsBytes());
      } else {
        code = 2 + it->second;
      }
    }
    PutUvarint(&Col(kSpanParent), code);
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
    sibling_end_.assign(n + 2, 0);
    sibling_start_.assign(n + 2, 0);
    has_sibling_.assign(n + 2, false);
    std::string& refs = Col(kSpanTimeRef);
    for (size_t i = 0; i < n; ++i) {
      const model::Span& s = spans_[begin + i].span();
      uint32_t code = parent_code_[i];
      bool parent_before = code >= 2 && code - 2 < i;
      const model::Span* parent = parent_before ? &spans_[begin + code - 2].span() : nullptr;
      uint64_t start = s.start_time_unix_nano, end = s.end_time_unix_nano;

      uint8_t mode = rg::kStartFromParent;
      uint64_t best = ZigZag(static_cast<int64_t>(start - (parent ? parent->start_time_unix_nano : trace_start)));
      if (has_sibling_[code]) {
        uint64_t after = ZigZag(static_cast<int64_t>(start - sibling_end_[code]));
        uint64_t from = ZigZag(static_cast<int64_t>(start - sibling_start_[code]));
        if (after < best) best = after, mode = rg::kStartAfterSiblings;
        if (from < best) best = from, mode = rg::kStartFromSibling;
      }
      uint64_t end_value = ZigZag(static_cast<int64_t>(end - start));
      if (parent != nullptr) {
        uint64_t before_parent = ZigZag(static_cast<int64_t>(parent->end_time_unix_nano - end));
        if (before_parent < end_value) end_value = before_parent, mode |= rg::kEndFromParentEnd;
      }
      refs.push_back(static_cast<char>(mode));
      for (int b = 0; b < kTimePlanes; ++b) {
        start_planes_[b].push_back(static_cast<char>(best >> (8 * b)));
        end_planes_[b].push_back(static_cast<char>(end_value >> (8 * b)));
      }
      sibling_end_[code] = has_sibling_[code] ? std::max(sibling_end_[code], end) : end;
      sibling_start_[code] = start;
      has_sibling_[code] = true;
    }
  }

  void EncodeSpan(const SpanRef& ref) {
    const model::Span& s = ref.span();
    Col(kSpanId).append(s.span_id.AsBytes());
    uint32_t name = dict_.Code(s.name);
    PutUvarint(&Col(kSpanName), name);
    PutUvarint(&Col(kSpanKind), static_cast<uint32_t>(s.kind));
    PutUvarint(&Col(kSpanStatus), static_cast<uint32_t>(s.status_code));
    PutUvarint(&Col(kSpanStatusMessage), dict_.Code(s.status_message));
    PutUvarint(&Col(kSpanResource), ResourceId(ref));
    PutUvarint(&Col(kSpanScope), ScopeId(ref));
    PutUvarint(&Col(kSpanFlags), s.flags);
    PutUvarint(&Col(kSpanTraceState), dict_.Code(s.trace_state));
    std::string& d = Col(kSpanDropped);
    PutUvarint(&d, s.dropped_attributes_count);
    PutUvarint(&d, s.dropped_events_count);
    PutUvarint(&d, s.dropped_links_count);
    attrs_.AddSpan(*ref.batch, s.attributes, name);
    EncodeEvents(*ref.batch, s);
    EncodeLinks(*ref.batch, s);
  }

  void EncodeEvents(const Batch& b, const model::Span& s) {
    std::string& out = Col(kEvents);
    PutUvarint(&out, s.events.count);
    for (const model::Event& e : b.Events(s.events)) {
      PutSvarint(&out, static_cast<int64_t>(e.time_unix_nano - s.start_time_unix_nano));
      PutUvarint(&out, dict_.Code(e.name));
      rg::WriteAttrList(dict_, b, e.attributes, &out);
      PutUvarint(&out, e.dropped_attributes_count);
    }
  }

  void EncodeLinks(const Batch& b, const model::Span& s) {
    std::string& out = Col(kLinks);
    PutUvarint(&out, s.links.count);
    for (const model::Link& l : b.Links(s.links)) {
      out.append(l.trace_id.AsBytes());
      out.append(l.span_id.AsBytes());
      PutUvarint(&out, dict_.Code(l.trace_state));
      PutUvarint(&out, l.flags);
      rg::WriteAttrList(dict_, b, l.attributes, &out);
      PutUvarint(&out, l.dropped_attributes_count);
    }
  }

  // Resources and scopes are stored once per row group by content: every
  // batch repeats its service's resource, and the table should not. The
  // encoded entry (with final codes) is its identity.
  uint32_t ResourceId(const SpanRef& ref) {
    uint32_t r = ref.batch->ScopeOf(ref.span()).resource_index;
    auto cached = resource_ids_.find({ref.batch, r});
    if (cached != resource_ids_.end()) return cached->second;
    const model::Resource& res = ref.batch->resources[r];
    std::string entry;
    rg::WriteAttrList(dict_, *ref.batch, res.attributes, &entry);
    PutUvarint(&entry, dict_.Code(res.schema_url));
    PutUvarint(&entry, res.dropped_attributes_count);
    auto [it, added] = resource_content_.try_emplace(entry, static_cast<uint32_t>(resource_content_.size()));
    if (added) Col(kResources) += entry;
    resource_ids_.emplace(std::make_pair(ref.batch, r), it->second);
    return it->second;
  }

  uint32_t ScopeId(const SpanRef& ref) {
    uint32_t sc = ref.span().scope_index;
    auto cached = scope_ids_.find({ref.batch, sc});
    if (cached != scope_ids_.end()) return cached->second;
    const model::Scope& s = ref.batch->scopes[sc];
    std::string entry;
    PutUvarint(&entry, dict_.Code(s.name));
    PutUvarint(&entry, dict_.Code(s.version));
    rg::WriteAttrList(dict_, *ref.batch, s.attributes, &entry);
    PutUvarint(&entry, dict_.Code(s.schema_url));
    PutUvarint(&entry, s.dropped_attributes_count);
    auto [it, added] = scope_content_.try_emplace(entry, static_cast<uint32_t>(scope_content_.size()));
    if (added) Col(kScopes) += entry;
    scope_ids_.emplace(std::make_pair(ref.batch, sc), it->second);
    return it->second;
  }

  struct PairHash {
    size_t operator()(const std::pair<const Batch*, uint32_t>& p) const {
      return std::hash<const void*>()(p.first) * 31 + p.second;
    }
  };
  std::span<const SpanRef> spans_;
  EncodedRowGroup& out_;
  Dict dict_;
  rg::SpanAttrEncoder attrs_;
  std::string start_planes_[kTimePlanes], end_planes_[kTimePlanes];
  std::vector<uint32_t> parent_code_;  // of the current trace's rows
  std::vector<uint64_t> sibling_end_, sibling_start_;
  std::vector<bool> has_sibling_;
  std::unordered_map<std::pair<const Batch*, uint32_t>, int, PairHash> seen_scopes_;
  std::unordered_map<std::pair<const Batch*, uint32_t>, uint32_t, PairHash> resource_ids_, scope_ids_;
  std::unordered_map<std::string, uint32_t> resource_content_, scope_content_;
};

}  // namespace

void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out) { Encoder(spans, out).Run(); }

}  // namespace rubato::store::block
