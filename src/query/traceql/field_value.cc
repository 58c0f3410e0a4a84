#include "query/traceql/field_value.h"

#include <re2/re2.h>

#include <cmath>
#include <functional>
#include <limits>

namespace rubato::query::traceql {

namespace {

constexpr int kUnordered = 2;  // Order(): the two values have no common order

bool IsNumeric(VKind k) { return k == VKind::kInt || k == VKind::kFloat || k == VKind::kDuration; }
bool IsIntLike(VKind k) { return k == VKind::kInt || k == VKind::kDuration; }
// Kinds compared only for equality: with their own kind, by code.
bool IsEnumLike(VKind k) { return k == VKind::kBool || k == VKind::kStatus || k == VKind::kKind; }

double AsDouble(const Value& v) { return v.kind == VKind::kFloat ? v.f : static_cast<double>(v.i); }

// -1, 0 or 1 for strings (bytewise) and numbers (durations as nanoseconds);
// kUnordered for anything else or a NaN.
int Order(const Value& a, const Value& b) {
  if (a.kind == VKind::kString && b.kind == VKind::kString) {
    int c = a.str().compare(b.str());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (!IsNumeric(a.kind) || !IsNumeric(b.kind)) return kUnordered;
  if (IsIntLike(a.kind) && IsIntLike(b.kind)) return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
  double x = AsDouble(a), y = AsDouble(b);
  if (std::isnan(x) || std::isnan(y)) return kUnordered;
  return x < y ? -1 : (x > y ? 1 : 0);
}

// Whether `a != b` / `a !~ re` may hold at all: the values have a common type.
bool Comparable(BinaryOp op, const Value& a, const Value& b) {
  if (op == BinaryOp::kNotRegex || op == BinaryOp::kRegex) return a.kind == VKind::kString;
  if (IsEnumLike(a.kind) || IsEnumLike(b.kind)) return a.kind == b.kind;
  return Order(a, b) != kUnordered;
}

bool FullMatch(const re2::RE2* re, std::string_view s) {
  return re != nullptr && re2::RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re);
}

// A comparison of two present, non-array values.
bool CompareScalars(BinaryOp op, const Value& a, const Value& b, const re2::RE2* re) {
  switch (op) {
    case BinaryOp::kRegex:
      return a.kind == VKind::kString && FullMatch(re, a.str());
    case BinaryOp::kNotRegex:
      return a.kind == VKind::kString && re != nullptr && !FullMatch(re, a.str());
    case BinaryOp::kEq:
    case BinaryOp::kNeq: {
      bool eq;
      if (IsEnumLike(a.kind) || IsEnumLike(b.kind)) {
        if (a.kind != b.kind) return false;
        eq = a.kind == VKind::kBool ? a.b == b.b : a.i == b.i;
      } else {
        int o = Order(a, b);
        if (o == kUnordered) return false;
        eq = o == 0;
      }
      return op == BinaryOp::kEq ? eq : !eq;
    }
    default:
      break;
  }
  int o = Order(a, b);
  if (o == kUnordered) return false;
  switch (op) {
    case BinaryOp::kGt: return o > 0;
    case BinaryOp::kGte: return o >= 0;
    case BinaryOp::kLt: return o < 0;
    case BinaryOp::kLte: return o <= 0;
    default: return false;
  }
}

// An array against a scalar: `=`, `=~` and the orderings hold if any element
// satisfies them; `!=` and `!~` hold if no element is equal (matches) and at
// least one element has the scalar's type (Tempo's documented rule).
bool CompareArray(BinaryOp op, const Value& array, const Value& other, const re2::RE2* re) {
  const bool negative = op == BinaryOp::kNeq || op == BinaryOp::kNotRegex;
  const BinaryOp test = op == BinaryOp::kNeq ? BinaryOp::kEq : op == BinaryOp::kNotRegex ? BinaryOp::kRegex : op;
  bool any_comparable = false;
  for (const model::AnyValue& e : array.batch->Values(array.elems)) {
    Value v = FromAny(e, *array.batch);
    if (!v.present() || v.kind == VKind::kArray) continue;
    if (CompareScalars(test, v, other, re)) return !negative;
    if (negative && !any_comparable) any_comparable = Comparable(test, v, other);
  }
  return negative && any_comparable;
}

bool Overflows(BinaryOp op, int64_t x, int64_t y, int64_t* r) {
  switch (op) {
    case BinaryOp::kAdd: return __builtin_add_overflow(x, y, r);
    case BinaryOp::kSub: return __builtin_sub_overflow(x, y, r);
    case BinaryOp::kMul: return __builtin_mul_overflow(x, y, r);
    case BinaryOp::kDiv:
      if (x == std::numeric_limits<int64_t>::min() && y == -1) return true;
      *r = x / y;
      return false;
    case BinaryOp::kMod:
      *r = (y == -1) ? 0 : x % y;
      return false;
    case BinaryOp::kPow: {
      if (y < 0) return true;  // a fraction: computed in floating point
      int64_t result = 1, base = x;
      while (y > 0) {
        if ((y & 1) && __builtin_mul_overflow(result, base, &result)) return true;
        y >>= 1;
        if (y > 0 && __builtin_mul_overflow(base, base, &base)) return true;
      }
      *r = result;
      return false;
    }
    default:
      return true;
  }
}

}  // namespace

Value FromAny(const model::AnyValue& v, const model::Batch& batch) {
  switch (v.kind) {
    case model::ValueKind::kString: return Value::String(v.str);
    case model::ValueKind::kInt: return Value::Int(v.integer);
    case model::ValueKind::kDouble: return Value::Float(v.dbl);
    case model::ValueKind::kBool: return Value::Bool(v.boolean);
    case model::ValueKind::kArray: {
      Value x;
      x.kind = VKind::kArray;
      x.batch = &batch;
      x.elems = v.children;
      return x;
    }
    case model::ValueKind::kBytes:
    case model::ValueKind::kKvList: {
      Value x;
      x.kind = VKind::kOpaque;
      return x;
    }
    case model::ValueKind::kEmpty: break;
  }
  return Value::Missing();
}

Value FromStatic(const Static& s) {
  switch (s.type) {
    case ValueType::kString: return Value::String(s.str);
    case ValueType::kInt: return Value::Int(s.integer);
    case ValueType::kFloat: return Value::Float(s.dbl);
    case ValueType::kBool: return Value::Bool(s.boolean);
    case ValueType::kDuration: return Value::Duration(s.integer);
    case ValueType::kStatus: return Value::Status(s.integer);
    case ValueType::kKind: return Value::Kind(s.integer);
    case ValueType::kNil: {
      Value x;
      x.kind = VKind::kNil;
      return x;
    }
    default: return Value::Missing();
  }
}

bool CompareValues(BinaryOp op, const Value& a, const Value& b, const re2::RE2* re) {
  if (!a.present() || !b.present()) return false;
  const bool a_array = a.kind == VKind::kArray, b_array = b.kind == VKind::kArray;
  if (a_array && b_array) return false;
  if (a_array) return CompareArray(op, a, b, re);
  if (b_array) return op == BinaryOp::kRegex || op == BinaryOp::kNotRegex ? false : CompareArray(Mirror(op), b, a, re);
  return CompareScalars(op, a, b, re);
}

Value Arithmetic(BinaryOp op, const Value& a, const Value& b) {
  if (!IsNumeric(a.kind) || !IsNumeric(b.kind)) return Value::Missing();
  const bool a_dur = a.kind == VKind::kDuration, b_dur = b.kind == VKind::kDuration;
  // duration / duration is a ratio; any other result involving a duration is one.
  const bool ratio = op == BinaryOp::kDiv && a_dur && b_dur;
  const bool duration = (a_dur || b_dur) && !ratio;
  if (IsIntLike(a.kind) && IsIntLike(b.kind) && !ratio) {
    if ((op == BinaryOp::kDiv || op == BinaryOp::kMod) && b.i == 0) return Value::Missing();
    int64_t r;
    if (!Overflows(op, a.i, b.i, &r)) return duration ? Value::Duration(r) : Value::Int(r);
    if (op == BinaryOp::kMod) return Value::Missing();
  }
  if (op == BinaryOp::kMod) return Value::Missing();  // integers only
  const double x = AsDouble(a), y = AsDouble(b);
  double r;
  switch (op) {
    case BinaryOp::kAdd: r = x + y; break;
    case BinaryOp::kSub: r = x - y; break;
    case BinaryOp::kMul: r = x * y; break;
    case BinaryOp::kDiv:
      if (y == 0) return Value::Missing();
      r = x / y;
      break;
    case BinaryOp::kPow: r = std::pow(x, y); break;
    default: return Value::Missing();
  }
  if (!std::isfinite(r)) return Value::Missing();
  if (!duration) return Value::Float(r);
  // 2^63 is exactly representable; anything at or beyond it does not fit.
  if (r >= 9223372036854775808.0 || r < -9223372036854775808.0) return Value::Missing();
  return Value::Duration(static_cast<int64_t>(std::llround(r)));
}

Value Negate(const Value& a) {
  switch (a.kind) {
    case VKind::kInt:
    case VKind::kDuration: {
      if (a.i == std::numeric_limits<int64_t>::min()) {
        return a.kind == VKind::kInt ? Value::Float(-static_cast<double>(a.i)) : Value::Missing();
      }
      Value r = a;
      r.i = -a.i;
      return r;
    }
    case VKind::kFloat: return Value::Float(-a.f);
    default: return Value::Missing();
  }
}

bool SameValue(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case VKind::kString: return a.str() == b.str();
    case VKind::kInt:
    case VKind::kDuration:
    case VKind::kStatus:
    case VKind::kKind: return a.i == b.i;
    case VKind::kFloat: return a.f == b.f || (std::isnan(a.f) && std::isnan(b.f));
    case VKind::kBool: return a.b == b.b;
    case VKind::kArray: {
      auto x = a.batch->Values(a.elems);
      auto y = b.batch->Values(b.elems);
      if (x.size() != y.size()) return false;
      for (size_t k = 0; k < x.size(); ++k) {
        if (!SameValue(FromAny(x[k], *a.batch), FromAny(y[k], *b.batch))) return false;
      }
      return true;
    }
    default: return true;  // missing, nil, opaque: one group each
  }
}

