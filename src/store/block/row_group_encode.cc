// Row-group encoder. The string dictionary must be sorted before any code is
// written, so the encoder walks the spans twice: the first walk only collects
// strings, the second writes the columns with final codes.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "store/block/encoding.h"
#include "store/block/row_group.h"

namespace rubato::store::block {
namespace {

using model::AnyValue;
using model::Batch;
using model::KeyValue;
using model::Range;
using model::ValueKind;

class Dict {
 public:
  bool collecting = true;
  uint32_t Code(std::string_view s) {
    if (collecting) { codes_.emplace(s, 0); return 0; }
    return s.empty() ? 0 : codes_.at(s);
  }
  // Sorts the collected strings; code 0 stays the empty string.
  void Finalize(std::string* out) {
    codes_.erase(std::string_view());
    std::vector<std::string_view> all;
    all.reserve(codes_.size());
    for (auto& [s, c] : codes_) all.push_back(s);
    std::sort(all.begin(), all.end());
    for (size_t i = 0; i < all.size(); ++i) codes_[all[i]] = static_cast<uint32_t>(i + 1);
    PutUvarint(out, all.size());
    for (auto s : all) PutUvarint(out, s.size());
    for (auto s : all) out->append(s);
    collecting = false;
  }

 private:
  std::unordered_map<std::string_view, uint32_t> codes_;
};

class Encoder {
 public:
  Encoder(std::span<const SpanRef> spans, EncodedRowGroup* out) : spans_(spans), out_(*out) {}

  void Run() {
    Walk();  // collect strings
    for (auto& c : out_.columns) c.clear();
    out_.traces.clear();
    resource_ids_.clear();
    scope_ids_.clear();
    resource_content_.clear();
    scope_content_.clear();
    dict_.Finalize(&Col(kDict));
    Walk();
  }

 private:
  std::string& Col(Column c) { return out_.columns[ColumnSlot(c)]; }

  void Walk() {
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
    WriteGenericStream();
  }

  // Span attributes: the keys per span (in their order) in attr.keys, the
  // values grouped by key in attr.generic, so one key's values (often equal
  // along a trace) sit together and compress well, and a scan reads one run.
  // attr.keys holds positions in the run list (small numbers, one byte) rather
  // than dictionary codes, so it is written once the run list is known.
  void SpanAttrs(const Batch& b, Range r) {
    key_stream_.push_back(r.count);
    for (const KeyValue& kv : b.Attributes(r)) {
      uint32_t code = dict_.Code(kv.key);
      key_stream_.push_back(code);
      auto& run = runs_[code];
      ++run.first;
      Value(b, kv.value, &run.second);
    }
  }

  void WriteGenericStream() {
    std::string& out = Col(kAttrGeneric);
    PutUvarint(&out, runs_.size());
    std::unordered_map<uint32_t, uint32_t> position;
    for (auto& [code, run] : runs_) {  // std::map: sorted by key code
      position.emplace(code, position.size());
      PutUvarint(&out, code);
      PutUvarint(&out, run.first);
      out.append(run.second);
    }
    std::string& keys = Col(kAttrKeys);
    for (size_t i = 0; i < key_stream_.size();) {
      uint32_t n = key_stream_[i++];
      PutUvarint(&keys, n);
      for (uint32_t k = 0; k < n; ++k) PutUvarint(&keys, position.at(key_stream_[i++]));
    }
    runs_.clear();
    key_stream_.clear();
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
    for (size_t i = begin; i < end; ++i) EncodeSpan(spans_, begin, i, t.start, row_of);
    return t;
  }

  // Row `i` of the trace starting at row `begin`.
  void EncodeSpan(std::span<const SpanRef> spans, size_t begin, size_t i, uint64_t trace_start,
                  const std::unordered_map<uint64_t, uint32_t>& row_of) {
    const SpanRef& ref = spans[i];
    const model::Span& s = ref.span();
    Col(kSpanId).append(s.span_id.AsBytes());
    int64_t parent = EncodeParent(s, row_of);
    // Relative to the parent's start when the parent came earlier: a child
    // starts soon after its parent, so the delta is shorter than from the trace start.
    uint64_t ref_start = parent >= 0 && static_cast<size_t>(parent) < i - begin
                             ? spans[begin + parent].span().start_time_unix_nano : trace_start;
    PutSvarint(&Col(kSpanStart), static_cast<int64_t>(s.start_time_unix_nano - ref_start));
    // Signed: an end before the start is kept as it came.
    PutSvarint(&Col(kSpanDuration), static_cast<int64_t>(s.end_time_unix_nano - s.start_time_unix_nano));
    PutUvarint(&Col(kSpanName), dict_.Code(s.name));
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
    SpanAttrs(*ref.batch, s.attributes);
    EncodeEvents(*ref.batch, s);
    EncodeLinks(*ref.batch, s);
  }

