#include "store/block/row_group_values.h"

#include <cstring>
#include <vector>

#include "store/block/row_group_internal.h"
#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block {
namespace {

using Sink = RowGroupValueSink;
using scan::RowGroupData;

std::vector<Column> ValueColumns() {
  std::vector<Column> c = {kDict,      kSpanParent, kSpanName, kSpanKind,     kSpanStatus, kSpanStatusMessage,
                           kSpanResource, kAttrGeneric, kAttrKeyLists, kEvents, kLinks, kResources, kScopes};
  for (int d = kAttrHttpRequestMethod; d <= kAttrPeerService; ++d) c.push_back(static_cast<Column>(d));
  return c;
}

// Remembers which dictionary codes were reported, per run or column, without
// clearing a row group's worth of flags each time.
class SeenCodes {
 public:
  explicit SeenCodes(uint32_t dict_size) : stamp_(dict_size, 0) {}
  void Next() { ++generation_; }
  bool FirstTime(uint32_t code) {  // code < dict size
    if (stamp_[code] == generation_) return false;
    stamp_[code] = generation_;
    return true;
  }

 private:
  std::vector<uint32_t> stamp_;
  uint32_t generation_ = 1;
};

class Reader {
 public:
  Reader(RowGroupData& data, Sink* sink) : d_(data), sink_(*sink), seen_(data.DictSize()) {}

  Status Intrinsics() {
    auto names = Distinct(kSpanName);
    if (!names.ok()) return names.status();
    for (uint32_t c : *names) sink_.Value(Sink::Intrinsic::kName, d_.DictEntry(c));
    auto messages = Distinct(kSpanStatusMessage);
    if (!messages.ok()) return messages.status();
    for (uint32_t c : *messages) {
      if (std::string_view m = d_.DictEntry(c); !m.empty()) sink_.Value(Sink::Intrinsic::kStatusMessage, m);
    }
    auto kinds = Distinct(kSpanKind, /*any_value=*/true);
    if (!kinds.ok()) return kinds.status();
    for (uint32_t k : *kinds) sink_.Kind(static_cast<model::SpanKind>(static_cast<int32_t>(k)));
    auto statuses = Distinct(kSpanStatus, /*any_value=*/true);
    if (!statuses.ok()) return statuses.status();
    for (uint32_t s : *statuses) sink_.Status(static_cast<model::StatusCode>(static_cast<int32_t>(s)));
    return Roots();
  }

  // The name and service.name of every root (a span without a parent ID).
  Status Roots() {
    auto parents = d_.Codes(kSpanParent);
    if (!parents.ok()) return parents.status();
    auto names = d_.Codes(kSpanName);
    if (!names.ok()) return names.status();
    auto resources = d_.Codes(kSpanResource);
    if (!resources.ok()) return resources.status();
    auto table = d_.Resources();
    if (!table.ok()) return table.status();
    seen_.Next();
    std::vector<uint8_t> resource_seen((*table)->size(), 0);
    for (uint32_t r = 0; r < d_.rows(); ++r) {
      if ((**parents)[r] != 0) continue;
      if (seen_.FirstTime((**names)[r])) sink_.Value(Sink::Intrinsic::kRootName, d_.DictEntry((**names)[r]));
      uint32_t res = (**resources)[r];
      if (res >= resource_seen.size()) return d_.Corrupt(kSpanResource, "table index out of range");
      if (resource_seen[res]) continue;
      resource_seen[res] = 1;
      for (const model::KeyValue& kv : d_.scratch().Attributes((**table)[res])) {
        if (kv.key == "service.name" && kv.value.kind == model::ValueKind::kString) {
          sink_.Value(Sink::Intrinsic::kRootService, kv.value.str);
        }
      }
    }
    return Status::Ok();
  }

  Status Tables() {
    auto resources = d_.Resources();
    if (!resources.ok()) return resources.status();
    for (model::Range attrs : **resources) List(Sink::Scope::kResource, attrs);
    auto scopes = d_.Scopes();
    if (!scopes.ok()) return scopes.status();
    for (const RowGroupData::ScopeEntry& e : **scopes) {
      if (!e.name.empty()) sink_.Value(Sink::Intrinsic::kScopeName, e.name);
      if (!e.version.empty()) sink_.Value(Sink::Intrinsic::kScopeVersion, e.version);
      List(Sink::Scope::kInstrumentation, e.attributes);
    }
    return Status::Ok();
  }

