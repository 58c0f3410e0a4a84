// Span attributes for the prefilter: which rows carry a key, from the key
// lists alone, and a test of each of its values read in place from its runs
// (a dedicated column or a payload of attr.generic), without building spans.
// Fixed layouts are read by position; tagged runs are walked value by value.
#include <algorithm>
#include <cstring>

#include "store/block/row_group_internal.h"
#include "store/block/row_group_scan_internal.h"

namespace rubato::store::block::scan {
namespace {

using model::ValueKind;

// Tests one run's entries: fixed layouts by position (any entry, in any
// order), tagged runs value after value.
class RunReader {
 public:
  RunReader(RowGroupData& data, const AttrLayout::Run& run, std::string_view payload, const ValueTest& test,
            CodeTest& strings)
      : data_(data), run_(run), test_(test), strings_(strings), dict_size_(data.DictSize()), tagged_(payload) {
    if (run.repeats) {
      repeats_ = reinterpret_cast<const uint8_t*>(payload.data());
      payload.remove_prefix((run.count + 7) / 8);
      // rank_[b]: entries before entry 64·b that store a value (clear bits).
      rank_.assign(run.count / 64 + 2, 0);
      for (uint64_t b = 0; b * 64 < run.count; ++b) {
        rank_[b + 1] = rank_[b] + rg::ClearBits(repeats_, b * 64, std::min<uint64_t>(b * 64 + 64, run.count));
      }
    }
    values_ = payload;
    tagged_ = ByteReader(payload);
  }
  bool tagged() const { return run_.layout == rg::kLayoutTagged; }

  // Fixed layouts: the state of entry `e` (< count); false when the run is corrupt.
  bool At(uint64_t e, State* state) {
    uint64_t i = e;
    if (repeats_ != nullptr) {
      uint64_t before = rank_[e >> 6] + rg::ClearBits(repeats_, e & ~uint64_t{63}, e);
      if ((repeats_[e >> 3] >> (e & 7) & 1) != 0) {
        if (before == 0) return false;  // repeats nothing
        i = before - 1;                 // the last entry that stored a value
      } else {
        i = before;
      }
    }
    return ValueAt(i, state);
  }

  // Fixed layouts: the state of stored value `i` (< the run's stored values).
  bool ValueAt(uint64_t i, State* state) {
    if (i == cached_) {  // repeated values (UUIDs, amounts) are tested once
      *state = cached_state_;
      return true;
    }
    const char* p = values_.data() + i * run_.width;
    switch (run_.layout) {
      case rg::kLayoutString: {
        uint64_t code = Le(i);
        if (code >= dict_size_) return false;
        *state = StringCode(static_cast<uint32_t>(code));
        break;
      }
      case rg::kLayoutBytes: *state = kPass; break;  // not compared: maybe
      case rg::kLayoutInt: *state = Int(UnZigZag(Le(i))); break;
      case rg::kLayoutDouble: {
        double d;
        std::memcpy(&d, p, 8);
        *state = TestDouble(test_, d);
        break;
      }
      case rg::kLayoutBool: *state = TestBool(test_, *p != 0); break;
      default: *state = Uuid(p, run_.layout == rg::kLayoutUuidUpper); break;
    }
    cached_ = i;
    cached_state_ = *state;
    return true;
  }

