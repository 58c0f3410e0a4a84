#include "query/traceql/literal.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace rubato::query::traceql {
namespace {

struct Unit {
  const char* text;
  int64_t nanos;
};
// Longest spellings first, so "ms" is not read as "m" followed by "s".
constexpr Unit kUnits[] = {
    {"ns", 1}, {"us", 1000}, {"\xC2\xB5s", 1000}, {"\xCE\xBCs", 1000}, {"ms", 1000000},
    {"s", 1000000000}, {"m", 60LL * 1000000000}, {"h", 3600LL * 1000000000},
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

DurationParse ParseDurationLiteral(std::string_view text) {
  DurationParse out;
  __int128 total = 0;
  size_t i = 0;
  constexpr __int128 kMax = INT64_MAX;
  if (text.empty()) return out;
  while (i < text.size()) {
    __int128 whole = 0;
    bool digits = false, overflow = false;
    while (i < text.size() && IsDigit(text[i])) {
      whole = whole * 10 + (text[i++] - '0');
      if (whole > kMax) overflow = true, whole = kMax;
      digits = true;
    }
    int64_t frac = 0, scale = 1;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && IsDigit(text[i])) {
        if (scale < 1000000000000000000LL) frac = frac * 10 + (text[i] - '0'), scale *= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return out;
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      std::string_view ut(u.text);
      if (text.substr(i, ut.size()) == ut) {
        unit = &u;
        break;
      }
    }
    if (!unit) return out;
    i += std::string_view(unit->text).size();
    if (overflow) {
      out.status = DurationParse::kOutOfRange;
      return out;
    }
    total += whole * unit->nanos + static_cast<__int128>(frac) * unit->nanos / scale;
    if (total > kMax) {
      out.status = DurationParse::kOutOfRange;
      return out;
    }
  }
  out.status = DurationParse::kOk;
  out.nanos = static_cast<int64_t>(total);
  return out;
}

std::optional<double> ParseFloatLiteral(std::string_view text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string FormatDuration(int64_t nanos) {
  if (nanos == 0) return "0s";
  std::string sign = nanos < 0 ? "-" : "";
  // INT64_MIN cannot be negated; it is a whole number of nanoseconds only.
  if (nanos == INT64_MIN) return std::to_string(nanos) + "ns";
  int64_t v = nanos < 0 ? -nanos : nanos;
  static constexpr Unit kOut[] = {{"h", 3600LL * 1000000000}, {"m", 60LL * 1000000000}, {"s", 1000000000},
                                  {"ms", 1000000},           {"us", 1000},               {"ns", 1}};
  for (const Unit& u : kOut) {
    if (v % u.nanos == 0) return sign + std::to_string(v / u.nanos) + u.text;
  }
  return sign + std::to_string(v) + "ns";
}

std::string FormatFloat(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, ec == std::errc() ? p : buf);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // n: inf/nan stay as they are
  return s;
}

std::string QuoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string FormatAttributeName(std::string_view name) {
  // A leading digit is quoted so `.5` (a float) never stands for the name "5".
  bool bare = !name.empty() && !IsDigit(name[0]);
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '.' || c == '-' ||
              c == '/' || c == '@';
    if (!ok) bare = false;
  }
  return bare ? std::string(name) : QuoteString(name);
}

}  // namespace rubato::query::traceql
