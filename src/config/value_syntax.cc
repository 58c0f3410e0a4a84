#include "config/value_syntax.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <vector>

namespace rubato::config {
namespace {

using u128 = unsigned __int128;
constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// YAML 1.1 lets underscores group digits anywhere after the first digit;
// Tempo's YAML library drops them before converting.
std::string WithoutUnderscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c != '_') out.push_back(c);
  }
  return out;
}

int DigitValue(char c) {
  if (IsDigit(c)) return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return 99;
}

// Digits in `base` (no sign, no prefix); false on a bad digit or overflow.
bool ParseDigits(std::string_view digits, int base, uint64_t* out) {
  if (digits.empty()) return false;
  u128 v = 0;
  for (char c : digits) {
    int d = DigitValue(c);
    if (d >= base) return false;
    v = v * base + d;
    if (v > kMax) return false;
  }
  *out = static_cast<uint64_t>(v);
  return true;
}

enum class CountError { kNone, kSyntax, kNegative, kLeadingZero, kOverflow };

// The shared core of counts, sizes and ports: sign, base prefix, underscores.
CountError ParseWhole(std::string_view text, uint64_t* out) {
  if (text.empty()) return CountError::kSyntax;
  bool negative = text[0] == '-';
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  if (text.empty() || !IsDigit(text[0])) return CountError::kSyntax;
  std::string s = WithoutUnderscores(text);
  int base = 10;
  std::string_view digits = s;
  if (s.size() > 2 && s[0] == '0' && std::string_view("xXbBoO").find(s[1]) != std::string_view::npos) {
    base = Lower(s[1]) == 'x' ? 16 : Lower(s[1]) == 'b' ? 2 : 8;
    digits.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    return std::all_of(s.begin(), s.end(), IsDigit) ? CountError::kLeadingZero : CountError::kSyntax;
  }
  uint64_t v = 0;
  if (!ParseDigits(digits, base, &v)) {
    bool all_digits = std::all_of(digits.begin(), digits.end(), [base](char c) { return DigitValue(c) < base; });
    return all_digits && !digits.empty() ? CountError::kOverflow : CountError::kSyntax;
  }
  if (negative && v != 0) return CountError::kNegative;
  *out = v;
  return CountError::kNone;
}

Status CountStatus(CountError e, std::string_view what, std::string_view text, std::string_view want) {
  std::string q = Quote(text);
  switch (e) {
    case CountError::kNegative: return Status::InvalidArgument("invalid " + std::string(what) + " " + q + ": must not be negative");
    case CountError::kLeadingZero:
      return Status::InvalidArgument("invalid " + std::string(what) + " " + q +
                                     ": a leading zero makes YAML read it as octal; drop the zero (or write 0o... for octal)");
    case CountError::kOverflow: return Status::InvalidArgument("invalid " + std::string(what) + " " + q + ": too large");
    default: return Status::InvalidArgument("invalid " + std::string(what) + " " + q + " (want " + std::string(want) + ")");
  }
}

constexpr std::string_view kSizeWant = "bytes, e.g. 1_000_000, 64MiB or 1GB";

struct Unit {
  std::string_view name;  // lower case
  uint64_t bytes;
};