  // 0 = no parent, 1 = a parent outside the trace (its ID in column 17), 2 + row otherwise.
  // Returns the parent's row within the trace, or -1.
  int64_t EncodeParent(const model::Span& s, const std::unordered_map<uint64_t, uint32_t>& row_of) {
    if (s.parent_span_id.IsZero()) { PutUvarint(&Col(kSpanParent), 0); return -1; }
    uint64_t key;
    std::memcpy(&key, s.parent_span_id.bytes.data(), 8);
    auto it = row_of.find(key);
    if (it == row_of.end()) {
      PutUvarint(&Col(kSpanParent), 1);
      Col(kSpanParentExternal).append(s.parent_span_id.AsBytes());
      return -1;
    }
    PutUvarint(&Col(kSpanParent), 2 + it->second);
    return it->second;
  }

  void EncodeEvents(const Batch& b, const model::Span& s) {
    std::string& out = Col(kEvents);
    PutUvarint(&out, s.events.count);
    for (const model::Event& e : b.Events(s.events)) {
      PutSvarint(&out, static_cast<int64_t>(e.time_unix_nano - s.start_time_unix_nano));
      PutUvarint(&out, dict_.Code(e.name));
      Attrs(b, e.attributes, &out);
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
      Attrs(b, l.attributes, &out);
      PutUvarint(&out, l.dropped_attributes_count);
    }
  }

  // Resources and scopes are stored once per row group by content: every
  // batch repeats its service's resource, and the table should not.
  uint32_t ResourceId(const SpanRef& ref) {
    uint32_t r = ref.batch->ScopeOf(ref.span()).resource_index;
    auto cached = resource_ids_.find({ref.batch, r});
    if (cached != resource_ids_.end()) return cached->second;
    const model::Resource& res = ref.batch->resources[r];
    std::string key;
    RawAttrs(*ref.batch, res.attributes, &key);
    PutRaw(&key, res.schema_url);
    PutUvarint(&key, res.dropped_attributes_count);
    auto [it, added] = resource_content_.try_emplace(std::move(key), resource_content_.size());
    if (added) {
      std::string& out = Col(kResources);
      Attrs(*ref.batch, res.attributes, &out);
      PutUvarint(&out, dict_.Code(res.schema_url));
      PutUvarint(&out, res.dropped_attributes_count);
    }
    resource_ids_.emplace(std::make_pair(ref.batch, r), it->second);
    return it->second;
  }

  uint32_t ScopeId(const SpanRef& ref) {
    uint32_t sc = ref.span().scope_index;
    auto cached = scope_ids_.find({ref.batch, sc});
    if (cached != scope_ids_.end()) return cached->second;
    const model::Scope& s = ref.batch->scopes[sc];
    std::string key;
    PutRaw(&key, s.name);
    PutRaw(&key, s.version);
    RawAttrs(*ref.batch, s.attributes, &key);
    PutRaw(&key, s.schema_url);
    PutUvarint(&key, s.dropped_attributes_count);
    auto [it, added] = scope_content_.try_emplace(std::move(key), scope_content_.size());
    if (added) {
      std::string& out = Col(kScopes);
      PutUvarint(&out, dict_.Code(s.name));
      PutUvarint(&out, dict_.Code(s.version));
      Attrs(*ref.batch, s.attributes, &out);
      PutUvarint(&out, dict_.Code(s.schema_url));
      PutUvarint(&out, s.dropped_attributes_count);
    }
    scope_ids_.emplace(std::make_pair(ref.batch, sc), it->second);
    return it->second;
  }

