// The decoder's dictionary, tagged values and span-attribute runs
// (docs/format/block.md, "The string dictionary", "The generic attribute
// stream", "Dedicated attribute columns").
#include <cstring>

#include "store/block/row_group_decoder.h"
#include "store/block/row_group_internal.h"

namespace rubato::store::block::rg {

using model::AnyValue;
using model::KeyValue;
using model::Range;
using model::ValueKind;

// ---- Dictionary ----

bool DictView::Parse(std::string_view column) {
  ByteReader r(column);
  uint64_t n = r.Uvarint();
  if (!r.ok() || n > r.remaining()) return false;  // every length takes a byte
  offsets_.assign(n + 1, 0);
  uint64_t total = 0;
  for (uint64_t i = 1; i <= n; ++i) {
    total += r.Uvarint();
    if (total > column.size()) return false;
    offsets_[i] = static_cast<uint32_t>(total);
  }
  if (!r.ok() || total != r.remaining()) return false;
  bytes_ = std::string_view(r.ptr(), total);
  return true;
}

// ---- Tagged values ----

std::string_view ValueReader::UuidText(const char bytes[16], bool upper) {
  char* text = out_.arena().Allocate(36);
  UuidToText(bytes, upper, text);
  return std::string_view(text, 36);
}

bool ValueReader::Read(ByteReader& r, AnyValue* v, uint32_t depth) {
  uint8_t tag = r.Fixed<uint8_t>();
  switch (tag) {
    case static_cast<uint8_t>(ValueKind::kEmpty): *v = AnyValue(); break;
    case static_cast<uint8_t>(ValueKind::kString):
    case static_cast<uint8_t>(ValueKind::kBytes): {
      uint64_t code = r.Uvarint();
      if (!dict_.Valid(code)) return r.Fail(), false;
      std::string_view s = dict_.Get(static_cast<uint32_t>(code), &out_);
      *v = tag == static_cast<uint8_t>(ValueKind::kString) ? AnyValue::String(s) : AnyValue::Bytes(s);
      break;
    }
    case static_cast<uint8_t>(ValueKind::kBool): *v = AnyValue::Bool(r.Fixed<uint8_t>() != 0); break;
    case static_cast<uint8_t>(ValueKind::kInt): *v = AnyValue::Int(r.Svarint()); break;
    case static_cast<uint8_t>(ValueKind::kDouble): *v = AnyValue::Double(r.Fixed<double>()); break;
    case static_cast<uint8_t>(ValueKind::kArray): {
      uint64_t n = r.Uvarint();
      if (n > r.remaining() || depth + 1 > kMaxNesting) return r.Fail(), false;
      Range range{static_cast<uint32_t>(out_.values.size()), static_cast<uint32_t>(n)};
      out_.values.resize(out_.values.size() + n);
      for (uint32_t i = 0; i < n; ++i) {
        AnyValue e;
        if (!Read(r, &e, depth + 1)) return false;
        out_.values[range.begin + i] = e;  // by index: reading e may have grown the pool
      }
      *v = AnyValue::Array(range);
      break;
    }
    case static_cast<uint8_t>(ValueKind::kKvList): {
      Range range;
      if (!ReadAttrList(r, &range, depth + 1)) return false;
      *v = AnyValue::KvList(range);
      break;
    }
    case kTagUuidLower:
    case kTagUuidUpper: {
      std::string_view b = r.Bytes(16);
      if (!r.ok()) return false;
      *v = AnyValue::String(UuidText(b.data(), tag == kTagUuidUpper));
      break;
    }
    default: r.Fail(); return false;
  }
  return r.ok();
}

bool ValueReader::ReadAttrList(ByteReader& r, Range* attrs, uint32_t depth) {
  uint64_t n = r.Uvarint();
  if (n > r.remaining() / 2 || depth > kMaxNesting) return r.Fail(), false;  // ≥ 2 bytes each
  Range range{static_cast<uint32_t>(out_.attributes.size()), static_cast<uint32_t>(n)};
  out_.attributes.resize(out_.attributes.size() + n);
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t code = r.Uvarint();
    if (!dict_.Valid(code)) return r.Fail(), false;
    KeyValue kv;
    kv.key = dict_.Get(static_cast<uint32_t>(code), &out_);
    if (!Read(r, &kv.value, depth)) return false;
    out_.attributes[range.begin + i] = kv;
  }
  *attrs = range;
  return r.ok();
}

