// The encoder's string dictionary, tagged values, and span-attribute runs
// (docs/format/block.md, "The string dictionary" and "The generic attribute
// stream").
#include <algorithm>
#include <cassert>
#include <map>

#include "store/block/row_group_encoder.h"
#include "store/block/row_group_internal.h"

namespace rubato::store::block::rg {

using model::AnyValue;
using model::Batch;
using model::KeyValue;
using model::Range;
using model::ValueKind;

// ---- Dictionary ----

void Dict::AddValue(const Batch& b, const AnyValue& v) {
  switch (v.kind) {
    case ValueKind::kString:
      if (UuidTag(v.str) == 0) Add(v.str);  // UUIDs are stored as 16 bytes, not in the dictionary
      break;
    case ValueKind::kBytes: Add(v.str); break;
    case ValueKind::kArray:
      for (const AnyValue& e : b.Values(v.children)) AddValue(b, e);
      break;
    case ValueKind::kKvList: AddAttrs(b, v.children); break;
    default: break;
  }
}

void Dict::AddAttrs(const Batch& b, Range attrs) {
  for (const KeyValue& kv : b.Attributes(attrs)) {
    Add(kv.key);
    AddValue(b, kv.value);
  }
}

void Dict::Finalize(std::string* out) {
  std::vector<std::string_view> all;
  all.reserve(codes_.size());
  for (auto& [s, c] : codes_) all.push_back(s);
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size(); ++i) codes_[all[i]] = static_cast<uint32_t>(i + 1);
  PutUvarint(out, all.size());
  for (auto s : all) PutUvarint(out, s.size());
  for (auto s : all) out->append(s);
}

uint32_t Dict::Code(std::string_view s) const {
  if (s.empty()) return 0;
  auto it = codes_.find(s);
  assert(it != codes_.end() && "a string reached the encoder without being added to the dictionary");
  return it == codes_.end() ? 0 : it->second;
}

// ---- Tagged values ----

void WriteValue(const Dict& dict, const Batch& b, const AnyValue& v, std::string* out) {
  if (v.kind == ValueKind::kString) {
    if (uint8_t tag = UuidTag(v.str)) {
      out->push_back(static_cast<char>(tag));
      char bytes[16];
      UuidToBytes(v.str, bytes);
      out->append(bytes, 16);
      return;
    }
  }
  out->push_back(static_cast<char>(v.kind));
  switch (v.kind) {
    case ValueKind::kEmpty: break;
    case ValueKind::kString:
    case ValueKind::kBytes: PutUvarint(out, dict.Code(v.str)); break;
    case ValueKind::kBool: out->push_back(v.boolean ? 1 : 0); break;
    case ValueKind::kInt: PutSvarint(out, v.integer); break;
    case ValueKind::kDouble: PutFixed<double>(out, v.dbl); break;
    case ValueKind::kArray:
      PutUvarint(out, v.children.count);
      for (const AnyValue& e : b.Values(v.children)) WriteValue(dict, b, e, out);
      break;
    case ValueKind::kKvList: WriteAttrList(dict, b, v.children, out); break;
  }
}

void WriteAttrList(const Dict& dict, const Batch& b, Range attrs, std::string* out) {
  PutUvarint(out, attrs.count);
  for (const KeyValue& kv : b.Attributes(attrs)) {
    PutUvarint(out, dict.Code(kv.key));
    WriteValue(dict, b, kv.value, out);
  }
}

// ---- Span attribute runs ----

namespace {

uint8_t LayoutOf(const AnyValue& v) {
  switch (v.kind) {
    case ValueKind::kString: {
      uint8_t tag = UuidTag(v.str);
      return tag == kTagUuidLower ? kLayoutUuidLower : tag == kTagUuidUpper ? kLayoutUuidUpper : kLayoutString;
    }
    case ValueKind::kBytes: return kLayoutBytes;
    case ValueKind::kInt: return kLayoutInt;
    case ValueKind::kDouble: return kLayoutDouble;
    case ValueKind::kBool: return kLayoutBool;
    default: return kLayoutTagged;  // empty, arrays and kvlists
  }
}

}  // namespace