constexpr std::array<Unit, 17> kSizeUnits = {{
    {"b", 1},
    {"k", 1'000}, {"kb", 1'000}, {"m", 1'000'000}, {"mb", 1'000'000},
    {"g", 1'000'000'000}, {"gb", 1'000'000'000}, {"t", 1'000'000'000'000}, {"tb", 1'000'000'000'000},
    {"pb", 1'000'000'000'000'000},
    {"ki", uint64_t{1} << 10}, {"kib", uint64_t{1} << 10}, {"mi", uint64_t{1} << 20}, {"mib", uint64_t{1} << 20},
    {"gib", uint64_t{1} << 30}, {"tib", uint64_t{1} << 40}, {"pib", uint64_t{1} << 50},
}};

bool FindSizeUnit(std::string_view name, uint64_t* bytes) {
  std::string lower;
  for (char c : name) lower.push_back(Lower(c));
  if (lower == "gi") lower = "gib";
  if (lower == "ti") lower = "tib";
  for (const Unit& u : kSizeUnits) {
    if (u.name == lower) {
      *bytes = u.bytes;
      return true;
    }
  }
  return false;
}

// "1.5 GiB": the number may have a fraction when a unit follows; the product
// must be a whole number of bytes.
Result<uint64_t> ParseSizeWithUnit(std::string_view text, std::string_view number, std::string_view unit_text) {
  uint64_t unit = 0;
  if (!FindSizeUnit(unit_text, &unit)) return CountStatus(CountError::kSyntax, "size", text, kSizeWant);
  std::string n = WithoutUnderscores(number);
  size_t dot = n.find('.');
  std::string_view whole = std::string_view(n).substr(0, dot);
  std::string_view frac = dot == std::string::npos ? std::string_view() : std::string_view(n).substr(dot + 1);
  uint64_t w = 0, f = 0;
  if (whole.empty() || !ParseDigits(whole, 10, &w) || (dot != std::string::npos && !ParseDigits(frac, 10, &f)) ||
      frac.size() > 18) {
    return CountStatus(CountError::kSyntax, "size", text, kSizeWant);
  }
  u128 scale = 1;
  for (size_t i = 0; i < frac.size(); ++i) scale *= 10;
  u128 frac_bytes = u128{f} * unit;
  if (frac_bytes % scale != 0) {
    return Status::InvalidArgument("invalid size " + Quote(text) + ": not a whole number of bytes");
  }
  u128 total = u128{w} * unit + frac_bytes / scale;
  if (total > kMax) return CountStatus(CountError::kOverflow, "size", text, kSizeWant);
  return static_cast<uint64_t>(total);
}

constexpr std::string_view kDurationWant = "want e.g. 30s, 5m, 1h";

Status BadDuration(std::string_view text, std::string_view why = {}) {
  std::string msg = "invalid duration " + Quote(text) + " (";
  if (!why.empty()) msg += std::string(why) + "; ";
  return Status::InvalidArgument(msg + std::string(kDurationWant) + ")");
}

// Nanoseconds per unit; 0 when the unit is unknown.
int64_t DurationUnit(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1'000;  // µ (micro sign), μ (Greek mu)
  if (u == "ms") return 1'000'000;
  if (u == "s") return 1'000'000'000;
  if (u == "m") return 60'000'000'000;
  if (u == "h") return 3'600'000'000'000;
  return 0;
}

}  // namespace

Result<uint64_t> ParseCount(std::string_view text) {
  uint64_t v = 0;
  CountError e = ParseWhole(text, &v);
  if (e != CountError::kNone) return CountStatus(e, "number", text, "a whole number, e.g. 10000");
  return v;
}

Result<uint64_t> ParseSize(std::string_view text) {
  // Split "1.5 GiB" into its number and its unit.
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  while (i < text.size() && (IsDigit(text[i]) || text[i] == '_' || text[i] == '.')) ++i;
  std::string_view number = text.substr(0, i);
  std::string_view rest = text.substr(i);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  bool has_unit = !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  if (!number.empty() && number.front() == '+') number.remove_prefix(1);
  if (!has_unit || number.empty()) {
    uint64_t v = 0;
    CountError e = ParseWhole(text, &v);
    if (e != CountError::kNone) return CountStatus(e, "size", text, kSizeWant);
    return v;
  }
  if (number.front() == '-') {
    return CountStatus(CountError::kNegative, "size", text, kSizeWant);
  }
  return ParseSizeWithUnit(text, number, rest);
}

