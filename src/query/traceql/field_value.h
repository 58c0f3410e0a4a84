// A value as the evaluator sees it while testing one span: a literal, an
// attribute read from a Batch, or an intrinsic. Strings are views (into the
// batch or the plan); computed IDs are hex digits held inline, so a Value
// never allocates and can be copied freely.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/batch.h"
#include "query/traceql/ast.h"

namespace re2 {
class RE2;
}

namespace rubato::query::traceql {

// kMissing: the field is absent (or an OTLP empty value); kNil: the `nil`
// literal; kOpaque: bytes and key-value lists (present, but equal to nothing).
enum class VKind : uint8_t { kMissing, kNil, kString, kInt, kFloat, kBool, kDuration, kStatus, kKind, kArray, kOpaque };

struct Value {
  VKind kind = VKind::kMissing;
  uint8_t hex_len = 0;  // > 0: the string is hex[0, hex_len) (span and trace IDs)
  union {
    int64_t i = 0;  // kInt, kDuration (ns), kStatus and kKind (OTLP codes)
    double f;       // kFloat
    bool b;         // kBool
  };
  std::string_view s;                   // kString (when hex_len == 0)
  const model::Batch* batch = nullptr;  // kArray: elements are batch->Values(elems)
  model::Range elems;
  char hex[32];

  std::string_view str() const { return hex_len ? std::string_view(hex, hex_len) : s; }
  bool present() const { return kind != VKind::kMissing && kind != VKind::kNil; }

  static Value Missing() { return Value(); }
  static Value String(std::string_view v) { Value x; x.kind = VKind::kString; x.s = v; return x; }
  static Value Int(int64_t v) { Value x; x.kind = VKind::kInt; x.i = v; return x; }
  static Value Float(double v) { Value x; x.kind = VKind::kFloat; x.f = v; return x; }
  static Value Bool(bool v) { Value x; x.kind = VKind::kBool; x.b = v; return x; }
  static Value Duration(int64_t ns) { Value x; x.kind = VKind::kDuration; x.i = ns; return x; }
  static Value Status(int64_t code) { Value x; x.kind = VKind::kStatus; x.i = code; return x; }
  static Value Kind(int64_t code) { Value x; x.kind = VKind::kKind; x.i = code; return x; }
  template <size_t N>
  static Value Hex(const model::Id<N>& id) {
    static_assert(2 * N <= sizeof(Value::hex));
    static constexpr char kDigits[] = "0123456789abcdef";
    Value x;
    x.kind = VKind::kString;
    for (size_t k = 0; k < N; ++k) {
      x.hex[2 * k] = kDigits[id.bytes[k] >> 4];
      x.hex[2 * k + 1] = kDigits[id.bytes[k] & 15];
    }
    x.hex_len = 2 * N;
    return x;
  }
};

// An OTLP value read from `batch` (arrays keep a view of their elements).
Value FromAny(const model::AnyValue& v, const model::Batch& batch);
// A query literal; its strings stay views into the plan.
Value FromStatic(const Static& s);

// `a op b` for a comparison op (kEq … kNotRegex); `re` is the compiled regex
// of a kRegex / kNotRegex node. Arrays on either side compare element-wise
// (docs/traceql.md, "Evaluation semantics"); missing values and values of
// incompatible types compare false, whatever the op.
bool CompareValues(BinaryOp op, const Value& a, const Value& b, const re2::RE2* re);

// `a op b` for an arithmetic op; Missing when undefined (a missing operand,
// division by zero, `%` on floats, non-numbers).
Value Arithmetic(BinaryOp op, const Value& a, const Value& b);
Value Negate(const Value& a);

// True only for a boolean true: what `&&`, `||`, `!` and a bare field test.
inline bool Truth(const Value& v) { return v.kind == VKind::kBool && v.b; }

// Identity for by(): same kind and same content (arrays element-wise).
bool SameValue(const Value& a, const Value& b);
uint64_t HashValue(const Value& v);

// The keyword of a status or kind code ("error", "server"; "" if unknown).
std::string_view StatusName(int64_t code);
std::string_view KindName(int64_t code);

}  // namespace rubato::query::traceql
