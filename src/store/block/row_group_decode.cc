// Row-group decoder: rebuilds the spans of some rows, with their resources,
// scopes, attributes, events and links, into a Batch that owns its bytes.
// Variable-length columns are read sequentially, so rows before the wanted
// ones are parsed and dropped (emit = false) rather than materialized.
#include <unordered_map>
#include <vector>

#include "store/block/encoding.h"
#include "store/block/row_group.h"

namespace rubato::store::block {
namespace {

using model::AnyValue;
using model::KeyValue;
using model::Range;
using model::ValueKind;

class Decoder {
 public:
  Decoder(const RawColumns& raw, const model::TraceId& id, model::Batch* out)
      : raw_(raw), out_(*out), trace_id_(id) {
    for (int i = 0; i < kColumnCount; ++i) readers_.emplace_back(raw.columns[i]);
  }

  Status Run(uint32_t first_row, uint32_t count) {
    LoadDict();
    LoadRuns();
    uint64_t trace_start = TraceStart(first_row);
    std::vector<model::Span> spans;
    std::vector<uint32_t> parent_codes, resources, scopes;
    for (uint32_t row = 0; row < first_row + count && AllOk(); ++row) {
      bool emit = row >= first_row;
      uint32_t parent = R(kSpanParent).Uvarint32();
      // span.start is relative to the parent's start when the parent is an earlier row.
      uint64_t ref_start = emit && parent >= 2 && parent - 2 < spans.size()
                               ? spans[parent - 2].start_time_unix_nano : trace_start;
      model::Span s = ReadSpan(ref_start, emit);
      s.trace_id = trace_id_;
      if (parent == 1) Id(R(kSpanParentExternal), &s.parent_span_id);
      uint32_t res = R(kSpanResource).Uvarint32(), sc = R(kSpanScope).Uvarint32();
      if (!emit) continue;
      spans.push_back(s);
      parent_codes.push_back(parent);
      resources.push_back(res);
      scopes.push_back(sc);
    }
    if (!AllOk()) return Error();
    for (size_t i = 0; i < spans.size(); ++i) {  // parent as a row within the trace
      if (parent_codes[i] < 2) continue;
      uint32_t r = parent_codes[i] - 2;
      if (r >= spans.size()) return Status::Internal("column span.parent: row out of range");
      spans[i].parent_span_id = spans[r].span_id;
    }
    return Emit(spans, resources, scopes);
  }

 private:
  ByteReader& R(Column c) { return readers_[ColumnSlot(c)]; }
  bool AllOk() const {
    for (auto& r : readers_) if (!r.ok()) return false;
    return dict_ok_;
  }
  Status Error() const {
    if (!dict_ok_) return Status::Internal("column dict: malformed");
    for (int i = 0; i < kColumnCount; ++i) {
      if (!readers_[i].ok()) return Status::Internal(std::string("column ") + ColumnName(kAllColumns[i]) + ": malformed");
    }
    return Status::Internal("malformed row group");
  }

  void LoadDict() {
    ByteReader& d = R(kDict);
    uint64_t n = d.Uvarint();
    if (n > d.remaining()) { d.Fail(); return; }
    std::vector<uint64_t> lens(n);
    for (auto& l : lens) l = d.Uvarint();
    dict_.push_back({});
    for (uint64_t l : lens) dict_.push_back(d.Bytes(l));
  }
  std::string_view Str(ByteReader& r, bool emit) {
    uint64_t code = r.Uvarint();
    if (code >= dict_.size()) { r.Fail(); return {}; }
    return emit ? out_.Own(dict_[code]) : std::string_view();
  }
  template <typename IdT>
  static void Id(ByteReader& r, IdT* id) {
    std::string_view b = r.Bytes(IdT::kSize);
    if (b.size() == IdT::kSize) std::memcpy(id->bytes.data(), b.data(), IdT::kSize);
  }

  // Walks the per-trace columns to the trace whose first row is `first_row`.
  uint64_t TraceStart(uint32_t first_row) {
    uint64_t start = R(kTraceStart).Fixed<uint64_t>();
    uint64_t row = 0;
    while (AllOk() && !R(kTraceSpanCount).done()) {
      if (row == first_row) return start;
      row += R(kTraceSpanCount).Uvarint();
      start += R(kTraceStart).Svarint();
    }
    R(kTraceSpanCount).Fail();
    return 0;
  }