void SpanAttrEncoder::AddSpan(const Batch& b, Range attrs, uint32_t name_code) {
  span_name_.push_back(name_code);
  span_begin_.push_back(static_cast<uint32_t>(span_attrs_.size()));
  for (const KeyValue& kv : b.Attributes(attrs)) {
    uint32_t code = dict_.Code(kv.key);
    auto [it, added] = key_index_.try_emplace(code, static_cast<uint32_t>(keys_.size()));
    if (added) keys_.push_back(Key{code, kv.key, {}, {}, {}});
    Key& key = keys_[it->second];
    uint8_t layout = LayoutOf(kv.value);
    ++key.layout_count[layout];
    span_attrs_.push_back({it->second, static_cast<uint32_t>(key.entries.size())});
    uint64_t scalar = layout == kLayoutString || layout == kLayoutBytes ? dict_.Code(kv.value.str)
                      : layout == kLayoutInt                            ? ZigZag(kv.value.integer)
                                                                        : 0;
    key.entries.push_back({&b, &kv.value, layout, scalar});
  }
}

void SpanAttrEncoder::Finish(EncodedRowGroup* out) {
  span_begin_.push_back(static_cast<uint32_t>(span_attrs_.size()));
  AssignRuns();
  WriteRuns(out);
  WriteKeyLists(out);
}

// Each key gets one run in the fixed layout most of its values fit (so the
// run needs no per-value tag and a reader can index it), and, when some
// values do not fit it, a second, tagged run holding those. Runs are in key
// code order, so a scan for one key finds its runs together.
void SpanAttrEncoder::AssignRuns() {
  std::vector<uint32_t> order(keys_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys_[a].code < keys_[b].code; });
  for (uint32_t k : order) {
    Key& key = keys_[k];
    uint8_t main = kLayoutTagged;
    for (uint8_t l = 1; l < kLayoutCount; ++l) {
      if (key.layout_count[l] > key.layout_count[main] || (main == kLayoutTagged && key.layout_count[l] > 0)) main = l;
    }
    uint32_t main_pos = static_cast<uint32_t>(runs_.size());
    runs_.push_back(Run{k, main, {}});
    uint32_t misc_pos = UINT32_MAX;
    key.run_of.resize(key.entries.size());
    for (size_t e = 0; e < key.entries.size(); ++e) {
      const Entry& entry = key.entries[e];
      if (entry.layout == main) {
        key.run_of[e] = main_pos;
        runs_[main_pos].entries.push_back(&entry);
        continue;
      }
      if (misc_pos == UINT32_MAX) {
        misc_pos = static_cast<uint32_t>(runs_.size());
        runs_.push_back(Run{k, kLayoutTagged, {}});
      }
      key.run_of[e] = misc_pos;
      runs_[misc_pos].entries.push_back(&entry);
    }
  }
}

std::string SpanAttrEncoder::RunPayload(const Run& run, uint32_t* width) const {
  std::string p;
  *width = 0;
  uint64_t max = 0;
  switch (run.layout) {
    case kLayoutTagged:
      for (const Entry* e : run.entries) WriteValue(dict_, *e->batch, *e->value, &p);
      break;
    case kLayoutString:
    case kLayoutBytes:
    case kLayoutInt:
      for (const Entry* e : run.entries) max = std::max(max, e->scalar);
      *width = ByteWidth(max);
      p.reserve(run.entries.size() * *width);
      for (const Entry* e : run.entries) PutLe(&p, e->scalar, *width);
      break;
    case kLayoutDouble:
      for (const Entry* e : run.entries) PutFixed<double>(&p, e->value->dbl);
      break;
    case kLayoutBool:
      for (const Entry* e : run.entries) p.push_back(e->value->boolean ? 1 : 0);
      break;
    case kLayoutUuidLower:
    case kLayoutUuidUpper:
      // Plain 16 bytes per entry: zstd turns a trace's repeats into cheap
      // matches. (A table of distinct UUIDs plus an index per entry made the
      // raw run 2.4× smaller but cost 0.14 B/span more after zstd.)
      p.resize(run.entries.size() * 16);
      for (size_t i = 0; i < run.entries.size(); ++i) UuidToBytes(run.entries[i]->value->str, p.data() + 16 * i);
      break;
  }
  return p;
}

