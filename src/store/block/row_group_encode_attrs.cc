// The encoder's interned strings and dictionary, tagged values, and
// span-attribute runs (docs/format/block.md, "The string dictionary" and "The
// generic attribute stream").
#include <algorithm>
#include <cassert>
#include <map>

#include "store/block/encoding.h"
#include "store/block/row_group_encoder.h"
#include "store/block/row_group_internal.h"

namespace rubato::store::block::rg {

using model::AnyValue;
using model::Batch;
using model::KeyValue;
using model::Range;
using model::ValueKind;

void Sink::Grow(size_t k) {
  s_->resize(std::max(n_ + k, cap_ * 2 + 256));
  data_ = s_->data();
  cap_ = s_->size();
}

// ---- String hashing (in memory only; nothing hashed is stored) ----

namespace {

using hash_detail::Load64;
using hash_detail::SameMiddle;
using hash_detail::Words;

inline uint64_t Mix(uint64_t a, uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
constexpr uint64_t kK0 = 0xa0761d6478bd642full, kK1 = 0xe7037ed1a0b428dbull, kK2 = 0x8ebc6af09c88c6e3ull;

inline uint64_t HashString(const char* p, size_t n, uint64_t w0, uint64_t w1) {
  if (n <= 16) return Mix(w0 ^ kK0, w1 ^ kK1 ^ n);
  uint64_t h = kK2 ^ n;
  size_t i = 0;
  for (; i + 16 < n; i += 16) h = Mix(Load64(p + i) ^ kK0, Load64(p + i + 8) ^ kK1 ^ h);
  return Mix(w0 ^ kK2 ^ h, Load64(p + n - 16) ^ kK0) ^ Mix(w1 ^ kK1, h ^ n);
}

constexpr uint64_t kTagMask = ~uint64_t{0xFFFFFFFF};

}  // namespace

uint64_t HashBytes(std::string_view s) {
  uint64_t w0, w1;
  Words(s.data(), s.size(), &w0, &w1);
  return HashString(s.data(), s.size(), w0, w1);
}

namespace {
inline uint64_t Combine(uint64_t h, uint64_t v) { return Mix(h ^ v, kK1); }

uint64_t HashValue(const Batch& b, const AnyValue& v, uint64_t h) {
  h = Combine(h, static_cast<uint64_t>(v.kind));
  switch (v.kind) {
    case ValueKind::kString:
    case ValueKind::kBytes: return Combine(h, HashBytes(v.str));
    case ValueKind::kBool: return Combine(h, v.boolean);
    case ValueKind::kInt: return Combine(h, static_cast<uint64_t>(v.integer));
    case ValueKind::kDouble: {
      uint64_t bits;
      std::memcpy(&bits, &v.dbl, 8);
      return Combine(h, bits);
    }
    case ValueKind::kArray:
      h = Combine(h, v.children.count);
      for (const AnyValue& e : b.Values(v.children)) h = HashValue(b, e, h);
      return h;
    case ValueKind::kKvList: return HashAttrs(b, v.children, h);
    default: return h;
  }
}

bool SameValue(const Batch& a, const AnyValue& x, const Batch& b, const AnyValue& y) {
  if (x.kind != y.kind) return false;
  switch (x.kind) {
    case ValueKind::kString:
    case ValueKind::kBytes: return x.str == y.str;
    case ValueKind::kBool: return x.boolean == y.boolean;
    case ValueKind::kInt: return x.integer == y.integer;
    case ValueKind::kDouble: return std::memcmp(&x.dbl, &y.dbl, 8) == 0;
    case ValueKind::kArray: {
      if (x.children.count != y.children.count) return false;
      auto xs = a.Values(x.children);
      auto ys = b.Values(y.children);
      for (size_t i = 0; i < xs.size(); ++i) {
        if (!SameValue(a, xs[i], b, ys[i])) return false;
      }
      return true;
    }
    case ValueKind::kKvList: return SameAttrs(a, x.children, b, y.children);
    default: return true;
  }
}
}  // namespace

uint64_t HashAttrs(const Batch& b, Range attrs, uint64_t h) {
  h = Combine(h, attrs.count);
  for (const KeyValue& kv : b.Attributes(attrs)) h = HashValue(b, kv.value, Combine(h, HashBytes(kv.key)));
  return h;
}

bool SameAttrs(const Batch& a, Range x, const Batch& b, Range y) {
  if (x.count != y.count) return false;
  auto xs = a.Attributes(x);
  auto ys = b.Attributes(y);
  for (size_t i = 0; i < xs.size(); ++i) {
    if (xs[i].key != ys[i].key || !SameValue(a, xs[i].value, b, ys[i].value)) return false;
  }
  return true;
}

// ---- Interned strings ----

void StringTable::Clear() {
  entries_.clear();
  entries_.push_back(Entry{0, 0, 0, "", 0, 0, 0, 0});  // id 0: the empty string, code 0, not a UUID
  uuid_bytes_.clear();
  // Keep the slots from one row group to the next, unless an odd one made them huge.
  if (slots_.size() < 4096 || slots_.size() > (1u << 20)) slots_.assign(4096, 0);
  else std::fill(slots_.begin(), slots_.end(), 0);
}

uint32_t StringTable::Intern(std::string_view s) {
  if (s.empty()) return 0;
  Probe p;
  uint32_t id = Lookup(s, &p);
  return id != kNone ? id : Insert(s, p.hash, p.w0, p.w1, p.pos);
}

// The one probe loop of the table: the entry's id, or kNone with `*p` saying
// where the string would go.
uint32_t StringTable::Lookup(std::string_view s, Probe* p) const {
  size_t n = s.size();
  Words(s.data(), n, &p->w0, &p->w1);
  p->hash = HashString(s.data(), n, p->w0, p->w1);
  size_t mask = slots_.size() - 1;
  uint64_t tag = p->hash & kTagMask;
  for (p->pos = p->hash & mask;; p->pos = (p->pos + 1) & mask) {
    uint64_t slot = slots_[p->pos];
    if (slot == 0) return kNone;
    if ((slot & kTagMask) != tag) continue;
    uint32_t id = static_cast<uint32_t>(slot) - 1;
    const Entry& e = entries_[id];
    if (e.n == n && e.w0 == p->w0 && e.w1 == p->w1 && (n <= 16 || SameMiddle(e.p, s.data(), n))) return id;
  }
}

uint32_t StringTable::Insert(std::string_view s, uint64_t h, uint64_t w0, uint64_t w1, size_t pos) {
  uint32_t id = static_cast<uint32_t>(entries_.size());
  entries_.push_back(Entry{h, w0, w1, s.data(), static_cast<uint32_t>(s.size()), kUnknown, 0, 0});
  if (entries_.size() * 2 > slots_.size()) {
    Rehash(slots_.size() * 2);  // places the new entry too
  } else {
    slots_[pos] = (h & kTagMask) | (id + 1);
  }
  return id;
}

void StringTable::Rehash(size_t capacity) {
  slots_.assign(capacity, 0);
  size_t mask = capacity - 1;
  for (uint32_t id = 1; id < entries_.size(); ++id) {
    uint64_t h = entries_[id].hash;
    size_t pos = h & mask;
    while (slots_[pos] != 0) pos = (pos + 1) & mask;
    slots_[pos] = (h & kTagMask) | (id + 1);
  }
}

uint32_t StringTable::Find(std::string_view s) const {
  if (s.empty()) return 0;
  Probe p;
  return Lookup(s, &p);
}

void StringTable::ComputeUuidTag(uint32_t id) {
  Entry& e = entries_[id];
  e.uuid = UuidTag(str(id));
  if (e.uuid != 0) {
    e.aux = static_cast<uint32_t>(uuid_bytes_.size() / 16);
    uuid_bytes_.resize(uuid_bytes_.size() + 16);
    UuidToBytes(str(id), uuid_bytes_.data() + uuid_bytes_.size() - 16);
  }
}

void StringTable::Finalize(std::string* out) {
  sorted_.clear();
  for (uint32_t id = 1; id < entries_.size(); ++id) {
    if (entries_[id].dict) sorted_.push_back(id);
  }
  std::sort(sorted_.begin(), sorted_.end(), [&](uint32_t a, uint32_t b) { return str(a) < str(b); });
  codes_.assign(entries_.size(), 0);
  Sink sink;
  sink.Attach(out);
  sink.Uvarint(sorted_.size());
  for (size_t i = 0; i < sorted_.size(); ++i) {
    codes_[sorted_[i]] = static_cast<uint32_t>(i + 1);
    sink.Uvarint(entries_[sorted_[i]].n);
  }
  for (uint32_t id : sorted_) sink.Append(str(id));
  sink.Finish();
}

uint32_t StringTable::CodeOf(std::string_view s) const {
  uint32_t id = Find(s);
  assert(id != kNone && "a string reached the encoder without being added to the dictionary");
  return id == kNone ? 0 : codes_[id];
}

// ---- Tagged values ----

void AddValue(StringTable* strings, const Batch& b, const AnyValue& v) {
  switch (v.kind) {
    case ValueKind::kString: {
      uint32_t id = strings->Intern(v.str);
      if (id != 0 && strings->UuidTagOf(id) == 0) strings->MarkDict(id);  // UUIDs are stored as 16 bytes
      break;
    }
    case ValueKind::kBytes: strings->AddDict(v.str); break;
    case ValueKind::kArray:
      for (const AnyValue& e : b.Values(v.children)) AddValue(strings, b, e);
      break;
    case ValueKind::kKvList: AddAttrs(strings, b, v.children); break;
    default: break;
  }
}

void AddAttrs(StringTable* strings, const Batch& b, Range attrs) {
  for (const KeyValue& kv : b.Attributes(attrs)) {
    strings->AddDict(kv.key);
    AddValue(strings, b, kv.value);
  }
}

namespace {
void PutUuid(std::string_view s, uint8_t tag, Sink* out) {
  out->Byte(tag);
  UuidToBytes(s, out->Room(16));
  out->Advance(16);
}
}  // namespace

void WriteValue(const StringTable& strings, const Batch& b, const AnyValue& v, Sink* out) {
  if (v.kind == ValueKind::kString) {
    if (uint8_t tag = UuidTag(v.str)) return PutUuid(v.str, tag, out);
  }
  out->Byte(static_cast<uint8_t>(v.kind));
  switch (v.kind) {
    case ValueKind::kEmpty: break;
    case ValueKind::kString:
    case ValueKind::kBytes: out->Uvarint(strings.CodeOf(v.str)); break;
    case ValueKind::kBool: out->Byte(v.boolean ? 1 : 0); break;
    case ValueKind::kInt: out->Uvarint(ZigZag(v.integer)); break;
    case ValueKind::kDouble: out->Fixed<double>(v.dbl); break;
    case ValueKind::kArray:
      out->Uvarint(v.children.count);
      for (const AnyValue& e : b.Values(v.children)) WriteValue(strings, b, e, out);
      break;
    case ValueKind::kKvList: WriteAttrList(strings, b, v.children, out); break;
  }
}

void WriteAttrList(const StringTable& strings, const Batch& b, Range attrs, Sink* out) {
  out->Uvarint(attrs.count);
  for (const KeyValue& kv : b.Attributes(attrs)) {
    out->Uvarint(strings.CodeOf(kv.key));
    WriteValue(strings, b, kv.value, out);
  }
}

// ---- Span attribute runs ----

void SpanAttrEncoder::Clear() {
  keys_.clear();
  std::fill(key_of_.begin(), key_of_.end(), StringTable::kNone);
  vals_.clear();
  tagged_.clear();
  span_shape_.clear();
  shape_words_.clear();
  shape_begin_.clear();
  shape_uses_.clear();
  std::fill(name_shape_.begin(), name_shape_.end(), StringTable::kNone);
  if (shape_slots_.size() < 1024 || shape_slots_.size() > (1u << 20)) shape_slots_.assign(1024, 0);
  else std::fill(shape_slots_.begin(), shape_slots_.end(), 0);
  runs_.clear();
}

uint32_t SpanAttrEncoder::KeyIndex(StringTable* strings, std::string_view key) {
  uint32_t key_id = strings->AddDict(key);
  if (key_id >= key_of_.size()) key_of_.resize(strings->size() + 256, StringTable::kNone);
  uint32_t k = key_of_[key_id];
  if (k == StringTable::kNone) {
    k = key_of_[key_id] = static_cast<uint32_t>(keys_.size());
    keys_.push_back(Key{key_id, StringTable::kNone, StringTable::kNone, {}, 0, 0, StringTable::kNone, kLayoutTagged});
  }
  return k;
}

// Spans of one name mostly have the keys of the last span of that name, in
// the same order, and a key's value is often the one it had last: each guess
// is checked by comparing the bytes (no hash, no table probe), and only a
// miss interns the string.
void SpanAttrEncoder::AddSpan(StringTable* strings, const Batch& b, Range attrs, uint32_t name_id) {
  constexpr uint32_t kNone = StringTable::kNone;
  if (name_id >= name_shape_.size()) name_shape_.resize(strings->size() + 256, kNone);
  uint32_t guess = name_shape_[name_id];
  const uint32_t* guess_words = guess == kNone ? nullptr : shape_words_.data() + shape_begin_[guess];
  uint32_t guess_count = guess == kNone ? 0 : guess_words[1];
  bool same = guess != kNone && guess_count == attrs.count;
  shape_.clear();
  shape_.push_back(name_id);
  shape_.push_back(attrs.count);
  uint32_t j = 0, prev = kNone;
  for (const KeyValue& kv : b.Attributes(attrs)) {
    uint32_t k = kNone;
    if (j < guess_count && strings->Equals(keys_[guess_words[2 + j] >> 3].name, kv.key)) {
      k = guess_words[2 + j] >> 3;
    } else if (prev != kNone && keys_[prev].next != kNone && strings->Equals(keys_[keys_[prev].next].name, kv.key)) {
      k = keys_[prev].next;
    } else {
      k = KeyIndex(strings, kv.key);
    }
    if (prev != kNone) keys_[prev].next = k;
    prev = k;
    Key& key = keys_[k];
    uint8_t layout;
    uint64_t scalar;
    const AnyValue& v = kv.value;
    switch (v.kind) {
      case ValueKind::kString: {
        uint32_t id = key.last != kNone && strings->Equals(key.last, v.str) ? key.last : strings->Intern(v.str);
        key.last = id;
        uint8_t tag = id == 0 ? 0 : strings->UuidTagOf(id);
        if (tag == 0) {
          strings->MarkDict(id);  // (id 0, the empty string, is code 0 whatever its mark)
          layout = kLayoutString;
        } else {
          layout = tag == kTagUuidLower ? kLayoutUuidLower : kLayoutUuidUpper;
        }
        scalar = id;
        break;
      }
      case ValueKind::kBytes: {
        uint32_t id = key.last != kNone && strings->Equals(key.last, v.str) ? key.last : strings->Intern(v.str);
        key.last = id;
        strings->MarkDict(id);
        layout = kLayoutBytes;
        scalar = id;
        break;
      }
      case ValueKind::kInt:
        layout = kLayoutInt;
        scalar = ZigZag(v.integer);
        break;
      case ValueKind::kDouble:
        layout = kLayoutDouble;
        std::memcpy(&scalar, &v.dbl, 8);
        break;
      case ValueKind::kBool:
        layout = kLayoutBool;
        scalar = v.boolean ? 1 : 0;
        break;
      default:  // empty, arrays and kvlists
        layout = kLayoutTagged;
        scalar = tagged_.size();
        tagged_.push_back({&b, &v});
        AddValue(strings, b, v);
        break;
    }
    ++key.count[layout];
    ++key.total;
    vals_.push_back(Val{scalar, k, layout});
    uint32_t word = k << 3 | layout;  // keys < 2^29: each is at least one 40-byte KeyValue
    shape_.push_back(word);
    same = same && guess_words[2 + j] == word;
    ++j;
  }
  uint32_t shape;
  if (same) {
    shape = guess;
    ++shape_uses_[shape];
  } else {
    shape = ShapeId();
  }
  name_shape_[name_id] = shape;
  span_shape_.push_back(shape);
}

namespace {
uint64_t HashShape(const uint32_t* w, size_t len) {
  uint64_t h = kK2;
  for (size_t i = 0; i < len; ++i) h = (h ^ w[i]) * 0x9E3779B97F4A7C15ull ^ (h >> 29);
  return Mix(h, kK1);
}
}  // namespace

// The id of the shape in shape_: an earlier equal one, or a new one.
uint32_t SpanAttrEncoder::ShapeId() {
  size_t len = shape_.size();
  uint64_t h = HashShape(shape_.data(), len);
  size_t mask = shape_slots_.size() - 1, pos = h & mask;
  uint64_t tag = h & kTagMask;
  for (;; pos = (pos + 1) & mask) {
    uint64_t slot = shape_slots_[pos];
    if (slot == 0) break;
    if ((slot & kTagMask) != tag) continue;
    uint32_t id = static_cast<uint32_t>(slot) - 1;
    const uint32_t* o = shape_words_.data() + shape_begin_[id];
    if (o[1] + 2 == len && std::memcmp(o, shape_.data(), len * 4) == 0) {
      ++shape_uses_[id];
      return id;
    }
  }
  uint32_t id = static_cast<uint32_t>(shape_begin_.size());
  shape_begin_.push_back(static_cast<uint32_t>(shape_words_.size()));
  shape_words_.insert(shape_words_.end(), shape_.begin(), shape_.end());
  shape_uses_.push_back(1);
  if (shape_begin_.size() * 2 > shape_slots_.size()) {
    std::vector<uint64_t> grown(shape_slots_.size() * 2, 0);
    size_t gmask = grown.size() - 1;
    for (uint32_t s = 0; s < shape_begin_.size(); ++s) {
      const uint32_t* o = shape_words_.data() + shape_begin_[s];
      uint64_t sh = HashShape(o, o[1] + 2);
      size_t p = sh & gmask;
      while (grown[p] != 0) p = (p + 1) & gmask;
      grown[p] = (sh & kTagMask) | (s + 1);
    }
    shape_slots_.swap(grown);
  } else {
    shape_slots_[pos] = tag | (id + 1);
  }
  return id;
}

// Each key gets one run in the fixed layout most of its values fit (so the
// run needs no per-value tag and a reader can index it), and, when some
// values do not fit it, a second, tagged run holding those. Runs are in key
// code order, so a scan for one key finds its runs together.
void SpanAttrEncoder::Finish(const StringTable& strings, EncodedRowGroup* out) {
  std::vector<uint32_t>& order = key_order_;
  order.resize(keys_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return strings.Code(keys_[a].name) < strings.Code(keys_[b].name); });
  uint32_t at = 0;
  for (uint32_t k : order) {
    Key& key = keys_[k];
    uint8_t main = kLayoutTagged;
    for (uint8_t l = 1; l < kLayoutCount; ++l) {
      if (key.count[l] > key.count[main] || (main == kLayoutTagged && key.count[l] > 0)) main = l;
    }
    key.main = main;
    key.main_pos = static_cast<uint32_t>(runs_.size());
    runs_.push_back(Run{k, main, at, at + key.count[main]});
    at += key.count[main];
    if (key.total > key.count[main]) {
      key.misc_pos = static_cast<uint32_t>(runs_.size());
      runs_.push_back(Run{k, kLayoutTagged, at, at + key.total - key.count[main]});
      at += key.total - key.count[main];
    }
  }
  // The values grouped by run, in row order within a run.
  fill_.resize(runs_.size());
  for (size_t r = 0; r < runs_.size(); ++r) fill_[r] = runs_[r].begin;
  run_vals_.resize(vals_.size());
  for (const Val& v : vals_) {
    const Key& key = keys_[v.key];
    run_vals_[fill_[v.layout == key.main ? key.main_pos : key.misc_pos]++] = v;
  }