bool ValueReader::Skip(ByteReader& r, uint32_t depth) {
  uint8_t tag = r.Fixed<uint8_t>();
  switch (tag) {
    case static_cast<uint8_t>(ValueKind::kEmpty): break;
    case static_cast<uint8_t>(ValueKind::kString):
    case static_cast<uint8_t>(ValueKind::kBytes):
    case static_cast<uint8_t>(ValueKind::kInt): r.Uvarint(); break;
    case static_cast<uint8_t>(ValueKind::kBool): r.Bytes(1); break;
    case static_cast<uint8_t>(ValueKind::kDouble): r.Bytes(8); break;
    case static_cast<uint8_t>(ValueKind::kArray): {
      uint64_t n = r.Uvarint();
      if (n > r.remaining() || depth + 1 > kMaxNesting) return r.Fail(), false;
      for (uint64_t i = 0; i < n; ++i) {
        if (!Skip(r, depth + 1)) return false;
      }
      break;
    }
    case static_cast<uint8_t>(ValueKind::kKvList): return SkipAttrList(r, depth + 1);
    case kTagUuidLower:
    case kTagUuidUpper: r.Bytes(16); break;
    default: r.Fail(); return false;
  }
  return r.ok();
}

bool ValueReader::SkipAttrList(ByteReader& r, uint32_t depth) {
  uint64_t n = r.Uvarint();
  if (n > r.remaining() / 2 || depth > kMaxNesting) return r.Fail(), false;
  for (uint64_t i = 0; i < n; ++i) {
    r.Uvarint();
    if (!Skip(r, depth)) return false;
  }
  return r.ok();
}

// ---- Span attribute runs ----

bool SpanAttrReader::Fail(uint16_t column, const std::string& what) {
  if (error_.empty()) error_ = std::string("column ") + ColumnName(column) + ": " + what;
  return false;
}

std::string SpanAttrReader::Load(const RawColumns& raw) {
  if (LoadRuns(raw)) LoadKeyLists(raw.Get(kAttrKeyLists));
  return error_;
}

