// Pieces of the row-group encoder (row_group_encode*.cc): a byte sink, the
// interned strings of a row group (which become its dictionary), tagged
// values, and the span-attribute runs with their key lists.
//
// Speed: the encoder runs on the head's cut, which must keep up with ingest
// (≥ 1 M spans/s per core at zstd 1). So every string is hashed once per
// occurrence (into StringTable, which hands out dense ids); everything after
// that works on ids and turns them into dictionary codes through an array
// once the dictionary is sorted. Nothing here is allocated per span: the
// encoder's buffers are kept from one row group to the next.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/batch.h"
#include "store/block/row_group.h"

namespace rubato::store::block::rg {

// Appends to a std::string through a raw cursor (no per-byte capacity check
// and terminator write, as push_back has). Attach, write, then Finish, which
// trims the string to what was written.
class Sink {
 public:
  void Attach(std::string* s) {
    s_ = s;
    n_ = s->size();
    data_ = s->data();
    cap_ = n_;
  }
  // Room for k more bytes; write them, then Advance(k) (or fewer).
  char* Room(size_t k) {
    if (cap_ - n_ < k) Grow(k);
    return data_ + n_;
  }
  void Advance(size_t k) { n_ += k; }
  void Byte(uint8_t c) {
    *Room(1) = static_cast<char>(c);
    ++n_;
  }
  void Uvarint(uint64_t v) {
    char* p = Room(10);
    if (v < 0x80) {
      *p = static_cast<char>(v);
      ++n_;
      return;
    }
    size_t i = 0;
    while (v >= 0x80) {
      p[i++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    p[i++] = static_cast<char>(v);
    n_ += i;
  }
  void Append(const void* data, size_t k) {
    if (k == 0) return;
    std::memcpy(Room(k), data, k);
    n_ += k;
  }
  void Append(std::string_view s) { Append(s.data(), s.size()); }
  template <typename T>
  void Fixed(T v) {  // little-endian hosts only, as PutFixed
    std::memcpy(Room(sizeof(T)), &v, sizeof(T));
    n_ += sizeof(T);
  }
  size_t size() const { return n_; }
  void Finish() { s_->resize(n_); }

 private:
  void Grow(size_t k);
  std::string* s_ = nullptr;
  char* data_ = nullptr;
  size_t n_ = 0, cap_ = 0;  // written, and the string's size (what may be written)
};

namespace hash_detail {
inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
// Two words that, with the length, determine a string of up to 16 bytes (for
// longer ones: its first and last 8 bytes, a cheap check before the rest).
inline void Words(const char* p, size_t n, uint64_t* w0, uint64_t* w1) {
  if (n >= 8) {
    *w0 = Load64(p);
    *w1 = Load64(p + n - 8);
  } else if (n >= 4) {
    *w0 = Load32(p) | Load32(p + n - 4) << 32;
    *w1 = 0;
  } else if (n > 0) {
    *w0 = uint64_t{static_cast<uint8_t>(p[0])} << 16 | uint64_t{static_cast<uint8_t>(p[n >> 1])} << 8 |
          static_cast<uint8_t>(p[n - 1]);
    *w1 = 0;
  } else {
    *w0 = *w1 = 0;
  }
}
// Bytes [8, n - 8) of two strings of n > 16 bytes (the rest is in their words).
inline bool SameMiddle(const char* a, const char* b, size_t n) {
  for (size_t i = 8; i + 8 < n; i += 8) {
    if (Load64(a + i) != Load64(b + i)) return false;
  }
  return true;
}
}  // namespace hash_detail

// The row group's distinct strings, each with a dense id in the order first
// seen (id 0 is the empty string). Views point into the spans' batches, which
// outlive the encoding. Strings that belong in the dictionary are marked;
// Finalize sorts those, writes the dict column and gives each its code (code
// 0 is the empty string; a string outside the dictionary, a UUID value, has
// code 0 too, and is never asked for one).
class StringTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  void Clear();
  uint32_t Intern(std::string_view s);
  uint32_t Find(std::string_view s) const;  // kNone if absent
  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }
  // Whether string `id` is `s`: a guess checked without hashing.
  bool Equals(uint32_t id, std::string_view s) const {
    const Entry& e = entries_[id];
    size_t n = s.size();
    if (e.n != n) return false;
    uint64_t w0, w1;
    hash_detail::Words(s.data(), n, &w0, &w1);
    return w0 == e.w0 && w1 == e.w1 && (n <= 16 || hash_detail::SameMiddle(e.p, s.data(), n));
  }
  std::string_view str(uint32_t id) const { return {entries_[id].p, entries_[id].n}; }