  model::Span ReadSpan(uint64_t ref_start, bool emit) {
    model::Span s;
    Id(R(kSpanId), &s.span_id);
    s.start_time_unix_nano = ref_start + static_cast<uint64_t>(R(kSpanStart).Svarint());
    s.end_time_unix_nano = s.start_time_unix_nano + static_cast<uint64_t>(R(kSpanDuration).Svarint());
    s.name = Str(R(kSpanName), emit);
    s.kind = static_cast<model::SpanKind>(R(kSpanKind).Uvarint32());
    s.status_code = static_cast<model::StatusCode>(R(kSpanStatus).Uvarint32());
    s.status_message = Str(R(kSpanStatusMessage), emit);
    s.flags = R(kSpanFlags).Uvarint32();
    s.trace_state = Str(R(kSpanTraceState), emit);
    s.dropped_attributes_count = R(kSpanDropped).Uvarint32();
    s.dropped_events_count = R(kSpanDropped).Uvarint32();
    s.dropped_links_count = R(kSpanDropped).Uvarint32();
    s.attributes = SpanAttrs(emit);
    s.events = Events(s.start_time_unix_nano, emit);
    s.links = Links(emit);
    return s;
  }

  Range Events(uint64_t span_start, bool emit) {
    ByteReader& r = R(kEvents);
    uint64_t n = r.Uvarint();
    if (n > r.remaining()) { r.Fail(); return {}; }
    std::vector<model::Event> events;
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      model::Event e;
      e.time_unix_nano = span_start + static_cast<uint64_t>(r.Svarint());
      e.name = Str(r, emit);
      e.attributes = Attrs(r, emit, 0);
      e.dropped_attributes_count = r.Uvarint32();
      events.push_back(e);
    }
    return emit ? out_.AppendEvents(events) : Range{};
  }

  Range Links(bool emit) {
    ByteReader& r = R(kLinks);
    uint64_t n = r.Uvarint();
    if (n > r.remaining()) { r.Fail(); return {}; }
    std::vector<model::Link> links;
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      model::Link l;
      Id(r, &l.trace_id);
      Id(r, &l.span_id);
      l.trace_state = Str(r, emit);
      l.flags = r.Uvarint32();
      l.attributes = Attrs(r, emit, 0);
      l.dropped_attributes_count = r.Uvarint32();
      links.push_back(l);
    }
    return emit ? out_.AppendLinks(links) : Range{};
  }

  // Finds each key's run of values in attr.generic (parsing to skip values).
  void LoadRuns() {
    ByteReader& g = R(kAttrGeneric);
    uint64_t keys = g.Uvarint();
    for (uint64_t k = 0; k < keys && g.ok(); ++k) {
      uint32_t code = g.Uvarint32();
      uint64_t n = g.Uvarint();
      const char* begin = g.ptr();
      for (uint64_t i = 0; i < n && g.ok(); ++i) Value(g, false, 0);
      runs_.push_back({code, ByteReader(std::string_view(begin, g.ptr() - begin))});
    }
  }

  // One span's attributes: run positions from attr.keys, each value the next of its run.
  Range SpanAttrs(bool emit) {
    ByteReader& keys = R(kAttrKeys);
    uint64_t n = keys.Uvarint();
    if (n > keys.remaining()) { keys.Fail(); return {}; }
    std::vector<KeyValue> kvs;
    for (uint64_t i = 0; i < n && keys.ok(); ++i) {
      uint32_t pos = keys.Uvarint32();
      if (pos >= runs_.size() || runs_[pos].first >= dict_.size()) { keys.Fail(); return {}; }
      auto& [code, run] = runs_[pos];
      KeyValue kv;
      kv.key = emit ? out_.Own(dict_[code]) : std::string_view();
      kv.value = Value(run, emit, 0);
      if (!run.ok()) { R(kAttrGeneric).Fail(); return {}; }
      kvs.push_back(kv);
    }
    return emit && keys.ok() ? out_.AppendAttributes(kvs) : Range{};
  }

