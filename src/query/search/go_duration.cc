#include "query/search/go_duration.h"

#include <cmath>
#include <string>

namespace rubato::query::search {
namespace {

// Units longest first, so "ms" is not read as "m" followed by "s".
struct Unit {
  std::string_view name;
  double nanos;
};
constexpr Unit kUnits[] = {
    {"ns", 1}, {"us", 1e3}, {"\xC2\xB5s", 1e3}, {"\xCE\xBCs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9},
};

}  // namespace

Result<uint64_t> ParseGoDuration(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("invalid duration '" + std::string(text) + "': " + why);
  };
  std::string_view s = text;
  if (s.empty()) return bad("empty");
  if (s[0] == '-') return bad("negative");
  if (s[0] == '+') s.remove_prefix(1);
  if (s == "0") return uint64_t{0};
  if (s.empty()) return bad("no number");
  double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    double whole = 0, frac = 0, scale = 1;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') whole = whole * 10 + (s[i++] - '0'), digits = true;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') frac = frac * 10 + (s[i++] - '0'), scale *= 10, digits = true;
    }
    if (!digits) return bad("expected a number");
    s.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits) {
      if (s.substr(0, u.name.size()) == u.name && (!unit || u.name.size() > unit->name.size())) unit = &u;
    }
    if (!unit) return bad(s.empty() ? "missing unit (ns, us, ms, s, m, h)" : "unknown unit");
    s.remove_prefix(unit->name.size());
    total += (whole + frac / scale) * unit->nanos;
    if (total > 9.2e18) return bad("too long");
  }
  return static_cast<uint64_t>(std::llround(total));
}

}  // namespace rubato::query::search