Result<Duration> ParseDuration(std::string_view text) {
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return Duration(0);
  if (s.empty()) return BadDuration(text);
  u128 total = 0;  // nanoseconds
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && IsDigit(s[i])) ++i;
    std::string_view whole = s.substr(0, i);
    std::string_view frac;
    if (i < s.size() && s[i] == '.') {
      size_t start = ++i;
      while (i < s.size() && IsDigit(s[i])) ++i;
      frac = s.substr(start, i - start);
    }
    if (whole.empty() && frac.empty()) return BadDuration(text);
    size_t unit_start = i;
    while (i < s.size() && !IsDigit(s[i]) && s[i] != '.') ++i;
    std::string_view unit = s.substr(unit_start, i - unit_start);
    if (unit.empty()) return i == s.size() ? BadDuration(text, "missing unit") : BadDuration(text);
    int64_t ns = DurationUnit(unit);
    if (ns == 0) {
      if (unit == "d" || unit == "w" || unit == "y") return BadDuration(text, "Go durations have no \"" + std::string(unit) + "\", use h");
      return BadDuration(text);
    }
    uint64_t w = 0;
    if (!whole.empty() && !ParseDigits(whole, 10, &w)) return BadDuration(text, "too large");
    total += u128{w} * static_cast<uint64_t>(ns);
    // Like Go, digits of the fraction beyond nanosecond precision are dropped.
    u128 scale = 1;
    for (char c : frac) {
      if (scale >= 1'000'000'000'000'000'000ULL) break;
      scale *= 10;
      total += u128(static_cast<uint64_t>(c - '0')) * static_cast<uint64_t>(ns) / scale;
    }
    if (total > static_cast<u128>(std::numeric_limits<int64_t>::max())) return BadDuration(text, "too large");
    s.remove_prefix(i);
  }
  if (negative && total != 0) return Status::InvalidArgument("invalid duration " + Quote(text) + ": must not be negative");
  return Duration(static_cast<int64_t>(total));
}

Result<bool> ParseBool(std::string_view text) {
  static constexpr std::array<std::string_view, 11> kTrue = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"};
  static constexpr std::array<std::string_view, 11> kFalse = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"};
  if (std::find(kTrue.begin(), kTrue.end(), text) != kTrue.end()) return true;
  if (std::find(kFalse.begin(), kFalse.end(), text) != kFalse.end()) return false;
  return Status::InvalidArgument("invalid boolean " + Quote(text) + " (want true or false)");
}

Result<int> ParsePort(std::string_view text) {
  uint64_t v = 0;
  CountError e = ParseWhole(text, &v);
  if (e == CountError::kNone && v > 65535) e = CountError::kOverflow;
  if (e != CountError::kNone) {
    if (e == CountError::kLeadingZero) return CountStatus(e, "port", text, "");
    return Status::InvalidArgument("invalid port " + Quote(text) + " (want 0 to 65535)");
  }
  return static_cast<int>(v);
}

Status CheckEndpoint(std::string_view text) {
  auto bad = [&](std::string_view why) {
    std::string msg = "invalid endpoint " + Quote(text) + " (";
    if (!why.empty()) msg += std::string(why) + "; ";
    return Status::InvalidArgument(msg + "want host:port, e.g. 0.0.0.0:4317)");
  };
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return bad("no port");
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return bad("");
  } else if (host.find(':') != std::string_view::npos) {
    return bad("put IPv6 addresses in brackets, e.g. [::1]:4317");
  } else if (host.find_first_of(" \t/") != std::string_view::npos) {
    return bad("");
  }
  uint64_t p = 0;
  if (port.empty() || !std::all_of(port.begin(), port.end(), IsDigit) || !ParseDigits(port, 10, &p) || p > 65535) {
    return bad("port must be 0 to 65535");
  }
  return Status::Ok();
}

std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 60;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out + "\"";
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // d[i][j]: distance between the first i bytes of a and the first j of b.
  const size_t w = b.size() + 1;
  std::vector<size_t> d((a.size() + 1) * w);
  for (size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t best = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) best = std::min(best, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = best;
    }
  }
  return d[a.size() * w + b.size()];
}

}  // namespace rubato::config
