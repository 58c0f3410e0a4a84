// Attribute values of every OTLP kind, stored flat in a Batch so that decoding
// allocates per batch, not per field.
#pragma once

#include <cstdint>
#include <string_view>

namespace rubato::model {

// A run of consecutive elements in one of a Batch's flat vectors.
struct Range {
  uint32_t begin = 0;
  uint32_t count = 0;
  uint32_t end() const { return begin + count; }
  bool operator==(const Range&) const = default;
};

enum class ValueKind : uint8_t {
  kEmpty,   // the oneof is unset (OTLP allows it; it means "no value")
  kString,
  kBool,
  kInt,
  kDouble,
  kBytes,
  kArray,   // children are Batch::values[children]
  kKvList,  // children are Batch::attributes[children]
};

// One OTLP AnyValue. Strings and bytes are views into memory the Batch owns.
struct AnyValue {
  ValueKind kind = ValueKind::kEmpty;
  union {
    std::string_view str;  // kString, kBytes
    bool boolean;
    int64_t integer;
    double dbl;
    Range children;        // kArray, kKvList
  };

  AnyValue() : str() {}
  static AnyValue String(std::string_view s) { AnyValue v; v.kind = ValueKind::kString; v.str = s; return v; }
  static AnyValue Bytes(std::string_view s) { AnyValue v; v.kind = ValueKind::kBytes; v.str = s; return v; }
  static AnyValue Bool(bool b) { AnyValue v; v.kind = ValueKind::kBool; v.boolean = b; return v; }
  static AnyValue Int(int64_t i) { AnyValue v; v.kind = ValueKind::kInt; v.integer = i; return v; }
  static AnyValue Double(double d) { AnyValue v; v.kind = ValueKind::kDouble; v.dbl = d; return v; }
  static AnyValue Array(Range r) { AnyValue v; v.kind = ValueKind::kArray; v.children = r; return v; }
  static AnyValue KvList(Range r) { AnyValue v; v.kind = ValueKind::kKvList; v.children = r; return v; }
};

struct KeyValue {
  std::string_view key;
  AnyValue value;
};

}  // namespace rubato::model
