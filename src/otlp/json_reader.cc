#include "otlp/json_reader.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>

#include "otlp/base64.h"
#include "otlp/enum_names.h"

namespace rubato::otlp {
namespace {

// Unknown fields are walked recursively to validate them; this bounds the
// recursion (protobuf's JSON parser uses the same default limit).
constexpr int kMaxSkipDepth = 100;

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsJsonSpace(s.back())) s.remove_suffix(1);
  return s;
}

const char* TypeName(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "array";
    case od::json_type::object: return "object";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "boolean";
    case od::json_type::null: return "null";
  }
  return "unknown";
}

// A short, quoted copy of user text for an error message, cut on a UTF-8
// character boundary.
std::string Quote(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return "\"" + std::string(s) + "\"";
  size_t n = kMax;
  while (n > 0 && (static_cast<uint8_t>(s[n]) & 0xc0) == 0x80) --n;
  return "\"" + std::string(s.substr(0, n)) + "...\"";
}

// True when s is a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digits = [&] {
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

enum class IntParse { kOk, kInvalid, kNotInteger, kOutOfRange };

// Parses JSON-number text as an integer. Fraction and exponent forms are
// accepted when the value is integral ("2.0", "1e3"), as proto3 JSON allows.
template <typename T>
IntParse ParseInteger(std::string_view s, T* out) {
  if (!IsJsonNumber(s)) return IntParse::kInvalid;
  if (s.find_first_of(".eE") == std::string_view::npos) {
    if (std::is_unsigned_v<T> && s[0] == '-') {
      if (s != "-0") return IntParse::kOutOfRange;
      *out = 0;
      return IntParse::kOk;
    }
    auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    return r.ec == std::errc() ? IntParse::kOk : IntParse::kOutOfRange;
  }
  double d;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec != std::errc()) return IntParse::kOutOfRange;
  if (d != std::trunc(d)) return IntParse::kNotInteger;
  // Exclusive upper bound max() + 1: a power of two, exact as a double.
  constexpr double kLimit = 2.0 * static_cast<double>(std::numeric_limits<T>::max() / 2 + 1);
  if (d < static_cast<double>(std::numeric_limits<T>::min()) || d >= kLimit) return IntParse::kOutOfRange;
  *out = static_cast<T>(d);
  return IntParse::kOk;
}

}  // namespace

// ---------------------------------------------------------------- errors

bool JsonReader::Fail(std::string msg, const char* at) {
  if (error_.empty()) {
    error_ = std::move(msg);
    error_at_ = at;
  }
  return false;
}

bool JsonReader::FailJson(simdjson::error_code e) {
  const char* at = nullptr;
  if (doc_ != nullptr) {
    const char* loc;
    if (doc_->current_location().get(loc) == simdjson::SUCCESS) at = loc;
  }
  return Fail(simdjson::error_message(e), at);
}

bool JsonReader::Within(std::string_view segment) {
  path_.insert(0, path_.empty() ? std::string(segment) : std::string(segment) + ".");
  return false;
}

bool JsonReader::WithinIndex(std::string_view name, uint32_t i) {
  return Within(std::string(name) + "[" + std::to_string(i) + "]");
}

Status JsonReader::Error() const {
  std::string msg = "otlp json: ";
  if (!path_.empty()) msg += path_ + ": ";
  msg += error_;
  if (error_at_ != nullptr && error_at_ >= origin_ && error_at_ <= end_) {
    msg += " (at byte " + std::to_string(error_at_ - origin_) + ")";
  }
  return Status::InvalidArgument(std::move(msg));
}

bool JsonReader::WrongType(const char* at, std::string_view want, od::json_type got) {
  return Fail("expected " + std::string(want) + ", got " + TypeName(got), at);
}

// ---------------------------------------------------------------- structure

bool JsonReader::Type(od::value& v, od::json_type* t) {
  if (auto e = v.type().get(*t)) return FailJson(e);
  if (*t == od::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return Fail("invalid literal", TokenStart(v));
  }
  return true;
}

bool JsonReader::Object(od::value& v, od::object* out, bool* present) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  *present = t != od::json_type::null;
  if (!*present) return true;
  if (t != od::json_type::object) return WrongType(at, "object", t);
  if (auto e = v.get_object().get(*out)) return FailJson(e);
  return true;
}

bool JsonReader::Array(od::value& v, od::array* out, bool* present) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  *present = t != od::json_type::null;
  if (!*present) return true;
  if (t != od::json_type::array) return WrongType(at, "array", t);
  if (auto e = v.get_array().get(*out)) return FailJson(e);
  return true;
}