  // Span attributes: every run's stored values, whatever rows own them.
  Status SpanAttributes() {
    auto layout = d_.Attrs();
    if (!layout.ok()) return layout.status();
    for (const scan::AttrLayout::Run& run : (*layout)->runs) {
      uint64_t stored = 0;
      auto payload = scan::RunPayload(d_, run, &stored);
      if (!payload.ok()) return payload.status();
      std::string_view values = payload->substr(run.repeats ? (uint64_t{run.count} + 7) / 8 : 0);
      if (Status s = Run(run, d_.DictEntry(run.key), values, stored); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Events (their names and attributes) and links (their attributes).
  Status EventsAndLinks() {
    for (bool events : {true, false}) {
      const Column column = events ? kEvents : kLinks;
      auto col = d_.Column(column);
      if (!col.ok()) return col.status();
      ByteReader r(*col);
      for (uint32_t row = 0; row < d_.rows() && r.ok(); ++row) {
        uint64_t n = r.Uvarint();
        if (n > r.remaining()) r.Fail();
        for (uint64_t i = 0; i < n && r.ok(); ++i) {
          if (events) {
            r.Svarint();  // time
            uint64_t name = r.Uvarint();
            if (!r.ok() || name >= d_.DictSize()) return d_.Corrupt(column, "malformed");
            if (std::string_view text = d_.DictEntry(static_cast<uint32_t>(name)); !text.empty()) {
              sink_.Value(Sink::Intrinsic::kEventName, text);
            }
          } else {
            r.Bytes(model::TraceId::kSize + model::SpanId::kSize);
            r.Uvarint();  // trace state
            r.Uvarint();  // flags
          }
          model::Range attrs;
          if (!d_.values().ReadAttrList(r, &attrs)) return d_.Corrupt(column, "malformed");
          r.Uvarint();  // dropped attributes
          List(events ? Sink::Scope::kEvent : Sink::Scope::kLink, attrs);
        }
      }
      if (!r.ok() || !r.done()) return d_.Corrupt(column, "malformed");
    }
    return Status::Ok();
  }

 private:
  // The distinct values of a per-row code column: dictionary codes (checked
  // against the dictionary), or with `any_value` small open enums.
  Result<std::vector<uint32_t>> Distinct(Column c, bool any_value = false) {
    auto codes = d_.Codes(c);
    if (!codes.ok()) return codes.status();
    std::vector<uint32_t> out;
    if (any_value) {
      for (uint32_t v : **codes) {
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
      }
      return out;
    }
    seen_.Next();
    for (uint32_t v : **codes) {
      if (v >= d_.DictSize()) return d_.Corrupt(c, "dictionary code out of range");
      if (seen_.FirstTime(v)) out.push_back(v);
    }
    return out;
  }

  void List(Sink::Scope scope, model::Range attrs) {
    for (const model::KeyValue& kv : d_.scratch().Attributes(attrs)) sink_.Attribute(scope, kv.key, kv.value, d_.scratch());
  }

  Status Run(const scan::AttrLayout::Run& run, std::string_view key, std::string_view values, uint64_t stored) {
    auto report = [&](const model::AnyValue& v) { sink_.Attribute(Sink::Scope::kSpan, key, v, d_.scratch()); };
    const char* p = values.data();
    const uint32_t w = run.width;
    switch (run.layout) {
      case rg::kLayoutTagged: {
        ByteReader r(values);
        for (uint64_t e = 0; e < run.count; ++e) {
          model::AnyValue v;
          if (!d_.values().Read(r, &v)) return Corrupt(run);
          report(v);
        }
        return r.ok() && r.done() ? Status::Ok() : Corrupt(run);
      }
      case rg::kLayoutString:
      case rg::kLayoutBytes:
        seen_.Next();
        for (uint64_t i = 0; i < stored; ++i) {
          uint64_t code = rg::GetLe(p + i * w, w);
          if (code >= d_.DictSize()) return Corrupt(run);
          if (!seen_.FirstTime(static_cast<uint32_t>(code))) continue;
          std::string_view text = d_.DictEntry(static_cast<uint32_t>(code));
          report(run.layout == rg::kLayoutString ? model::AnyValue::String(text) : model::AnyValue::Bytes(text));
        }
        return Status::Ok();
      case rg::kLayoutInt: {
        int64_t last = 0;
        for (uint64_t i = 0; i < stored; ++i) {
          int64_t v = UnZigZag(rg::GetLe(p + i * w, w));
          if (i == 0 || v != last) report(model::AnyValue::Int(v));
          last = v;
        }
        return Status::Ok();
      }
      case rg::kLayoutDouble:
        for (uint64_t i = 0; i < stored; ++i) {
          double v;
          std::memcpy(&v, p + i * 8, 8);
          report(model::AnyValue::Double(v));
        }
        return Status::Ok();
      case rg::kLayoutBool: {
        bool any[2] = {false, false};
        for (uint64_t i = 0; i < stored; ++i) any[p[i] != 0] = true;
        for (bool b : {false, true}) {
          if (any[b]) report(model::AnyValue::Bool(b));
        }
        return Status::Ok();
      }
      default:  // UUIDs, as their text
        for (uint64_t i = 0; i < stored; ++i) {
          report(model::AnyValue::String(d_.values().UuidText(p + i * 16, run.layout == rg::kLayoutUuidUpper)));
        }
        return Status::Ok();
    }
  }
  Status Corrupt(const scan::AttrLayout::Run& run) const {
    return d_.Corrupt(static_cast<Column>(run.column), "malformed run");
  }

  RowGroupData& d_;
  Sink& sink_;
  SeenCodes seen_;
};

}  // namespace

Status ReadRowGroupValues(const BlockReader& reader, uint32_t row_group, RowGroupValueSink* sink) {
  auto page = reader.ReadIndexPage(row_group);
  if (!page.ok()) return page.status();
  const std::vector<Column> columns = ValueColumns();
  auto chunks = reader.ReadStoredChunks(row_group, *page, columns);
  if (!chunks.ok()) return chunks.status();
  RowGroupData data(reader, row_group, *page, std::move(chunks).value(), nullptr);
  auto dict = data.Dict();
  if (!dict.ok()) return dict.status();
  Reader r(data, sink);
  if (Status s = r.Intrinsics(); !s.ok()) return s;
  if (Status s = r.Tables(); !s.ok()) return s;
  if (Status s = r.SpanAttributes(); !s.ok()) return s;
  return r.EventsAndLinks();
}

}  // namespace rubato::store::block
