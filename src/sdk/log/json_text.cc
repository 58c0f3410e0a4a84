#include "sdk/log/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <span>

namespace rubato::sdk::log {
namespace {

// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF), or 0 when it is malformed.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  size_t len = b0 < 0xC2 ? 0 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : b0 < 0xF5 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char b1 = byte(i + 1);
  if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
  if (b0 == 0xED && b1 > 0x9F) return 0;  // surrogate
  if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
  if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
  return len;
}

void AppendEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    default: break;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u00";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0xF]);
}

void AppendNumber(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, end);
}

void AppendNumber(std::string& out, int64_t i) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
  out.append(buf, end);
}

template <typename T, typename Fn>
void AppendArray(std::string& out, std::span<const T> items, Fn append_one) {
  out.push_back('[');
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_one(items[i]);
  }
  out.push_back(']');
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\') {
      AppendEscape(out, c);
      ++i;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if (size_t len = Utf8SequenceLength(s, i); len > 0) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\\ufffd";  // one replacement per malformed byte
      ++i;
    }
  }
  out.push_back('"');
}

void AppendJsonValue(std::string& out, const AttributeValue& value) {
  using Kind = AttributeValue::Kind;
  switch (value.kind()) {
    case Kind::kString: return AppendJsonString(out, value.string());
    case Kind::kBool: out += value.boolean() ? "true" : "false"; return;
    case Kind::kInt: return AppendNumber(out, value.integer());
    case Kind::kDouble: return AppendNumber(out, value.dbl());
    case Kind::kStringArray:
      return AppendArray(out, value.strings(), [&](std::string_view s) { AppendJsonString(out, s); });
    case Kind::kBoolArray:
      return AppendArray(out, value.bools(), [&](bool b) { out += b ? "true" : "false"; });
    case Kind::kIntArray: return AppendArray(out, value.integers(), [&](int64_t i) { AppendNumber(out, i); });
    case Kind::kDoubleArray: return AppendArray(out, value.doubles(), [&](double d) { AppendNumber(out, d); });
  }
  out += "null";
}

}  // namespace rubato::sdk::log
