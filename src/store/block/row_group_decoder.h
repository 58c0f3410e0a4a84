// Pieces of the row-group decoder (row_group_decode*.cc): the dictionary as
// views into its column, tagged values, and the span-attribute runs. Every
// read is bounds-checked: corrupt input makes a reader fail, never crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/batch.h"
#include "store/block/encoding.h"
#include "store/block/row_group.h"

namespace rubato::store::block::rg {

// The dictionary column, parsed into offsets only: strings are views, and the
// output batch gets one copy of the dictionary's bytes, made the first time a
// string is emitted, that every decoded string then points into.
class DictView {
 public:
  bool Parse(std::string_view column);
  uint32_t size() const { return static_cast<uint32_t>(offsets_.size()); }  // codes 0..size-1
  bool Valid(uint64_t code) const { return code < offsets_.size(); }
  // `code` must be Valid. The view points into *out's storage.
  std::string_view Get(uint32_t code, model::Batch* out) {
    if (code == 0) return {};
    if (owned_ == nullptr) owned_ = out->Own(bytes_).data();
    uint32_t begin = code == 1 ? 0 : offsets_[code - 1];
    return std::string_view(owned_ + begin, offsets_[code] - begin);
  }

 private:
  std::vector<uint32_t> offsets_;  // [0] unused (code 0 is ""); [c] = end of string c
  std::string_view bytes_;
  const char* owned_ = nullptr;
};

// Tagged values and attribute lists (block.md "The generic attribute
// stream"), read into a batch or skipped. Lists reserve their slots in the
// batch's pools first and fill them as their elements are read, so children
// (appended later) never split a list.
class ValueReader {
 public:
  ValueReader(DictView& dict, model::Batch* out) : dict_(dict), out_(*out) {}
  // False (and r failed) when the input is malformed.
  bool Read(ByteReader& r, model::AnyValue* v, uint32_t depth = 0);
  bool ReadAttrList(ByteReader& r, model::Range* attrs, uint32_t depth = 0);
  bool Skip(ByteReader& r, uint32_t depth = 0);
  bool SkipAttrList(ByteReader& r, uint32_t depth = 0);
  // Text of a UUID stored as 16 bytes, in *out's storage.
  std::string_view UuidText(const char bytes[16], bool upper);
  DictView& dict() { return dict_; }
  model::Batch& out() { return out_; }

 private:
  DictView& dict_;
  model::Batch& out_;
};

// The span attributes: the run directory of attr.generic (with the dedicated
// columns it points to) and the key lists of attr.keylists. Rows are either
// skipped in bulk (only counted) or read one at a time, in row order.
class SpanAttrReader {
 public:
  explicit SpanAttrReader(ValueReader& values) : values_(values) {}
  // Empty string when fine, else the error ("column …: …"), as error().
  std::string Load(const RawColumns& raw);
  // Skipping: count the skipped rows' key lists (from their span.name and
  // attr.keys codes, which the readers move past), then advance every run
  // past the entries those rows own.
  bool SkipRows(ByteReader& names, ByteReader& lists, uint64_t rows);
  bool ApplySkip();
  // Appends one span's attributes; false on corrupt input (see error()).
  bool Read(uint32_t name, uint32_t list, model::Range* attrs);
  const std::string& error() const { return error_; }
  uint64_t entries() const { return entries_; }  // in all runs

 private:
  struct Run {
    uint32_t key;  // dictionary code
    uint32_t count;
    uint8_t layout;  // without kLayoutRepeats
    uint32_t width;
    std::string_view data;            // the values (after the bitmap, if any)
    const uint8_t* repeats = nullptr;  // the repeat bitmap, if any
    uint64_t values_seen = 0;         // values stored for entries before `next`
    uint16_t column;  // where the payload is, for errors
    uint32_t next = 0;       // next entry
    ByteReader tagged{{}};   // kLayoutTagged: positioned at entry `next`
    char last_uuid[16];      // UUID layouts: the last UUID emitted and its text, reused
    std::string_view last_text;
  };
  bool LoadRuns(const RawColumns& raw);
  bool LoadKeyLists(std::string_view column);
  // Key list `list` of span name `name`: its index in list_begin_, or -1.
  int64_t ListIndex(uint32_t name, uint32_t list) const;
  bool ReadEntry(Run& run, model::AnyValue* v);
  bool Fail(uint16_t column, const std::string& what);

  ValueReader& values_;
  std::vector<Run> runs_;
  // Key lists: list i is positions_[list_begin_[i] .. list_begin_[i + 1]).
  std::vector<uint32_t> positions_, list_begin_;
  // Per name code: first list index and list count (count 0: no lists).
  std::vector<std::pair<uint32_t, uint32_t>> name_lists_;
  std::vector<uint32_t> skipped_;  // per list: rows skipped
  uint64_t entries_ = 0;
  std::string error_;
};

}  // namespace rubato::store::block::rg