  // Fixed layouts when every span has at most one entry (the usual case):
  // entry k belongs to the k-th row whose key list names the run. Every
  // entry is tested, whatever the mask: no branch on which rows have the key.
  Status TestSingles(const std::vector<uint32_t>& per_list, const std::vector<uint32_t>& row_list,
                     std::vector<uint8_t>* states) {
    const uint32_t n = static_cast<uint32_t>(row_list.size());
    std::vector<uint32_t> owner(uint64_t{n} + 1);
    uint64_t k = 0;
    for (uint32_t row = 0; row < n; ++row) {
      owner[k] = row;
      k += per_list[row_list[row]];
    }
    if (k > run_.count) return Short();
    uint8_t* st = states->data();
    auto merge = [&](uint32_t row, State s) { st[row] = st[row] == kPass ? kPass : s; };
    if (repeats_ == nullptr && run_.layout == rg::kLayoutInt) {
      for (uint64_t e = 0; e < k; ++e) merge(owner[e], Int(UnZigZag(Le(e))));
      return Status::Ok();
    }
    if (repeats_ == nullptr && run_.layout == rg::kLayoutString && test_.has_string()) {
      for (uint64_t e = 0; e < k; ++e) {
        uint64_t code = Le(e);
        if (code >= dict_size_) return Short();
        merge(owner[e], strings_.Pass(static_cast<uint32_t>(code)) ? kPass : kFail);
      }
      return Status::Ok();
    }
    for (uint64_t e = 0; e < k; ++e) {
      State s;
      if (!At(e, &s)) return Short();
      merge(owner[e], s);
    }
    return Status::Ok();
  }

  // Whether any of the run's values passes (`stored`: its stored values, or
  // for a tagged run its entries, which this reads through). True, too, when
  // the run is corrupt: the row-by-row pass then meets it and reports it.
  bool AnyPasses(uint64_t stored) {
    State s = kFail;
    for (uint64_t i = 0; i < stored; ++i) {
      if (!(tagged() ? Next(&s) : ValueAt(i, &s))) return true;
      if (s == kPass) return true;
    }
    return false;
  }

  // Tagged runs, in entry order: moves past k entries without testing them.
  bool Skip(uint64_t k) {
    for (uint64_t e = 0; e < k; ++e) {
      if (!data_.values().Skip(tagged_)) return false;
    }
    return true;
  }
  // Tagged runs: the state of the next entry.
  bool Next(State* state) {
    ByteReader& r = tagged_;
    if (r.remaining() == 0) return false;
    uint8_t tag = static_cast<uint8_t>(*r.ptr());
    switch (tag) {
      case static_cast<uint8_t>(ValueKind::kString): {
        r.Bytes(1);
        uint64_t code = r.Uvarint();
        if (code >= dict_size_) return false;
        *state = StringCode(static_cast<uint32_t>(code));
        break;
      }
      case static_cast<uint8_t>(ValueKind::kBool): r.Bytes(1); *state = TestBool(test_, r.Fixed<uint8_t>() != 0); break;
      case static_cast<uint8_t>(ValueKind::kInt): r.Bytes(1); *state = TestInt(test_, r.Svarint()); break;
      case static_cast<uint8_t>(ValueKind::kDouble): r.Bytes(1); *state = TestDouble(test_, r.Fixed<double>()); break;
      case rg::kTagUuidLower:
      case rg::kTagUuidUpper: {
        r.Bytes(1);
        std::string_view b = r.Bytes(16);
        if (!r.ok()) return false;
        *state = Uuid(b.data(), tag == rg::kTagUuidUpper);
        break;
      }
      default:  // empty, bytes, arrays, kvlists: not compared here, so maybe
        if (!data_.values().Skip(r)) return false;
        *state = kPass;
    }
    return r.ok();
  }

 private:
  Status Short() const { return data_.Corrupt(static_cast<Column>(run_.column), "malformed or short run"); }
  // Value i of a code or int layout: one 8-byte load and a mask where the
  // payload has 8 bytes from there (a variable-length memcpy is a call).
  uint64_t Le(uint64_t i) const {
    uint64_t at = i * run_.width;
    if (at + 8 > values_.size()) return rg::GetLe(values_.data() + at, run_.width);
    uint64_t v;
    std::memcpy(&v, values_.data() + at, 8);
    return run_.width == 8 ? v : v & ((uint64_t{1} << (8 * run_.width)) - 1);
  }
  // Ints recur (status codes, ports, quantities): a small direct-mapped
  // cache saves most calls of the test.
  State Int(int64_t v) {
    IntSlot& slot = int_cache_[static_cast<uint64_t>(v) & 63];
    if (!slot.used || slot.value != v) slot = {true, v, TestInt(test_, v)};
    return slot.state;
  }
  State StringCode(uint32_t code) {
    if (!test_.has_string()) return test_.other_types ? kPass : kFail;
    return strings_.Pass(code) ? kPass : kFail;
  }
  State Uuid(const char* bytes, bool upper) {
    char text[36];
    rg::UuidToText(bytes, upper, text);
    return TestString(test_, std::string_view(text, 36));
  }

