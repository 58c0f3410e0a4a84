#include "sdk/http/url.h"

#include <strings.h>

#include <charconv>

namespace rubato::sdk::http {
namespace {

Status BadUrl(std::string_view url, std::string_view problem) {
  return Status::InvalidArgument("bad URL \"" + std::string(url) + "\": " + std::string(problem));
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view authority, uint16_t default_port) {
  HostPort out;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("unclosed '[' in \"" + std::string(authority) + "\"");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Status::InvalidArgument("junk after ']' in \"" + std::string(authority) + "\"");
      port_text = rest.substr(1);
      if (port_text.empty()) return Status::InvalidArgument("empty port in \"" + std::string(authority) + "\"");
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return Status::InvalidArgument("empty port in \"" + std::string(authority) + "\"");
    }
  }
  if (out.host.empty()) return Status::InvalidArgument("no host in \"" + std::string(authority) + "\"");
  out.port = default_port;
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return Status::InvalidArgument("bad port \"" + std::string(port_text) + "\" in \"" + std::string(authority) + "\"");
    }
    out.port = static_cast<uint16_t>(port);
  }
  return out;
}

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (StartsWithNoCase(url, "https://")) return BadUrl(url, "https is not supported (plain http only)");
  if (!StartsWithNoCase(url, kScheme)) return BadUrl(url, "it must start with http://");
  std::string_view rest = url.substr(kScheme.size());
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) return BadUrl(url, "user info is not supported");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return BadUrl(url, "it contains a space or control character");
  }
  Result<HostPort> host_port = ParseHostPort(authority, 80);
  if (!host_port.ok()) return BadUrl(url, host_port.status().message());
  HttpUrl out{std::move(host_port).value(), {}};
  std::string_view target = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  target = target.substr(0, target.find('#'));
  if (target.empty() || target.front() != '/') out.target = "/";
  out.target += target;
  return out;
}

}  // namespace rubato::sdk::http