  // Dictionary strings: names, keys, messages, and values that are not UUIDs.
  uint32_t AddDict(std::string_view s) {
    if (s.empty()) return 0;
    uint32_t id = Intern(s);
    entries_[id].dict = 1;
    return id;
  }
  void MarkDict(uint32_t id) { entries_[id].dict = 1; }
  // kTagUuidLower/Upper when the string is a canonical UUID, else 0 (cached).
  uint8_t UuidTagOf(uint32_t id) {
    Entry& e = entries_[id];
    if (e.uuid == kUnknown) ComputeUuidTag(id);
    return e.uuid;
  }
  uint8_t CachedUuidTag(uint32_t id) const { return entries_[id].uuid; }  // after UuidTagOf
  // The 16 bytes of a UUID string (UuidTagOf(id) != 0), converted when found.
  const char* UuidBytes(uint32_t id) const { return uuid_bytes_.data() + 16 * size_t{entries_[id].aux}; }

  // Sorts the dictionary strings by bytes and writes the dict column.
  void Finalize(std::string* out);
  uint32_t Code(uint32_t id) const { return codes_[id]; }
  // The code of a dictionary string (after Finalize).
  uint32_t CodeOf(std::string_view s) const;

 private:
  static constexpr uint8_t kUnknown = 0xFF;
  struct Entry {
    uint64_t hash;
    uint64_t w0, w1;  // strings of up to 16 bytes: these words determine them
    const char* p;
    uint32_t n;
    uint8_t uuid;  // kUnknown until asked
    uint8_t dict;
    uint32_t aux;  // UUIDs: index of its bytes in uuid_bytes_
  };
  void ComputeUuidTag(uint32_t id);
  struct Probe {
    uint64_t hash, w0, w1;
    size_t pos;
  };
  uint32_t Lookup(std::string_view s, Probe* p) const;
  void Rehash(size_t capacity);
  uint32_t Insert(std::string_view s, uint64_t hash, uint64_t w0, uint64_t w1, size_t pos);

  std::vector<Entry> entries_;
  std::vector<uint64_t> slots_;  // 0 empty, else (hash >> 32) << 32 | (id + 1)
  std::vector<uint32_t> codes_;  // by id, after Finalize
  std::vector<uint32_t> sorted_;
  std::string uuid_bytes_;
};

// A hash of bytes (in memory only: never stored, may change).
uint64_t HashBytes(std::string_view s);
// A hash of an attribute list's content (keys and values, nested ones
// included), and whether two lists are equal: equal lists encode to the same
// bytes, so resources and scopes of different batches can be recognised as
// one without interning their strings again.
uint64_t HashAttrs(const model::Batch& b, model::Range attrs, uint64_t h);
bool SameAttrs(const model::Batch& a, model::Range x, const model::Batch& b, model::Range y);

// The sources of spans, (batch, scope) pairs, grouped into classes of equal
// resource and scope content (which encode to equal table entries): a
// source's class is the first source seen with its content. Hashing and
// comparing a source's content costs about as much as interning it, so
// BlockWriter, when it borrows its batches (alive and unchanged until the
// block is finished), keeps one SourceClasses for the whole block: each
// source is then classified once per block instead of once per row group.
class SourceClasses {
 public:
  void Clear();
  uint32_t ClassOf(const model::Batch& b, uint32_t scope) {
    if (&b != last_batch_) Switch(b);
    uint32_t c = slot_[last_base_ + scope];
    return c != kNone ? c : Classify(b, scope);
  }
  size_t size() const { return classes_.size(); }
  const model::Batch& batch(uint32_t c) const { return *classes_[c].batch; }
  uint32_t scope(uint32_t c) const { return classes_[c].scope; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Class {
    const model::Batch* batch;
    uint32_t scope;
    uint32_t next;  // another class with the same hash
  };
  void Switch(const model::Batch& b);
  uint32_t Classify(const model::Batch& b, uint32_t scope);

  std::vector<Class> classes_;
  std::unordered_map<uint64_t, uint32_t> by_hash_;  // → the last class with that hash
  std::vector<uint32_t> slot_;  // a batch's scopes get consecutive slots from its base
  std::unordered_map<const model::Batch*, uint32_t> base_;
  const model::Batch* last_batch_ = nullptr;
  uint32_t last_base_ = 0;
};

// EncodeRowGroup with the source classes kept by the caller across calls
// (only for batches that stay alive and unchanged across them).
void EncodeRowGroup(std::span<const SpanRef> spans, EncodedRowGroup* out, SourceClasses* sources);

// A tagged value (block.md "The generic attribute stream") and an attribute
// list (uvarint count, then key code and tagged value each). The strings must
// be in `strings` (added by AddValue / AddAttrs), and the table finalized.
void WriteValue(const StringTable& strings, const model::Batch& b, const model::AnyValue& v, Sink* out);
void WriteAttrList(const StringTable& strings, const model::Batch& b, model::Range attrs, Sink* out);
// Interns the strings of a value or attribute list, marking those that go
// into the dictionary (all but UUID string values).
void AddValue(StringTable* strings, const model::Batch& b, const model::AnyValue& v);
void AddAttrs(StringTable* strings, const model::Batch& b, model::Range attrs);

// Span attributes: values grouped into runs by key and layout (attr.generic
// and the dedicated columns), and each span's keys as a code into the key
// lists of its span name (attr.keys, attr.keylists).
//
// AddSpan (before the dictionary is final) records each attribute as a key
// index, its layout and a scalar (string id, zig-zag int, double bits...),
// and the span's "shape" (its name and the keys and layouts of its
// attributes, which decide its key list) by id among the row group's shapes.
// Finish sorts the values into runs and writes everything with final codes.
class SpanAttrEncoder {
 public:
  void Clear();
  void AddSpan(StringTable* strings, const model::Batch& b, model::Range attrs, uint32_t name_id);
  // Writes attr.generic, the dedicated columns, attr.keys and attr.keylists.
  void Finish(const StringTable& strings, EncodedRowGroup* out);

