#include "sdk/export/otlp_headers.h"

#include <cctype>

namespace rubato::sdk {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 tchar.
bool TokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status Bad(std::string_view member, std::string why) {
  return Status::InvalidArgument("\"" + std::string(member) + "\": " + why);
}

Result<std::string> DecodeValue(std::string_view member, std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == ';') return Bad(member, "properties (\";...\") are not supported in OTLP headers");
    if (c == '"' || c == '\\') return Bad(member, std::string("'") + c + "' must be percent-encoded");
    if (c == '%') {
      bool room = i + 2 < v.size();
      int hi = room ? HexDigit(v[i + 1]) : -1;
      int lo = room ? HexDigit(v[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Bad(member, "'%' must be followed by two hex digits");
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    unsigned char u = static_cast<unsigned char>(c);
    if ((u < ' ' && c != '\t') || u == 0x7f) return Bad(member, "the value holds a control character");
    out.push_back(c);
  }
  return out;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseOtlpHeaders(std::string_view list) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (true) {
    size_t comma = list.find(',');
    std::string_view member = Trim(list.substr(0, comma));
    if (!member.empty()) {
      size_t eq = member.find('=');
      if (eq == std::string_view::npos) return Bad(member, "a header must be key=value");
      std::string_view key = Trim(member.substr(0, eq));
      if (key.empty()) return Bad(member, "the key is empty");
      for (char c : key)
        if (!TokenChar(c)) return Bad(member, "the key \"" + std::string(key) + "\" is not an HTTP header name");
      Result<std::string> value = DecodeValue(member, Trim(member.substr(eq + 1)));
      if (!value.ok()) return value.status();
      headers.emplace_back(std::string(key), std::move(value).value());
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return headers;
}

}  // namespace rubato::sdk