uint64_t HashValue(const Value& v) {
  uint64_t h = static_cast<uint64_t>(v.kind) * 0x9e3779b97f4a7c15ULL;
  auto mix = [&h](uint64_t x) { h = (h ^ x) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL; };
  switch (v.kind) {
    case VKind::kString: mix(std::hash<std::string_view>()(v.str())); break;
    case VKind::kInt:
    case VKind::kDuration:
    case VKind::kStatus:
    case VKind::kKind: mix(static_cast<uint64_t>(v.i)); break;
    case VKind::kFloat: mix(std::isnan(v.f) ? 1 : v.f == 0 ? 0 : std::hash<double>()(v.f)); break;
    case VKind::kBool: mix(v.b ? 1 : 2); break;
    case VKind::kArray:
      for (const model::AnyValue& e : v.batch->Values(v.elems)) mix(HashValue(FromAny(e, *v.batch)));
      break;
    default: break;
  }
  return h;
}

std::string_view StatusName(int64_t code) {
  switch (code) {
    case 0: return "unset";
    case 1: return "ok";
    case 2: return "error";
    default: return "";
  }
}

std::string_view KindName(int64_t code) {
  switch (code) {
    case 0: return "unspecified";
    case 1: return "internal";
    case 2: return "server";
    case 3: return "client";
    case 4: return "producer";
    case 5: return "consumer";
    default: return "";
  }
}

}  // namespace rubato::query::traceql
