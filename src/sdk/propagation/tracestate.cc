#include "sdk/propagation/tracestate.h"

#include "sdk/trace/env_values.h"

namespace rubato::sdk {

namespace {

constexpr size_t kMaxKeySize = 256;
constexpr size_t kMaxValueSize = 256;

bool IsLcAlphaOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool IsKeyChar(char c) {
  return IsLcAlphaOrDigit(c) || c == '_' || c == '-' || c == '*' || c == '/' || c == '@';
}

bool IsNonBlankValueChar(char c) { return c >= 0x21 && c <= 0x7e && c != ',' && c != '='; }

}  // namespace

bool IsValidTraceStateKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxKeySize || !IsLcAlphaOrDigit(key[0])) return false;
  for (char c : key) {
    if (!IsKeyChar(c)) return false;
  }
  return true;
}

bool IsValidTraceStateValue(std::string_view value) {
  if (value.empty() || value.size() > kMaxValueSize || !IsNonBlankValueChar(value.back())) return false;
  for (char c : value) {
    if (c != ' ' && !IsNonBlankValueChar(c)) return false;
  }
  return true;
}

std::optional<std::string> ParseTraceState(std::string_view combined) {
  std::string out;
  std::string_view keys[kMaxTraceStateMembers];
  size_t members = 0;
  std::string_view rest = combined;
  while (true) {
    size_t comma = rest.find(',');
    // OWS around a member is not part of it; leading spaces of a value are,
    // but they follow the '=' and so are not trimmed here.
    std::string_view member = TrimOws(rest.substr(0, comma));
    if (!member.empty()) {  // empty and whitespace-only members are allowed and skipped
      size_t eq = member.find('=');
      if (eq == std::string_view::npos) return std::nullopt;
      std::string_view key = member.substr(0, eq);
      std::string_view value = member.substr(eq + 1);
      if (!IsValidTraceStateKey(key) || !IsValidTraceStateValue(value)) return std::nullopt;
      if (members == kMaxTraceStateMembers) return std::nullopt;  // more than 32 members
      for (size_t i = 0; i < members; ++i) {
        if (keys[i] == key) return std::nullopt;  // one entry per key
      }
      keys[members++] = key;
      if (!out.empty()) out.push_back(',');
      out.append(member.data(), member.size());
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace rubato::sdk
