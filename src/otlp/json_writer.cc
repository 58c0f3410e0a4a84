#include "otlp/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>

#include "otlp/base64.h"
#include "otlp/utf8.h"

namespace rubato::otlp {
namespace {

// For each byte: 0 when it is written as is, else the letter after the
// backslash ('u' meaning \u00XX).
constexpr std::array<char, 256> MakeEscapeTable() {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}
constexpr std::array<char, 256> kEscape = MakeEscapeTable();

// Escapes s, which must be valid UTF-8: only '"', '\\' and control characters
// need escaping, so every other run of bytes is appended in one piece.
void AppendEscapedValid(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<uint8_t>(s[i]);
    char e = kEscape[c];
    if (e == 0) continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', e, '0', '0', kHex[c >> 4], kHex[c & 15]};
    out->append(esc, e == 'u' ? 6 : 2);
  }
  out->append(s.data() + run, s.size() - run);
}

}  // namespace

void AppendShortestDouble(double d, std::string* out) {
  // to_chars spells these without an exponent, which the layout below needs.
  if (std::isnan(d) || std::isinf(d)) {
    out->append(std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
    return;
  }
  // to_chars gives the shortest round-trip digits; lay them out as ES/Go do.
  char sci[32];
  auto res = std::to_chars(sci, sci + sizeof(sci), d, std::chars_format::scientific);
  std::string_view t(sci, static_cast<size_t>(res.ptr - sci));  // [-]D[.DDD]e(+|-)XX
  if (t.front() == '-') {
    out->push_back('-');
    t.remove_prefix(1);
  }
  size_t e_pos = t.find('e');
  char digits[20];
  int k = 0;
  for (size_t i = 0; i < e_pos; ++i) {
    if (t[i] != '.') digits[k++] = t[i];
  }
  std::string_view exp_text = t.substr(e_pos + 1);  // to_chars does not NUL-terminate
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  int exp10 = 0;
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exp10);
  int n = exp10 + 1;  // position of the decimal point relative to the digits
  if (k <= n && n <= 21) {
    out->append(digits, k);
    out->append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, n);
    out->push_back('.');
    out->append(digits + n, k - n);
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-n), '0');
    out->append(digits, k);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits + 1, k - 1);
    }
    out->push_back('e');
    out->push_back(n - 1 < 0 ? '-' : '+');
    out->append(std::to_string(std::abs(n - 1)));
  }
}

void JsonWriter::String(std::string_view s) {
  Separate();
  out_.push_back('"');
  AppendEscaped(s);
  out_.push_back('"');
  need_comma_ = true;
}

void JsonWriter::AppendEscaped(std::string_view s) {
  if (IsValidUtf8(s)) {
    AppendEscapedValid(s, &out_);
    return;
  }
  // Rare: a hand-built batch with bad bytes. Replace each invalid byte.
  while (!s.empty()) {
    size_t bad = FindInvalidUtf8(s);
    AppendEscapedValid(s.substr(0, bad), &out_);
    if (bad == s.size()) break;
    out_.append("\xef\xbf\xbd");  // U+FFFD
    s.remove_prefix(bad + 1);
  }
}

void JsonWriter::Uint(uint64_t v) {
  char buf[20];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  Raw({buf, static_cast<size_t>(res.ptr - buf)});
}

void JsonWriter::Int(int64_t v) {
  char buf[20];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  Raw({buf, static_cast<size_t>(res.ptr - buf)});
}

void JsonWriter::QuotedInt(int64_t v) {
  char buf[22];
  buf[0] = '"';
  auto res = std::to_chars(buf + 1, buf + sizeof(buf) - 1, v);
  *res.ptr = '"';
  Raw({buf, static_cast<size_t>(res.ptr + 1 - buf)});
}

void JsonWriter::QuotedUint(uint64_t v) {
  char buf[22];
  buf[0] = '"';
  auto res = std::to_chars(buf + 1, buf + sizeof(buf) - 1, v);
  *res.ptr = '"';
  Raw({buf, static_cast<size_t>(res.ptr + 1 - buf)});
}

void JsonWriter::Double(double d) {
  if (std::isnan(d)) return Raw("\"NaN\"");
  if (std::isinf(d)) return Raw(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  Separate();
  AppendShortestDouble(d, &out_);
  need_comma_ = true;
}

void JsonWriter::Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  Separate();
  out_.push_back('"');
  for (char ch : bytes) {
    auto b = static_cast<uint8_t>(ch);
    out_.push_back(kDigits[b >> 4]);
    out_.push_back(kDigits[b & 15]);
  }
  out_.push_back('"');
  need_comma_ = true;
}

void JsonWriter::Base64(std::string_view bytes) {
  Separate();
  out_.push_back('"');
  Base64Encode(bytes, &out_);
  out_.push_back('"');
  need_comma_ = true;
}

}  // namespace rubato::otlp