  // attr.generic: the run directory, then the payloads of the runs kept here.
  // A typed run goes to its key's dedicated column when the key has one and
  // the run's layout is that column's.
  Sink generic, payloads;
  generic.Attach(&out->columns[ColumnSlot(kAttrGeneric)]);
  payloads_.clear();
  payloads.Attach(&payloads_);
  generic.Uvarint(runs_.size());
  for (const Run& run : runs_) {
    const Key& key = keys_[run.key];
    const DedicatedKey* d = run.layout == kLayoutTagged ? nullptr : FindDedicated(strings.str(key.name));
    uint8_t where = 0;
    Sink column;
    Sink* target = &payloads;
    if (d != nullptr && d->layout == run.layout) {
      where = static_cast<uint8_t>(d->column);
      std::string& c = out->columns[ColumnSlot(d->column)];
      c.clear();  // a key has at most one typed run
      column.Attach(&c);
      target = &column;
      out->dedicated_columns.emplace_back(d->key);
    }
    size_t before = target->size();
    uint32_t width;
    uint8_t layout;
    WriteRunPayload(strings, run, target, &width, &layout);
    size_t length = target->size() - before;
    if (target == &column) column.Finish();
    generic.Uvarint(strings.Code(key.name));
    generic.Uvarint(run.end - run.begin);
    generic.Byte(layout);
    if (LayoutHasWidth(run.layout)) generic.Byte(static_cast<uint8_t>(width));
    generic.Byte(where);
    generic.Uvarint(length);
  }
  payloads.Finish();
  generic.Append(payloads_);
  generic.Finish();
  WriteKeyLists(strings, out);
}

void SpanAttrEncoder::WriteTagged(const StringTable& strings, const Val& v, Sink* out) const {
  switch (v.layout) {
    case kLayoutString:
      out->Byte(static_cast<uint8_t>(ValueKind::kString));
      out->Uvarint(strings.Code(static_cast<uint32_t>(v.scalar)));
      break;
    case kLayoutBytes:
      out->Byte(static_cast<uint8_t>(ValueKind::kBytes));
      out->Uvarint(strings.Code(static_cast<uint32_t>(v.scalar)));
      break;
    case kLayoutInt:
      out->Byte(static_cast<uint8_t>(ValueKind::kInt));
      out->Uvarint(v.scalar);
      break;
    case kLayoutDouble:
      out->Byte(static_cast<uint8_t>(ValueKind::kDouble));
      out->Fixed<uint64_t>(v.scalar);
      break;
    case kLayoutBool:
      out->Byte(static_cast<uint8_t>(ValueKind::kBool));
      out->Byte(static_cast<uint8_t>(v.scalar));
      break;
    case kLayoutUuidLower:
    case kLayoutUuidUpper:
      out->Byte(v.layout == kLayoutUuidLower ? kTagUuidLower : kTagUuidUpper);
      out->Append(strings.UuidBytes(static_cast<uint32_t>(v.scalar)), 16);
      break;
    default: {
      auto [batch, value] = tagged_[v.scalar];
      WriteValue(strings, *batch, *value, out);
      break;
    }
  }
}

// Wide values get the repeat bitmap: a trace's UUIDs and amounts repeat span
// after span, and dropping the repeats both shrinks the raw run (less to
// decompress) and beats zstd's matches (−0.20 B/span on the standard
// workload). Narrow codes are left to zstd: a bitmap made them larger.
// Within a run, equal scalars are exactly equal stored values (a string id
// is one string, hence one code or one UUID), so repeats compare scalars.
void SpanAttrEncoder::WriteRunPayload(const StringTable& strings, const Run& run, Sink* out, uint32_t* width,
                                      uint8_t* layout) {
  const Val* vals = run_vals_.data() + run.begin;
  size_t count = run.end - run.begin;
  *width = 0;
  *layout = run.layout;
  auto bitmap = [&]() {
    size_t bytes = (count + 7) / 8;
    char* m = out->Room(bytes);
    std::memset(m, 0, bytes);
    for (size_t i = 1; i < count; ++i) {
      if (vals[i].scalar == vals[i - 1].scalar) m[i / 8] = static_cast<char>(m[i / 8] | 1 << (i % 8));
    }
    out->Advance(bytes);
    *layout |= kLayoutRepeats;
  };
  auto repeats = [&](size_t i) { return i > 0 && vals[i].scalar == vals[i - 1].scalar; };
  switch (run.layout) {
    case kLayoutTagged:
      for (size_t i = 0; i < count; ++i) WriteTagged(strings, vals[i], out);
      break;
    case kLayoutString:
    case kLayoutBytes:
    case kLayoutInt: {
      bool coded = run.layout != kLayoutInt;
      uint64_t max = 0;
      for (size_t i = 0; i < count; ++i) {
        max = std::max<uint64_t>(max, coded ? strings.Code(static_cast<uint32_t>(vals[i].scalar)) : vals[i].scalar);
      }
      uint32_t w = *width = ByteWidth(max);
      bool skip = w >= kRepeatsMinWidth;
      if (skip) bitmap();
      char* p = out->Room(count * w + 8);
      size_t n = 0;
      for (size_t i = 0; i < count; ++i) {
        if (skip && repeats(i)) continue;
        uint64_t v = coded ? strings.Code(static_cast<uint32_t>(vals[i].scalar)) : vals[i].scalar;
        std::memcpy(p + n, &v, 8);  // little-endian hosts only, as PutLe
        n += w;
      }
      out->Advance(n);
      break;
    }
    case kLayoutDouble: {
      bitmap();  // 8 bytes wide
      char* p = out->Room(count * 8);
      size_t n = 0;
      for (size_t i = 0; i < count; ++i) {
        if (repeats(i)) continue;
        std::memcpy(p + n, &vals[i].scalar, 8);
        n += 8;
      }
      out->Advance(n);
      break;
    }
    case kLayoutBool: {
      char* p = out->Room(count);
      for (size_t i = 0; i < count; ++i) p[i] = static_cast<char>(vals[i].scalar);
      out->Advance(count);
      break;
    }
    case kLayoutUuidLower:
    case kLayoutUuidUpper: {
      // 16 bytes per entry (a table of distinct UUIDs plus an index per entry
      // made the raw run 2.4× smaller but cost 0.14 B/span more after zstd).
      bitmap();
      char* p = out->Room(count * 16);
      size_t n = 0;
      for (size_t i = 0; i < count; ++i) {
        if (repeats(i)) continue;
        std::memcpy(p + n, strings.UuidBytes(static_cast<uint32_t>(vals[i].scalar)), 16);
        n += 16;
      }
      out->Advance(n);
      break;
    }
  }
}

// A span's key list is the run position of each of its attributes, in order.
// Spans of one name mostly share a few lists, so attr.keys numbers the lists
// per span name, most used first: the codes stay small and repeat. Each
// shape (name, keys and layouts) gives one list; several shapes can give the
// same list (two layouts outside the key's typed run both go to its tagged
// run), so lists are deduplicated again here, once per shape.
void SpanAttrEncoder::WriteKeyLists(const StringTable& strings, EncodedRowGroup* out) {
  struct Group {
    std::unordered_map<std::string, uint32_t> ids;
    std::vector<const std::string*> lists;  // by provisional id
    std::vector<uint64_t> uses;
    std::vector<uint32_t> final_id;         // provisional → final
  };
  std::map<uint32_t, Group> groups;  // by name code: the table's order
  std::vector<Group*> shape_group(shape_begin_.size());
  shape_list_.resize(shape_begin_.size());
  for (uint32_t s = 0; s < shape_begin_.size(); ++s) {
    const uint32_t* w = shape_words_.data() + shape_begin_[s];
    list_.clear();
    PutUvarint(&list_, w[1]);
    for (uint32_t a = 0; a < w[1]; ++a) {
      const Key& key = keys_[w[2 + a] >> 3];
      PutUvarint(&list_, (w[2 + a] & 7) == key.main ? key.main_pos : key.misc_pos);
    }
    Group& g = groups[strings.Code(w[0])];
    auto [it, added] = g.ids.try_emplace(list_, static_cast<uint32_t>(g.lists.size()));
    if (added) {
      g.lists.push_back(&it->first);
      g.uses.push_back(0);
    }
    g.uses[it->second] += shape_uses_[s];
    shape_group[s] = &g;
    shape_list_[s] = it->second;
  }
  Sink table;
  table.Attach(&out->columns[ColumnSlot(kAttrKeyLists)]);
  table.Uvarint(groups.size());
  std::vector<uint32_t> order;
  for (auto& [name, g] : groups) {
    order.resize(g.lists.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto& uses = g.uses;  // clang 14 cannot capture a structured binding
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return uses[a] > uses[b]; });
    g.final_id.resize(order.size());
    table.Uvarint(name);
    table.Uvarint(order.size());
    for (uint32_t i = 0; i < order.size(); ++i) {
      g.final_id[order[i]] = i;
      table.Append(*g.lists[order[i]]);
    }
  }
  table.Finish();
  for (uint32_t s = 0; s < shape_begin_.size(); ++s) shape_list_[s] = shape_group[s]->final_id[shape_list_[s]];
  Sink keys;
  keys.Attach(&out->columns[ColumnSlot(kAttrKeys)]);
  for (uint32_t shape : span_shape_) keys.Uvarint(shape_list_[shape]);
  keys.Finish();
}

}  // namespace rubato::store::block::rg