  // Children are appended before their list, so each list stays contiguous.
  Range Attrs(ByteReader& r, bool emit, uint32_t depth) {
    uint64_t n = r.Uvarint();
    if (n > r.remaining() || depth > kMaxNesting) { r.Fail(); return {}; }
    std::vector<KeyValue> kvs;
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      KeyValue kv;
      kv.key = Str(r, emit);
      kv.value = Value(r, emit, depth);
      kvs.push_back(kv);
    }
    return emit && r.ok() ? out_.AppendAttributes(kvs) : Range{};
  }

  AnyValue Value(ByteReader& r, bool emit, uint32_t depth) {
    auto kind = static_cast<ValueKind>(r.Fixed<uint8_t>());
    switch (kind) {
      case ValueKind::kEmpty: return AnyValue();
      case ValueKind::kString: return AnyValue::String(Str(r, emit));
      case ValueKind::kBytes: return AnyValue::Bytes(Str(r, emit));
      case ValueKind::kBool: return AnyValue::Bool(r.Fixed<uint8_t>() != 0);
      case ValueKind::kInt: return AnyValue::Int(r.Svarint());
      case ValueKind::kDouble: return AnyValue::Double(r.Fixed<double>());
      case ValueKind::kArray: {
        uint64_t n = r.Uvarint();
        if (n > r.remaining() || depth + 1 > kMaxNesting) { r.Fail(); return {}; }
        std::vector<AnyValue> items;
        for (uint64_t i = 0; i < n && r.ok(); ++i) items.push_back(Value(r, emit, depth + 1));
        return AnyValue::Array(emit && r.ok() ? out_.AppendValues(items) : Range{});
      }
      case ValueKind::kKvList: return AnyValue::KvList(Attrs(r, emit, depth + 1));
    }
    r.Fail();
    return {};
  }

  // Offsets of each entry of a resource or scope table, found by parsing without emitting.
  std::vector<const char*> TableOffsets(Column c, bool scopes) {
    ByteReader r(raw_.Get(c));
    std::vector<const char*> offsets;
    while (r.ok() && !r.done()) {
      offsets.push_back(r.ptr());
      if (scopes) { Str(r, false); Str(r, false); }
      Attrs(r, false, 0);
      Str(r, false);
      r.Uvarint();
    }
    if (!r.ok()) R(c).Fail();
    return offsets;
  }

  Status Emit(const std::vector<model::Span>& spans, const std::vector<uint32_t>& resources,
              const std::vector<uint32_t>& scopes) {
    auto res_off = TableOffsets(kResources, false);
    auto scope_off = TableOffsets(kScopes, true);
    const char* res_end = raw_.Get(kResources).data() + raw_.Get(kResources).size();
    const char* scope_end = raw_.Get(kScopes).data() + raw_.Get(kScopes).size();
    uint32_t last_res = UINT32_MAX, last_scope = UINT32_MAX;
    for (size_t i = 0; i < spans.size() && AllOk(); ++i) {
      if (resources[i] >= res_off.size()) { R(kSpanResource).Fail(); break; }
      if (scopes[i] >= scope_off.size()) { R(kSpanScope).Fail(); break; }
      if (resources[i] != last_res) {
        ByteReader r(std::string_view(res_off[resources[i]], res_end - res_off[resources[i]]));
        Range attrs = Attrs(r, true, 0);
        std::string_view url = Str(r, true);
        out_.AddResource(attrs, url, r.Uvarint32());
        last_res = resources[i];
        last_scope = UINT32_MAX;
      }
      if (scopes[i] != last_scope) {
        ByteReader r(std::string_view(scope_off[scopes[i]], scope_end - scope_off[scopes[i]]));
        std::string_view name = Str(r, true), version = Str(r, true);
        Range attrs = Attrs(r, true, 0);
        std::string_view url = Str(r, true);
        out_.AddScope(name, version, attrs, url, r.Uvarint32());
        last_scope = scopes[i];
      }
      out_.AddSpan(spans[i]);
    }
    return AllOk() ? Status::Ok() : Error();
  }

  const RawColumns& raw_;
  model::Batch& out_;
  std::vector<ByteReader> readers_;
  std::vector<std::string_view> dict_;
  std::vector<std::pair<uint32_t, ByteReader>> runs_;  // (key code, its values), by position
  bool dict_ok_ = true;
  model::TraceId trace_id_;
};

}  // namespace

const std::string& RawColumns::Get(Column c) const { return columns[ColumnSlot(c)]; }

Status DecodeRows(const RawColumns& raw, const model::TraceId& trace_id, uint32_t first_row, uint32_t count,
                  model::Batch* out) {
  return Decoder(raw, trace_id, out).Run(first_row, count);
}

}  // namespace rubato::store::block
