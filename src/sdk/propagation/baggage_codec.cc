#include "sdk/propagation/baggage_codec.h"

#include <cstring>
#include <optional>

#include "sdk/trace/env_values.h"
#include "sdk/trace/percent_codec.h"

namespace rubato::sdk {

namespace {

// RFC 7230 tchar.
bool IsTokenChar(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool IsBaggageOctet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
         (c >= 0x5d && c <= 0x7e);
}

bool IsBaggageValue(std::string_view s) {
  for (char c : s) {
    if (!IsBaggageOctet(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// property = key OWS "=" OWS value / key OWS. Appends ";key[=value]" to out.
bool AppendProperty(std::string_view p, std::string* out) {
  size_t eq = p.find('=');
  std::string_view key = TrimOws(p.substr(0, eq));
  if (!IsToken(key)) return false;
  out->push_back(';');
  out->append(key);
  if (eq != std::string_view::npos) {
    std::string_view value = TrimOws(p.substr(eq + 1));
    if (!IsBaggageValue(value)) return false;
    out->push_back('=');
    out->append(value);
  }
  return true;
}

// Normalizes a ';'-separated property list (without its leading ';').
std::optional<std::string> NormalizeProperties(std::string_view props) {
  std::string out;
  while (true) {
    size_t semi = props.find(';');
    std::string_view p = TrimOws(props.substr(0, semi));
    if (!p.empty() && !AppendProperty(p, &out)) return std::nullopt;
    if (semi == std::string_view::npos) break;
    props.remove_prefix(semi + 1);
  }
  return out;
}

std::optional<BaggageEntry> ParseMember(std::string_view member) {
  size_t semi = member.find(';');
  std::string_view pair = member.substr(0, semi);
  size_t eq = pair.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  std::string_view key = TrimOws(pair.substr(0, eq));
  std::string_view raw_value = TrimOws(pair.substr(eq + 1));  // may hold more '='
  if (!IsToken(key) || !IsBaggageValue(raw_value)) return std::nullopt;
  std::optional<std::string> value = PercentDecode(raw_value);
  if (!value) return std::nullopt;
  BaggageEntry entry;
  entry.name = std::string(key);
  entry.value = std::move(*value);
  if (semi != std::string_view::npos) {
    std::optional<std::string> props = NormalizeProperties(member.substr(semi + 1));
    if (!props) return std::nullopt;
    entry.properties = std::move(*props);
  }
  return entry;
}

}  // namespace

std::vector<BaggageEntry> ParseBaggage(std::string_view combined) {
  std::vector<BaggageEntry> entries;
  size_t bytes = 0;  // of the members kept, with their separating commas
  std::string_view rest = combined;
  while (entries.size() < kMaxBaggageMembers) {
    size_t comma = rest.find(',');
    std::string_view member = TrimOws(rest.substr(0, comma));
    if (!member.empty()) {
      size_t cost = member.size() + (entries.empty() ? 0 : 1);
      if (bytes + cost > kMaxBaggageBytes) break;  // past 8192 bytes: drop the rest
      if (std::optional<BaggageEntry> entry = ParseMember(member)) {
        entries.push_back(std::move(*entry));
        bytes += cost;
      }
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return entries;
}

std::string SerializeBaggage(const std::vector<BaggageEntry>& entries) {
  std::string out;
  std::string member;
  size_t members = 0;
  for (const BaggageEntry& e : entries) {
    if (members == kMaxBaggageMembers) break;
    if (!IsToken(e.name)) continue;
    member.clear();
    member.append(e.name);
    member.push_back('=');
    PercentEncode(e.value, IsBaggageOctet, &member);
    if (!e.properties.empty()) {
      std::string_view props = e.properties;
      if (props.front() == ';') props.remove_prefix(1);
      if (std::optional<std::string> normalized = NormalizeProperties(props)) member.append(*normalized);
    }
    size_t cost = member.size() + (out.empty() ? 0 : 1);
    if (out.size() + cost > kMaxBaggageBytes) continue;  // a whole member or nothing
    if (!out.empty()) out.push_back(',');
    out.append(member);
    ++members;
  }
  return out;
}

}  // namespace rubato::sdk