// The run directory, then each run's payload: in attr.generic, one after the
// other, or the whole of its dedicated column.
bool SpanAttrReader::LoadRuns(const RawColumns& raw) {
  DictView& dict = values_.dict();
  ByteReader g(raw.Get(kAttrGeneric));
  uint64_t n = g.Uvarint();
  if (!g.ok() || n > g.remaining()) return Fail(kAttrGeneric, "malformed run directory");
  runs_.resize(n);
  std::vector<uint64_t> lengths(n);
  std::vector<bool> has_repeats(n);
  for (uint64_t i = 0; i < n && g.ok(); ++i) {
    Run& run = runs_[i];
    uint64_t key = g.Uvarint();
    uint64_t count = g.Uvarint();
    uint8_t layout = g.Fixed<uint8_t>();
    run.layout = layout & ~kLayoutRepeats;
    has_repeats[i] = (layout & kLayoutRepeats) != 0;
    run.width = LayoutHasWidth(run.layout) ? g.Fixed<uint8_t>() : LayoutFixedWidth(run.layout);
    run.column = g.Fixed<uint8_t>();
    lengths[i] = g.Uvarint();
    bool bad_width = LayoutHasWidth(run.layout) ? run.width == 0 || run.width > 8 : false;
    bool bad_repeats = has_repeats[i] && run.layout == kLayoutTagged;
    bool bad_column = run.column != 0 && !IsDedicatedColumn(run.column);
    if (!dict.Valid(key) || count > UINT32_MAX || run.layout >= kLayoutCount || bad_width || bad_repeats ||
        bad_column) {
      g.Fail();
      break;
    }
    run.key = static_cast<uint32_t>(key);
    run.count = static_cast<uint32_t>(count);
  }
  if (!g.ok()) return Fail(kAttrGeneric, "malformed run directory");
  for (uint64_t i = 0; i < n; ++i) {
    Run& run = runs_[i];
    if (run.column == 0) {
      run.data = g.Bytes(lengths[i]);
      run.column = kAttrGeneric;
    } else {
      run.data = raw.Get(static_cast<Column>(run.column));
      if (run.data.size() != lengths[i]) return Fail(run.column, "length differs from attr.generic's directory");
    }
    if (!g.ok()) return Fail(kAttrGeneric, "run payloads truncated");
    uint64_t stored = run.count;  // entries with a value of their own
    if (has_repeats[i]) {
      uint64_t bitmap = (uint64_t{run.count} + 7) / 8;
      if (run.data.size() < bitmap) return Fail(run.column, "repeat bitmap truncated");
      run.repeats = reinterpret_cast<const uint8_t*>(run.data.data());
      stored = ClearBits(run.repeats, 0, run.count);
      run.data.remove_prefix(bitmap);
    }
    if (run.layout == kLayoutTagged) {
      if (run.count > run.data.size()) return Fail(run.column, "more entries than bytes");
      run.tagged = ByteReader(run.data);
    } else if (run.data.size() != stored * run.width) {
      return Fail(run.column, "run length is not its values × width");
    }
    entries_ += run.count;
  }
  return g.done() || Fail(kAttrGeneric, "bytes after the last run");
}

// The key lists, grouped by span name; every position must name a run.
bool SpanAttrReader::LoadKeyLists(std::string_view column) {
  DictView& dict = values_.dict();
  ByteReader k(column);
  uint64_t groups = k.Uvarint();
  if (groups > k.remaining()) k.Fail();
  name_lists_.assign(dict.size(), {0, 0});
  list_begin_.assign(1, 0);
  positions_.clear();
  for (uint64_t gi = 0; gi < groups && k.ok(); ++gi) {
    uint64_t name = ReadUvarint(k);
    uint64_t lists = ReadUvarint(k);
    if (!dict.Valid(name) || name_lists_[name].second != 0 || lists > k.remaining()) {
      k.Fail();
      break;
    }
    name_lists_[name] = {static_cast<uint32_t>(list_begin_.size() - 1), static_cast<uint32_t>(lists)};
    for (uint64_t l = 0; l < lists && k.ok(); ++l) {
      uint64_t count = ReadUvarint(k);
      if (count > k.remaining()) k.Fail();
      for (uint64_t j = 0; j < count && k.ok(); ++j) {
        uint64_t pos = ReadUvarint(k);
        if (pos >= runs_.size()) k.Fail();
        positions_.push_back(static_cast<uint32_t>(pos));
      }
      list_begin_.push_back(static_cast<uint32_t>(positions_.size()));
    }
  }
  return (k.ok() && k.done()) || Fail(kAttrKeyLists, "malformed");
}

int64_t SpanAttrReader::ListIndex(uint32_t name, uint32_t list) const {
  if (name >= name_lists_.size()) return -1;
  auto [first, count] = name_lists_[name];
  return list < count ? int64_t{first} + list : -1;
}

bool SpanAttrReader::SkipRows(ByteReader& names, ByteReader& lists, uint64_t rows) {
  skipped_.assign(list_begin_.size() - 1, 0);
  for (uint64_t r = 0; r < rows; ++r) {
    uint64_t name = ReadUvarint(names), list = ReadUvarint(lists);
    if (name >= name_lists_.size() || list >= name_lists_[name].second) {
      if (!names.ok()) return Fail(kSpanName, "malformed");
      if (!lists.ok()) return Fail(kAttrKeys, "malformed");
      return Fail(kAttrKeys, "no such key list");
    }
    ++skipped_[name_lists_[name].first + list];
  }
  return true;
}

