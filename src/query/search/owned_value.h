// A copy of an attribute value that owns its bytes, so a search result can
// outlive the row group or head batch it was read from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/batch.h"

namespace rubato::otlp {
class JsonWriter;
}

namespace rubato::query::search {

struct OwnedKeyValue;

struct OwnedValue {
  model::ValueKind kind = model::ValueKind::kEmpty;
  std::string str;  // kString, kBytes
  int64_t integer = 0;
  double dbl = 0;
  bool boolean = false;
  std::vector<OwnedValue> array;     // kArray
  std::vector<OwnedKeyValue> kvlist;  // kKvList

  // Copies `v`; array and kvlist children are read from `batch`'s pools
  // (null: children are dropped, as for values not taken from a batch).
  static OwnedValue Copy(const model::AnyValue& v, const model::Batch* batch);
  bool operator==(const OwnedValue&) const;
};

struct OwnedKeyValue {
  std::string key;
  OwnedValue value;
  bool operator==(const OwnedKeyValue&) const = default;
};

// The OTLP/JSON AnyValue object ({"stringValue":"x"}, {"intValue":"5"}, …), as
// Tempo writes the attributes of search results.
void WriteValueJson(const OwnedValue& v, otlp::JsonWriter* w);
// `[{"key":…,"value":{…}},…]`
void WriteKeyValuesJson(const std::vector<OwnedKeyValue>& kvs, otlp::JsonWriter* w);

}  // namespace rubato::query::search