 private:
  struct Val {
    uint64_t scalar;  // kLayoutString/Bytes/Uuid*: string id; kLayoutInt: zig-zag value;
                      // kLayoutDouble: its bits; kLayoutBool: 0/1; kLayoutTagged: index into tagged_
    uint32_t key;     // index into keys_
    uint8_t layout;   // the fixed layout it fits, or kLayoutTagged
  };
  struct Key {
    uint32_t name;  // string id
    uint32_t last;  // string id of its last string or bytes value (a guess at the next one)
    uint32_t next;  // the key that last came after it in a span (a guess), or kNone
    uint32_t count[8];
    uint32_t total;
    uint32_t main_pos, misc_pos;  // run positions (misc: kNone when every value fits main)
    uint8_t main;
  };
  struct Run {
    uint32_t key;
    uint8_t layout;
    uint32_t begin, end;  // in run_vals_
  };
  uint32_t KeyIndex(StringTable* strings, std::string_view key);
  uint32_t ShapeId();
  void WriteRunPayload(const StringTable& strings, const Run& run, Sink* out, uint32_t* width, uint8_t* layout);
  void WriteTagged(const StringTable& strings, const Val& v, Sink* out) const;
  void WriteKeyLists(const StringTable& strings, EncodedRowGroup* out);

  std::vector<Key> keys_;
  std::vector<uint32_t> key_of_;  // string id → index into keys_, kNone if not a key
  std::vector<Val> vals_;         // every span attribute, in row order
  std::vector<std::pair<const model::Batch*, const model::AnyValue*>> tagged_;
  // Shapes: per span its shape id; per shape its words [name, n, n × (key << 3 | layout)]
  // from shape_begin_[id], and how many spans have it.
  std::vector<uint32_t> span_shape_;
  std::vector<uint32_t> shape_;       // the words of the span being added
  std::vector<uint32_t> name_shape_;  // span name (string id) → its last shape, kNone
  std::vector<uint32_t> shape_words_, shape_begin_, shape_uses_;
  std::vector<uint64_t> shape_slots_;  // open addressing: (hash >> 32) << 32 | (id + 1)
  std::vector<Run> runs_;
  std::vector<Val> run_vals_;  // the values grouped by run
  std::vector<uint32_t> key_order_, fill_;
  std::string payloads_, list_;
  std::vector<uint32_t> shape_list_;  // shape → final list number within its name's group
};

}  // namespace rubato::store::block::rg