  RowGroupData& data_;
  const AttrLayout::Run& run_;
  const ValueTest& test_;
  CodeTest& strings_;
  uint64_t dict_size_;
  std::string_view values_;
  const uint8_t* repeats_ = nullptr;
  std::vector<uint64_t> rank_;
  ByteReader tagged_;
  uint64_t cached_ = UINT64_MAX;  // the value index last tested, and its state
  State cached_state_ = kFail;
  struct IntSlot {
    bool used = false;
    int64_t value = 0;
    State state = kFail;
  };
  IntSlot int_cache_[64];
};

// Appends m run positions (each below n) of a key list; false when malformed.
// Positions are one byte while a row group has fewer than 128 runs: those
// are copied in one loop.
bool ReadPositions(ByteReader& k, uint64_t m, uint64_t n, std::vector<uint32_t>* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(k.ptr());
  uint8_t high = 0;
  for (uint64_t j = 0; j < m; ++j) high |= p[j];  // m <= remaining, checked by the caller
  if (high < 0x80 && high < n) {
    size_t at = out->size();
    out->resize(at + m);
    for (uint64_t j = 0; j < m; ++j) (*out)[at + j] = p[j];
    k.Bytes(m);
    return true;
  }
  for (uint64_t j = 0; j < m; ++j) {
    uint64_t pos = rg::ReadUvarint(k);
    if (!k.ok() || pos >= n) return false;
    out->push_back(static_cast<uint32_t>(pos));
  }
  return true;
}

Status Short(RowGroupData& data, const AttrLayout::Run& run) {
  return data.Corrupt(static_cast<Column>(run.column), "malformed or short run");
}

}  // namespace

Status RowGroupData::LoadAttrs() {
  auto dict = Dict();
  if (!dict.ok()) return dict.status();
  auto generic = Column(kAttrGeneric);
  if (!generic.ok()) return generic.status();
  auto layout = std::make_unique<AttrLayout>();
  ByteReader g(*generic);
  uint64_t n = g.Uvarint();
  if (!g.ok() || n > g.remaining()) return Corrupt(kAttrGeneric, "malformed run directory");
  layout->runs.resize(n);
  for (AttrLayout::Run& run : layout->runs) {
    uint64_t key = g.Uvarint(), count = g.Uvarint();
    uint8_t l = g.Fixed<uint8_t>();
    run.layout = l & ~rg::kLayoutRepeats;
    run.repeats = (l & rg::kLayoutRepeats) != 0;
    run.width = rg::LayoutHasWidth(run.layout) ? g.Fixed<uint8_t>() : rg::LayoutFixedWidth(run.layout);
    uint8_t where = g.Fixed<uint8_t>();
    run.length = g.Uvarint();
    bool bad_width = rg::LayoutHasWidth(run.layout) && (run.width == 0 || run.width > 8);
    if (!g.ok() || !dict_.Valid(key) || count > UINT32_MAX || run.layout >= rg::kLayoutCount || bad_width ||
        (run.repeats && run.layout == rg::kLayoutTagged) || (where != 0 && !rg::IsDedicatedColumn(where))) {
      return Corrupt(kAttrGeneric, "malformed run directory");
    }
    run.key = static_cast<uint32_t>(key);
    run.count = static_cast<uint32_t>(count);
    run.column = where == 0 ? static_cast<uint16_t>(kAttrGeneric) : where;
  }
  uint64_t at = static_cast<uint64_t>(g.ptr() - generic->data());
  for (AttrLayout::Run& run : layout->runs) {
    if (run.column != kAttrGeneric) continue;
    if (run.length > generic->size() - at) return Corrupt(kAttrGeneric, "run payloads truncated");
    run.offset = at;
    at += run.length;
  }
  if (at != generic->size()) return Corrupt(kAttrGeneric, "bytes after the last run");

  auto lists = Column(kAttrKeyLists);
  if (!lists.ok()) return lists.status();
  ByteReader k(*lists);
  layout->positions.reserve(lists->size());  // one byte at least per position
  uint64_t groups = k.Uvarint();
  if (groups > k.remaining()) k.Fail();
  layout->name_lists.assign(dict_.size(), {0, 0});
  layout->list_begin.assign(1, 0);
  for (uint64_t gi = 0; gi < groups && k.ok(); ++gi) {
    uint64_t name = rg::ReadUvarint(k), count = rg::ReadUvarint(k);
    if (!dict_.Valid(name) || layout->name_lists[name].second != 0 || count > k.remaining()) {
      k.Fail();
      break;
    }
    layout->name_lists[name] = {static_cast<uint32_t>(layout->list_begin.size() - 1), static_cast<uint32_t>(count)};
    for (uint64_t l = 0; l < count && k.ok(); ++l) {
      uint64_t m = rg::ReadUvarint(k);
      if (m > k.remaining()) k.Fail();
      if (k.ok() && !ReadPositions(k, m, n, &layout->positions)) k.Fail();
      layout->list_begin.push_back(static_cast<uint32_t>(layout->positions.size()));
    }
  }
  if (!k.ok() || !k.done()) return Corrupt(kAttrKeyLists, "malformed");
  attrs_ = std::move(layout);
  return Status::Ok();
}

Result<std::string_view> RunPayload(RowGroupData& data, const AttrLayout::Run& run, uint64_t* stored_values) {
  std::string_view payload;
  if (run.column == kAttrGeneric) {
    auto g = data.Column(kAttrGeneric);
    if (!g.ok()) return g.status();
    payload = g->substr(run.offset, run.length);
  } else {
    auto c = data.Column(static_cast<Column>(run.column));
    if (!c.ok()) return c.status();
    if (c->size() != run.length) {
      return data.Corrupt(static_cast<Column>(run.column), "length differs from attr.generic's directory");
    }
    payload = *c;
  }
  uint64_t stored = run.count;
  if (run.repeats) {
    uint64_t bitmap = (uint64_t{run.count} + 7) / 8;
    if (payload.size() < bitmap) return data.Corrupt(static_cast<Column>(run.column), "repeat bitmap truncated");
    stored = rg::ClearBits(reinterpret_cast<const uint8_t*>(payload.data()), 0, run.count);
    if (payload.size() - bitmap != stored * run.width) {
      return data.Corrupt(static_cast<Column>(run.column), "run length is not its values × width");
    }
  } else if (run.layout != rg::kLayoutTagged && payload.size() != stored * run.width) {
    return data.Corrupt(static_cast<Column>(run.column), "run length is not its values × width");
  }
  if (stored_values != nullptr) *stored_values = stored;
  return payload;
}

Result<bool> NoValuePasses(RowGroupData& data, const std::string& key, const ValueTest& test) {
  auto code = data.FindString(key);
  if (!code.ok()) return code.status();
  if (*code < 0) return true;  // no span of the row group has the key
  auto layout = data.Attrs();
  if (!layout.ok()) return layout.status();
  CodeTest strings;
  if (Status s = strings.Init(data, test); !s.ok()) return s;
  for (const AttrLayout::Run& run : (*layout)->runs) {
    if (run.key != *code) continue;
    uint64_t stored = 0;
    auto payload = RunPayload(data, run, &stored);
    if (!payload.ok()) return payload.status();
    if (run.layout == rg::kLayoutTagged) stored = run.count;
    RunReader reader(data, run, *payload, test, strings);
    if (reader.AnyPasses(stored)) return false;
  }
  return true;
}

Status SpanAttributeStates(RowGroupData& data, const std::string& key, const ValueTest& test,
                           const std::vector<uint8_t>& rows, std::vector<uint8_t>* states) {
  const uint32_t n = data.rows();
  states->assign(n, kMissing);
  auto code = data.FindString(key);
  if (!code.ok()) return code.status();
  if (*code < 0) return Status::Ok();  // no span of the row group has the key
  auto layout_or = data.Attrs();
  if (!layout_or.ok()) return layout_or.status();
  const AttrLayout& layout = **layout_or;
  std::vector<uint32_t> mine;  // positions of the key's runs
  for (uint32_t i = 0; i < layout.runs.size(); ++i) {
    if (layout.runs[i].key == *code) mine.push_back(i);
  }
  if (mine.empty()) return Status::Ok();

  CodeTest strings;
  if (Status s = strings.Init(data, test); !s.ok()) return s;
  std::vector<RunReader> readers;
  readers.reserve(mine.size());
  for (uint32_t pos : mine) {
    auto payload = RunPayload(data, layout.runs[pos]);
    if (!payload.ok()) return payload.status();
    readers.emplace_back(data, layout.runs[pos], *payload, test, strings);
  }
  // Each row's key list (an index into all lists), then, run by run, the
  // entries each row owns: a prefix sum of per-list counts.
  auto names = data.Codes(kSpanName);
  if (!names.ok()) return names.status();
  auto keys = data.Codes(kAttrKeys);
  if (!keys.ok()) return keys.status();
  const uint32_t* name_of = (*names)->data();
  const uint32_t* list_of = (*keys)->data();
  std::vector<uint32_t> row_list(n);
  for (uint32_t row = 0; row < n; ++row) {
    uint32_t name = name_of[row], list = list_of[row];
    if (name >= layout.name_lists.size() || list >= layout.name_lists[name].second) {
      return data.Corrupt(kAttrKeys, "no such key list");
    }
    row_list[row] = layout.name_lists[name].first + list;
  }
  const size_t lists = layout.list_begin.size() - 1;
  std::vector<uint32_t> per_list(lists);
  for (size_t j = 0; j < readers.size(); ++j) {
    const AttrLayout::Run& run = layout.runs[mine[j]];
    std::fill(per_list.begin(), per_list.end(), 0);
    for (size_t l = 0; l < lists; ++l) {
      for (uint32_t p = layout.list_begin[l]; p < layout.list_begin[l + 1]; ++p) per_list[l] += layout.positions[p] == mine[j];
    }
    RunReader& reader = readers[j];
    bool single = std::all_of(per_list.begin(), per_list.end(), [](uint32_t c) { return c <= 1; });
    if (single && !reader.tagged()) {
      if (Status s = reader.TestSingles(per_list, row_list, states); !s.ok()) return s;
      continue;
    }
    uint64_t entry = 0;
    for (uint32_t row = 0; row < n; ++row) {
      uint32_t count = per_list[row_list[row]];
      if (count == 0) continue;
      if (count > run.count - entry) return Short(data, run);
      if (reader.tagged() && !rows[row]) {
        if (!reader.Skip(count)) return Short(data, run);
      } else if (rows[row]) {
        uint8_t& st = (*states)[row];
        for (uint32_t e = 0; e < count; ++e) {
          State s;
          if (!(reader.tagged() ? reader.Next(&s) : reader.At(entry + e, &s))) return Short(data, run);
          if (st != kPass) st = s;  // any passing value passes the span
        }
      }
      entry += count;
    }
  }
  return Status::Ok();
}

}  // namespace rubato::store::block::scan