// Wide values get the repeat bitmap: a trace's UUIDs and amounts repeat span
// after span, and dropping the repeats both shrinks the raw run (less to
// decompress) and beats zstd's matches (−0.20 B/span on the standard
// workload). Narrow codes are left to zstd: a bitmap made them larger.
namespace {
std::string WithRepeats(std::string_view plain, uint32_t width, size_t count) {
  std::string out((count + 7) / 8, '\0');
  for (size_t i = 0; i < count; ++i) {
    std::string_view v = plain.substr(i * width, width);
    if (i > 0 && v == plain.substr((i - 1) * width, width)) {
      out[i / 8] = static_cast<char>(out[i / 8] | 1 << (i % 8));
    } else {
      out.append(v);
    }
  }
  return out;
}
}  // namespace

// attr.generic: the run directory, then the payloads of the runs kept here.
// A typed run goes to its key's dedicated column when the key has one and
// the run's layout is that column's.
void SpanAttrEncoder::WriteRuns(EncodedRowGroup* out) {
  std::string& generic = out->columns[ColumnSlot(kAttrGeneric)];
  std::string payloads;
  PutUvarint(&generic, runs_.size());
  for (const Run& run : runs_) {
    uint32_t width;
    std::string payload = RunPayload(run, &width);
    uint8_t layout = run.layout;
    uint32_t value_width = LayoutHasWidth(layout) ? width : LayoutFixedWidth(layout);
    if (layout != kLayoutTagged && value_width >= kRepeatsMinWidth) {
      payload = WithRepeats(payload, value_width, run.entries.size());
      layout |= kLayoutRepeats;
    }
    const Key& key = keys_[run.key];
    uint8_t where = 0;
    const DedicatedKey* d = run.layout == kLayoutTagged ? nullptr : FindDedicated(key.name);
    if (d != nullptr && d->layout == run.layout) {
      where = static_cast<uint8_t>(d->column);
      out->columns[ColumnSlot(d->column)] = payload;  // a key has at most one typed run
      out->dedicated_columns.emplace_back(d->key);
    } else {
      payloads += payload;
    }
    PutUvarint(&generic, key.code);
    PutUvarint(&generic, run.entries.size());
    generic.push_back(static_cast<char>(layout));
    if (LayoutHasWidth(run.layout)) generic.push_back(static_cast<char>(width));
    generic.push_back(static_cast<char>(where));
    PutUvarint(&generic, payload.size());
  }
  generic += payloads;
}

// A span's key list is the run position of each of its attributes, in order.
// Spans of one name mostly share a few lists, so attr.keys numbers the lists
// per span name, most used first: the codes stay small and repeat.
void SpanAttrEncoder::WriteKeyLists(EncodedRowGroup* out) {
  struct Group {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<const std::string*> lists;  // by provisional id
    std::vector<uint32_t> uses;
    std::vector<uint32_t> final_id;         // provisional → final
  };
  std::map<uint32_t, Group> groups;  // by name code: the table's order
  std::vector<uint32_t> span_list(span_name_.size());
  std::string list;
  for (size_t s = 0; s < span_name_.size(); ++s) {
    list.clear();
    PutUvarint(&list, span_begin_[s + 1] - span_begin_[s]);
    for (uint32_t a = span_begin_[s]; a < span_begin_[s + 1]; ++a) {
      auto [k, e] = span_attrs_[a];
      PutUvarint(&list, keys_[k].run_of[e]);
    }
    Group& g = groups[span_name_[s]];
    auto [it, added] = g.ids.try_emplace(list, static_cast<uint32_t>(g.lists.size()));
    if (added) {
      g.lists.push_back(&it->first);
      g.uses.push_back(0);
    }
    ++g.uses[it->second];
    span_list[s] = it->second;
  }
  std::string& table = out->columns[ColumnSlot(kAttrKeyLists)];
  PutUvarint(&table, groups.size());
  for (auto& [name, g] : groups) {
    std::vector<uint32_t> order(g.lists.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return g.uses[a] > g.uses[b]; });
    g.final_id.resize(order.size());
    PutUvarint(&table, name);
    PutUvarint(&table, order.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
      g.final_id[order[i]] = i;
      table += *g.lists[order[i]];
    }
  }
  std::string& keys = out->columns[ColumnSlot(kAttrKeys)];
  for (size_t s = 0; s < span_name_.size(); ++s) PutUvarint(&keys, groups[span_name_[s]].final_id[span_list[s]]);
}

}  // namespace rubato::store::block::rg