bool SpanAttrReader::ApplySkip() {
  if (skipped_.empty()) return true;
  std::vector<uint64_t> per_run(runs_.size(), 0);
  for (size_t i = 0; i < skipped_.size(); ++i) {
    if (skipped_[i] == 0) continue;
    for (uint32_t p = list_begin_[i]; p < list_begin_[i + 1]; ++p) per_run[positions_[p]] += skipped_[i];
  }
  skipped_.clear();
  for (size_t i = 0; i < runs_.size(); ++i) {
    Run& run = runs_[i];
    if (per_run[i] > run.count - run.next) return Fail(run.column, "more values asked for than the run holds");
    if (run.layout == kLayoutTagged) {
      for (uint64_t e = 0; e < per_run[i]; ++e) {
        if (!values_.Skip(run.tagged)) return Fail(run.column, "malformed value");
      }
    }
    if (run.repeats != nullptr) run.values_seen += ClearBits(run.repeats, run.next, run.next + per_run[i]);
    run.next += static_cast<uint32_t>(per_run[i]);
  }
  return true;
}

bool SpanAttrReader::Read(uint32_t name, uint32_t list, Range* attrs) {
  int64_t i = ListIndex(name, list);
  if (i < 0) return Fail(kAttrKeys, "no such key list");
  model::Batch& out = values_.out();
  uint32_t begin = static_cast<uint32_t>(out.attributes.size());
  uint32_t n = list_begin_[i + 1] - list_begin_[i];
  out.attributes.resize(begin + n);
  for (uint32_t j = 0; j < n; ++j) {
    Run& run = runs_[positions_[list_begin_[i] + j]];
    KeyValue kv;
    kv.key = values_.dict().Get(run.key, &out);
    if (!ReadEntry(run, &kv.value)) return false;
    out.attributes[begin + j] = kv;
  }
  *attrs = Range{begin, n};
  return true;
}

bool SpanAttrReader::ReadEntry(Run& run, AnyValue* v) {
  if (run.next >= run.count) return Fail(run.column, "more values asked for than the run holds");
  uint64_t i = run.next++;
  if (run.repeats != nullptr) {
    if ((run.repeats[i >> 3] >> (i & 7) & 1) == 0) {
      i = run.values_seen++;
    } else if (run.values_seen == 0) {
      return Fail(run.column, "the first value repeats nothing");
    } else {
      i = run.values_seen - 1;
    }
  }
  const char* p = run.data.data() + i * run.width;
  switch (run.layout) {
    case kLayoutTagged:
      return values_.Read(run.tagged, v) || Fail(run.column, "malformed value");
    case kLayoutString:
    case kLayoutBytes: {
      uint64_t code = GetLe(p, run.width);
      if (!values_.dict().Valid(code)) return Fail(run.column, "dictionary code out of range");
      std::string_view s = values_.dict().Get(static_cast<uint32_t>(code), &values_.out());
      *v = run.layout == kLayoutString ? AnyValue::String(s) : AnyValue::Bytes(s);
      return true;
    }
    case kLayoutInt: *v = AnyValue::Int(UnZigZag(GetLe(p, run.width))); return true;
    case kLayoutDouble: {
      double d;
      std::memcpy(&d, p, 8);
      *v = AnyValue::Double(d);
      return true;
    }
    case kLayoutBool: *v = AnyValue::Bool(*p != 0); return true;
    default: {  // UUIDs: a trace repeats its IDs span after span, so reuse the last text
      if (run.last_text.empty() || std::memcmp(run.last_uuid, p, 16) != 0) {
        std::memcpy(run.last_uuid, p, 16);
        run.last_text = values_.UuidText(p, run.layout == kLayoutUuidUpper);
      }
      *v = AnyValue::String(run.last_text);
      return true;
    }
  }
}

}  // namespace rubato::store::block::rg