  // A self-delimiting byte image of attributes with the strings inline: the identity
  // of a resource or scope, independent of dictionary codes.
  static void PutRaw(std::string* out, std::string_view s) {
    PutUvarint(out, s.size());
    out->append(s);
  }
  static void RawAttrs(const Batch& b, Range r, std::string* out) {
    PutUvarint(out, r.count);
    for (const KeyValue& kv : b.Attributes(r)) {
      PutRaw(out, kv.key);
      RawValue(b, kv.value, out);
    }
  }
  static void RawValue(const Batch& b, const AnyValue& v, std::string* out) {
    out->push_back(static_cast<char>(v.kind));
    switch (v.kind) {
      case ValueKind::kEmpty: break;
      case ValueKind::kString:
      case ValueKind::kBytes: PutRaw(out, v.str); break;
      case ValueKind::kBool: out->push_back(v.boolean ? 1 : 0); break;
      case ValueKind::kInt: PutSvarint(out, v.integer); break;
      case ValueKind::kDouble: PutFixed<double>(out, v.dbl); break;
      case ValueKind::kArray:
        PutUvarint(out, v.children.count);
        for (const AnyValue& e : b.Values(v.children)) RawValue(b, e, out);
        break;
      case ValueKind::kKvList: RawAttrs(b, v.children, out); break;
    }
  }

  void Attrs(const Batch& b, Range r, std::string* out) {
    PutUvarint(out, r.count);
    for (const KeyValue& kv : b.Attributes(r)) {
      PutUvarint(out, dict_.Code(kv.key));
      Value(b, kv.value, out);
    }
  }

  void Value(const Batch& b, const AnyValue& v, std::string* out) {
    out->push_back(static_cast<char>(v.kind));
    switch (v.kind) {
      case ValueKind::kEmpty: break;
      case ValueKind::kString:
      case ValueKind::kBytes: PutUvarint(out, dict_.Code(v.str)); break;
      case ValueKind::kBool: out->push_back(v.boolean ? 1 : 0); break;
      case ValueKind::kInt: PutSvarint(out, v.integer); break;
      case ValueKind::kDouble: PutFixed<double>(out, v.dbl); break;
      case ValueKind::kArray:
        PutUvarint(out, v.children.count);
        for (const AnyValue& e : b.Values(v.children)) Value(b, e, out);
        break;
      case ValueKind::kKvList: Attrs(b, v.children, out); break;
    }
  }

  struct PairHash {
    size_t operator()(const std::pair<const Batch*, uint32_t>& p) const {
      return std::hash<const void*>()(p.first) * 31 + p.second;
    }
  };
  std::span<const SpanRef> spans_;
  EncodedRowGroup& out_;
  Dict dict_;
  std::map<uint32_t, std::pair<uint64_t, std::string>> runs_;  // key code → (count, values)
  std::vector<uint32_t> key_stream_;  // per span: count, then key codes
  std::unordered_map<std::pair<const Batch*, uint32_t>, uint32_t, PairHash> resource_ids_, scope_ids_;
  std::unordered_map<std::string, uint32_t> resource_content_, scope_content_;
};

}  // namespace

int ColumnSlot(uint16_t id) {
  for (int i = 0; i < kColumnCount; ++i) if (kAllColumns[i] == id) return i;
  return -1;
}

const char* ColumnName(uint16_t id) {
  switch (id) {
    case kTraceId: return "trace.id";
    case kTraceSpanCount: return "trace.span_count";
    case kTraceStart: return "trace.start";
    case kSpanId: return "span.id";
    case kSpanParent: return "span.parent";
    case kSpanStart: return "span.start";
    case kSpanDuration: return "span.duration";
    case kSpanName: return "span.name";
    case kSpanKind: return "span.kind";
    case kSpanStatus: return "span.status";
    case kSpanStatusMessage: return "span.status_message";
    case kSpanResource: return "span.resource";
    case kSpanScope: return "span.scope";
    case kSpanFlags: return "span.flags";
    case kSpanTraceState: return "span.trace_state";
    case kSpanDropped: return "span.dropped";
    case kSpanParentExternal: return "span.parent_external";
    case kAttrGeneric: return "attr.generic";
    case kEvents: return "event.*";
    case kLinks: return "link.*";
    case kAttrKeys: return "attr.keys";
    case kDict: return "dict";
    case kResources: return "resources";
    case kScopes: return "scopes";
  }
  return "unknown";
}

void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out) { Encoder(spans, out).Run(); }

}  // namespace rubato::store::block
