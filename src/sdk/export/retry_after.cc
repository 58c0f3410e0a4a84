#include "sdk/export/retry_after.h"

#include <array>
#include <cstdint>

namespace rubato::sdk {

namespace {

using std::chrono::system_clock;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A cursor over the header value; each Read* consumes what it matched.
struct Cursor {
  std::string_view s;

  bool Literal(std::string_view lit) {
    if (s.substr(0, lit.size()) != lit) return false;
    s.remove_prefix(lit.size());
    return true;
  }
  // Exactly `min`..`max` decimal digits.
  bool Number(int min, int max, int* out) {
    int n = 0, v = 0;
    while (n < max && n < static_cast<int>(s.size()) && s[n] >= '0' && s[n] <= '9') v = v * 10 + (s[n++] - '0');
    if (n < min) return false;
    s.remove_prefix(n);
    *out = v;
    return true;
  }
  bool Month(int* out) {
    for (size_t i = 0; i < kMonths.size(); ++i) {
      if (Literal(kMonths[i])) {
        *out = static_cast<int>(i) + 1;
        return true;
      }
    }
    return false;
  }
  // A day name, short ("Sun") or long ("Sunday"): letters up to the delimiter.
  bool DayName() {
    size_t n = 0;
    while (n < s.size() && ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z'))) ++n;
    if (n < 3) return false;
    s.remove_prefix(n);
    return true;
  }
  bool Time(int* h, int* m, int* sec) {
    return Number(2, 2, h) && Literal(":") && Number(2, 2, m) && Literal(":") && Number(2, 2, sec);
  }
};

std::optional<std::chrono::sys_seconds> ToTime(int year, int month, int day, int h, int m, int s) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || h > 23 || m > 59 || s > 60) return std::nullopt;
  return sys_days(ymd) + hours(h) + minutes(m) + seconds(s);
}

std::optional<std::chrono::sys_seconds> ParseHttpDate(std::string_view v) {
  Cursor c{v};
  int day = 0, month = 0, year = 0, h = 0, m = 0, s = 0;
  if (!c.DayName()) return std::nullopt;
  if (c.Literal(", ")) {
    // IMF-fixdate "06 Nov 1994 08:49:37 GMT" or RFC 850 "06-Nov-94 08:49:37 GMT".
    if (!c.Number(2, 2, &day)) return std::nullopt;
    if (c.Literal(" ")) {
      if (!c.Month(&month) || !c.Literal(" ") || !c.Number(4, 4, &year)) return std::nullopt;
    } else {
      if (!c.Literal("-") || !c.Month(&month) || !c.Literal("-") || !c.Number(2, 2, &year)) return std::nullopt;
      year += year < 70 ? 2000 : 1900;
    }
    if (!c.Literal(" ") || !c.Time(&h, &m, &s) || !c.Literal(" GMT")) return std::nullopt;
  } else {
    // asctime "Nov  6 08:49:37 1994": the day is space-padded to two characters.
    if (!c.Literal(" ") || !c.Month(&month) || !c.Literal(" ")) return std::nullopt;
    c.Literal(" ");
    if (!c.Number(1, 2, &day) || !c.Literal(" ") || !c.Time(&h, &m, &s) || !c.Literal(" ") ||
        !c.Number(4, 4, &year))
      return std::nullopt;
  }
  if (!c.s.empty()) return std::nullopt;
  return ToTime(year, month, day, h, m, s);
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

std::optional<std::chrono::nanoseconds> ParseRetryAfter(std::string_view value, system_clock::time_point now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    if (value.size() > 9) return std::nullopt;  // over 31 years: not a sensible pause
    int64_t n = 0;
    for (char ch : value) {
      if (ch < '0' || ch > '9') return std::nullopt;
      n = n * 10 + (ch - '0');
    }
    return std::chrono::seconds(n);
  }
  std::optional<std::chrono::sys_seconds> at = ParseHttpDate(value);
  if (!at) return std::nullopt;
  // In seconds first: years 0-9999 in nanoseconds overflow int64 past ±292 years.
  std::chrono::seconds ahead = *at - std::chrono::floor<std::chrono::seconds>(now);
  if (ahead > std::chrono::seconds(999999999)) return std::nullopt;  // as delay-seconds: over 31 years
  if (ahead <= std::chrono::seconds(0)) return std::chrono::nanoseconds(0);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(*at - now);
}

}  // namespace rubato::sdk