bool JsonReader::Count(od::array& a, uint32_t* n) {
  size_t count;
  if (auto e = a.count_elements().get(count)) return FailJson(e);
  *n = static_cast<uint32_t>(count);  // < 2^32: the input is below simdjson's 4 GiB limit
  return true;
}

bool JsonReader::Key(od::field& f, std::string_view* key) {
  // Fast path: a key without escapes is used in place (keys are the bulk of
  // an OTLP document). The raw key starts after its opening quote, and its
  // closing quote exists: simdjson's first stage rejects unclosed strings.
  const char* p = f.key().raw();
  if (p >= origin_ && p < end_) {
    const char* q = p;
    while (q < end_ && *q != '"' && *q != '\\') ++q;
    if (q < end_ && *q == '"') {
      *key = {p, static_cast<size_t>(q - p)};
      return true;
    }
  }
  if (auto e = f.unescaped_key().get(*key)) return FailJson(e);
  return true;
}

bool JsonReader::Skip(od::value& v, int depth) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  if ((t == od::json_type::object || t == od::json_type::array) && depth >= kMaxSkipDepth) {
    return Fail("unknown field nested deeper than " + std::to_string(kMaxSkipDepth) + " levels", at);
  }
  switch (t) {
    case od::json_type::object: {
      od::object o;
      if (auto e = v.get_object().get(o)) return FailJson(e);
      for (auto f : o) {
        od::field field;
        std::string_view key;
        if (auto e = std::move(f).get(field)) return FailJson(e);
        if (auto e = field.unescaped_key().get(key)) return FailJson(e);  // validates escapes
        if (!Skip(field.value(), depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array a;
      if (auto e = v.get_array().get(a)) return FailJson(e);
      for (auto element : a) {
        od::value ev;
        if (auto e = std::move(element).get(ev)) return FailJson(e);
        if (!Skip(ev, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::number:
      // Left unconsumed (the iterator steps over it); only its syntax matters.
      if (!IsJsonNumber(TrimRight(v.raw_json_token()))) return Fail("invalid number", at);
      return true;
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return FailJson(e);
      return true;
    }
    case od::json_type::boolean: {
      bool b;
      if (v.get_bool().get(b) != simdjson::SUCCESS) return Fail("invalid literal", at);
      return true;
    }
    case od::json_type::null: return true;  // validated by Type
  }
  return true;
}

// ---------------------------------------------------------------- scalars

bool JsonReader::IsNull(od::value& v, bool* is_null) {
  od::json_type t;
  if (auto e = v.type().get(t)) return FailJson(e);
  *is_null = t == od::json_type::null;
  return !*is_null || Type(v, &t);  // validates (and consumes) the literal
}

bool JsonReader::Text(od::value& v, std::string_view* out, bool* escaped) {
  // The raw token is the quoted string plus any whitespace up to the next token.
  std::string_view tok = TrimRight(v.raw_json_token());
  if (tok.size() >= 2 && tok.back() == '"') {
    std::string_view inner = tok.substr(1, tok.size() - 2);
    if (inner.find('\\') == std::string_view::npos) {
      // No escapes: the input bytes are the string (simdjson's first stage
      // has already rejected invalid UTF-8 and raw control characters).
      if (auto e = v.get_raw_json_string().error()) return FailJson(e);  // steps past it
      *out = inner;
      *escaped = false;
      return true;
    }
  }
  if (auto e = v.get_string().get(*out)) return FailJson(e);
  *escaped = true;
  return true;
}

bool JsonReader::String(od::value& v, std::string_view* out) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  if (t == od::json_type::null) return true;
  if (t != od::json_type::string) return WrongType(at, "string", t);
  std::string_view s;
  bool escaped;
  if (!Text(v, &s, &escaped)) return false;
  *out = escaped ? batch_->Own(s) : s;
  return true;
}

bool JsonReader::Bool(od::value& v, bool* out) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  if (t == od::json_type::null) return true;
  if (t != od::json_type::boolean) return WrongType(at, "boolean", t);
  if (v.get_bool().get(*out) != simdjson::SUCCESS) return Fail("invalid literal", at);
  return true;
}

bool JsonReader::NumericText(od::value& v, std::string_view want, std::string_view* text, bool* present) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  *present = t != od::json_type::null;
  if (t == od::json_type::null) return true;
  if (t == od::json_type::number) {
    *text = TrimRight(v.raw_json_token());  // left unconsumed: the iterator steps over it
    return true;
  }
  bool escaped;
  if (t == od::json_type::string) return Text(v, text, &escaped);
  return WrongType(at, want, t);
}

bool JsonReader::Integer(od::value& v, IntType type, uint64_t* bits) {
  const char* at = TokenStart(v);
  std::string_view text;
  bool present;
  if (!NumericText(v, "integer (number or decimal string)", &text, &present)) return false;
  if (!present) return true;
  IntParse r;
  const char* type_name;
  if (type == IntType::kInt64) {
    int64_t i = 0;
    r = ParseInteger(text, &i);
    *bits = static_cast<uint64_t>(i);
    type_name = "int64";
  } else if (type == IntType::kUint64) {
    r = ParseInteger(text, bits);
    type_name = "uint64";
  } else {
    uint32_t u = 0;
    r = ParseInteger(text, &u);
    *bits = u;
    type_name = "uint32";
  }
  switch (r) {
    case IntParse::kOk: return true;
    case IntParse::kInvalid: return Fail("invalid integer " + Quote(text), at);
    case IntParse::kNotInteger: return Fail("not an integer: " + Quote(text), at);
    case IntParse::kOutOfRange: return Fail("integer out of range for " + std::string(type_name) + ": " + Quote(text), at);
  }
  return true;
}

bool JsonReader::Int64(od::value& v, int64_t* out) {
  uint64_t bits = static_cast<uint64_t>(*out);
  if (!Integer(v, IntType::kInt64, &bits)) return false;
  *out = static_cast<int64_t>(bits);
  return true;
}

bool JsonReader::Uint64(od::value& v, uint64_t* out) { return Integer(v, IntType::kUint64, out); }

bool JsonReader::Uint32(od::value& v, uint32_t* out) {
  uint64_t bits = *out;
  if (!Integer(v, IntType::kUint32, &bits)) return false;
  *out = static_cast<uint32_t>(bits);
  return true;
}

bool JsonReader::Double(od::value& v, double* out) {
  const char* at = TokenStart(v);
  std::string_view text;
  bool present;
  if (!NumericText(v, "number or string", &text, &present)) return false;
  if (!present) return true;
  if (text == "NaN") {
    *out = std::numeric_limits<double>::quiet_NaN();
  } else if (text == "Infinity") {
    *out = std::numeric_limits<double>::infinity();
  } else if (text == "-Infinity") {
    *out = -std::numeric_limits<double>::infinity();
  } else {
    if (!IsJsonNumber(text)) return Fail("invalid number " + Quote(text), at);
    auto r = std::from_chars(text.data(), text.data() + text.size(), *out);  // correctly rounded
    if (r.ec != std::errc()) return Fail("number out of range for double: " + Quote(text), at);
  }
  return true;
}

bool JsonReader::Bytes(od::value& v, std::string_view* out) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (!Type(v, &t)) return false;
  if (t == od::json_type::null) return true;
  if (t != od::json_type::string) return WrongType(at, "base64 string", t);
  std::string_view text;
  bool escaped;
  if (!Text(v, &text, &escaped)) return false;
  size_t max = Base64DecodedMaxSize(text.size());
  char* dst = max == 0 ? nullptr : batch_->arena().Allocate(max);
  Base64Result r = Base64Decode(text, dst);
  if (!r.ok) return Fail("invalid base64 at character " + std::to_string(r.error_offset), at);
  *out = {dst, r.size};
  return true;
}

bool JsonReader::Enum(od::value& v, std::span<const std::string_view> names, std::string_view type_name,
                      int32_t* out) {
  const char* at = TokenStart(v);
  od::json_type t;
  if (auto e = v.type().get(t)) return FailJson(e);
  if (t == od::json_type::string) {
    std::string_view name;
    bool escaped;
    if (!Text(v, &name, &escaped)) return false;
    auto number = EnumNumber(names, name);
    if (!number) return Fail("unknown " + std::string(type_name) + " name " + Quote(name), at);
    *out = *number;
    return true;
  }
  if (t != od::json_type::number && t != od::json_type::null) return WrongType(at, "enum number or name", t);
  int64_t i = *out;
  if (!Int64(v, &i)) return false;
  if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
    return Fail("enum value out of range for int32: " + std::to_string(i), at);
  }
  *out = static_cast<int32_t>(i);
  return true;
}

}  // namespace rubato::otlp
