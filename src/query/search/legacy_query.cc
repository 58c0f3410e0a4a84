#include "query/search/legacy_query.h"

#include <cctype>

namespace rubato::query::search {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// An integer or a plain decimal (`42`, `-1.5`): text TraceQL reads as a number literal.
bool IsNumber(std::string_view s) {
  size_t i = !s.empty() && s[0] == '-';
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i]))) {
      digits = true;
    } else if (s[i] == '.' && !dot && digits) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits && s.back() != '.';
}

// `.name`, quoted when it holds characters an unquoted TraceQL name cannot.
std::string Unscoped(std::string_view key) {
  bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' && c != '/') plain = false;
  }
  return plain ? "." + std::string(key) : "." + QuoteTraceQL(key);
}

Result<std::string> PairToFilter(const std::string& k, const std::string& v) {
  if (k == "name") return "{ name = " + QuoteTraceQL(v) + " }";
  if (k == "root.name") return "{ trace:rootName = " + QuoteTraceQL(v) + " }";
  if (k == "root.service.name") return "{ trace:rootService = " + QuoteTraceQL(v) + " }";
  if (k == "service.name") return "{ resource.service.name = " + QuoteTraceQL(v) + " }";
  if (k == "status.code") {
    if (v == "unset" || v == "0") return std::string("{ status = unset }");
    if (v == "ok" || v == "1") return std::string("{ status = ok }");
    if (v == "error" || v == "2") return std::string("{ status = error }");
    return Status::InvalidArgument("tags: status.code must be unset, ok or error, not '" + v + "'");
  }
  if (k == "error") {
    if (v == "true") return std::string("{ status = error }");
    if (v == "false") return std::string("{ status != error }");
    return Status::InvalidArgument("tags: error must be true or false, not '" + v + "'");
  }
  // Stored values keep their type; the text of a number or bool may be either.
  std::string attr = Unscoped(k);
  std::string as_string = attr + " = " + QuoteTraceQL(v);
  if (IsNumber(v) || v == "true" || v == "false") {
    return "{ " + as_string + " || " + attr + " = " + v + " }";
  }
  return "{ " + as_string + " }";
}

}  // namespace

std::string QuoteTraceQL(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseLogfmt(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t i = 0;
  while (true) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) break;
    size_t key_start = i;
    while (i < text.size() && !IsSpace(text[i]) && text[i] != '=') ++i;
    std::string key(text.substr(key_start, i - key_start));
    if (key.empty()) return Status::InvalidArgument("tags: a value without a key at position " + std::to_string(i + 1));
    if (i == text.size() || text[i] != '=') {
      return Status::InvalidArgument("tags: '" + key + "' has no value (want key=value)");
    }
    ++i;  // '='
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '\\' && i < text.size()) {
          char e = text[i++];
          value.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return Status::InvalidArgument("tags: the value of '" + key + "' has no closing quote");
    } else {
      size_t v = i;
      while (i < text.size() && !IsSpace(text[i])) ++i;
      value = std::string(text.substr(v, i - v));
    }
    pairs.emplace_back(std::move(key), std::move(value));
  }
  return pairs;
}

Result<std::string> LegacyTagsToTraceQL(std::string_view tags) {
  auto pairs = ParseLogfmt(tags);
  if (!pairs.ok()) return pairs.status();
  if (pairs->empty()) return std::string("{ }");
  std::string q;
  for (const auto& [k, v] : *pairs) {
    auto f = PairToFilter(k, v);
    if (!f.ok()) return f.status();
    if (!q.empty()) q += " && ";
    q += *f;
  }
  return q;
}

}  // namespace rubato::query::search
