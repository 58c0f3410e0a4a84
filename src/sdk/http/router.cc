#include "sdk/http/router.h"

#include <algorithm>

namespace rubato::sdk::http {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// RFC 3986 percent-decoding of one path segment. Unlike form decoding, '+'
// stays a plus; a malformed escape is kept verbatim rather than rejected.
std::string DecodeSegment(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = s[i] == '%' && i + 2 < s.size() ? HexDigit(s[i + 1]) : -1;
    int lo = hi >= 0 ? HexDigit(s[i + 2]) : -1;
    if (lo >= 0) {
      out.push_back(static_cast<char>(hi << 4 | lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// "/a/b" → {"a", "b"}; "/" → {""}. Encoded slashes stay inside their segment
// because splitting happens before decoding.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::string_view PathParams::Get(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return {};
}

void Router::Handle(std::string method, std::string route_template, RouteHandler handler) {
  if (route_template.empty() || route_template.front() != '/') route_template = "/" + route_template;
  Route route{std::move(method), std::move(route_template), {}, std::move(handler)};
  for (std::string_view segment : SplitPath(route.route_template)) route.segments.emplace_back(segment);
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  std::vector<std::string_view> raw = SplitPath(path);
  std::vector<std::string> decoded;
  decoded.reserve(raw.size());
  for (std::string_view segment : raw) decoded.push_back(DecodeSegment(segment));

  // Among routes matching the path, the most specific wins: comparing segment
  // by segment from the left, a literal beats a parameter. So "/stock/summary"
  // is preferred to "/stock/{item}" whatever the registration order.
  const Route* best = nullptr;
  std::vector<bool> best_literals;
  for (const Route& route : routes_) {
    if (route.segments.size() != decoded.size()) continue;
    std::vector<bool> literals(decoded.size());
    bool matches = true;
    for (size_t i = 0; i < decoded.size() && matches; ++i) {
      literals[i] = !IsParam(route.segments[i]);
      matches = literals[i] ? route.segments[i] == decoded[i] : !decoded[i].empty();
    }
    if (!matches) continue;
    if (route.method != method) {
      if (std::find(match.allowed_methods.begin(), match.allowed_methods.end(), route.method) ==
          match.allowed_methods.end()) {
        match.allowed_methods.push_back(route.method);
      }
      continue;
    }
    if (best == nullptr || literals > best_literals) {
      best = &route;
      best_literals = std::move(literals);
    }
  }
  if (best == nullptr) {
    match.method_mismatch = !match.allowed_methods.empty();
    return match;
  }
  match.allowed_methods.clear();
  match.handler = &best->handler;
  match.route_template = &best->route_template;
  for (size_t i = 0; i < decoded.size(); ++i) {
    const std::string& segment = best->segments[i];
    if (IsParam(segment)) match.params.Add(segment.substr(1, segment.size() - 2), std::move(decoded[i]));
  }
  return match;
}

}  // namespace rubato::sdk::http
