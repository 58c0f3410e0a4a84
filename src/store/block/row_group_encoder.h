// Pieces of the row-group encoder (row_group_encode*.cc): the string
// dictionary, tagged values, and the span-attribute runs with their key lists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/batch.h"
#include "store/block/row_group.h"

namespace rubato::store::block::rg {

// The row group's strings. Every string is added (Add) before any code is
// asked for, because codes follow byte order: a scan evaluates a predicate
// once per entry, then compares integer codes.
class Dict {
 public:
  void Add(std::string_view s) {
    if (!s.empty()) codes_.emplace(s, 0);
  }
  // Every string value that is not stored as a UUID.
  void AddValue(const model::Batch& b, const model::AnyValue& v);
  void AddAttrs(const model::Batch& b, model::Range attrs);
  // Sorts the strings and writes the dict column; code 0 stays the empty string.
  void Finalize(std::string* out);
  uint32_t Code(std::string_view s) const;
  uint32_t size() const { return static_cast<uint32_t>(codes_.size()) + 1; }

 private:
  std::unordered_map<std::string_view, uint32_t> codes_;
};

// A tagged value (block.md "The generic attribute stream") and an attribute
// list (uvarint count, then key code and tagged value each).
void WriteValue(const Dict& dict, const model::Batch& b, const model::AnyValue& v, std::string* out);
void WriteAttrList(const Dict& dict, const model::Batch& b, model::Range attrs, std::string* out);

// Span attributes: values grouped into runs by key and layout (attr.generic
// and the dedicated columns), and each span's keys as a code into the key
// lists of its span name (attr.keys, attr.keylists).
class SpanAttrEncoder {
 public:
  explicit SpanAttrEncoder(const Dict& dict) : dict_(dict) {}
  void AddSpan(const model::Batch& b, model::Range attrs, uint32_t name_code);
  // Writes attr.generic, the dedicated columns, attr.keys and attr.keylists.
  void Finish(EncodedRowGroup* out);

 private:
  struct Entry {
    const model::Batch* batch;
    const model::AnyValue* value;
    uint8_t layout;   // the fixed layout it fits, or kLayoutTagged
    uint64_t scalar;  // kLayoutString/Bytes: dictionary code; kLayoutInt: zig-zag value
  };
  struct Key {
    uint32_t code;
    std::string_view name;
    std::vector<Entry> entries;    // in row order
    std::vector<uint32_t> run_of;  // per entry: its run's position (set by Finish)
    uint32_t layout_count[8] = {};
  };
  struct Run {
    uint32_t key;        // index into keys_
    uint8_t layout;
    std::vector<const Entry*> entries;
  };
  void AssignRuns();
  std::string RunPayload(const Run& run, uint32_t* width) const;
  void WriteRuns(EncodedRowGroup* out);
  void WriteKeyLists(EncodedRowGroup* out);

  const Dict& dict_;
  std::vector<Key> keys_;
  std::unordered_map<uint32_t, uint32_t> key_index_;  // key code → keys_
  // Per span: its name code and its attributes as (key index, entry index).
  std::vector<uint32_t> span_name_, span_begin_;
  std::vector<std::pair<uint32_t, uint32_t>> span_attrs_;
  std::vector<Run> runs_;
};

}  // namespace rubato::store::block::rg
