#include "net/url.h"

#include <strings.h>

#include <charconv>

namespace rubato::net {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

Status Bad(std::string problem) { return Status::InvalidArgument(std::move(problem)); }

}  // namespace

Result<HostPort> ParseHostPort(std::string_view authority, uint16_t default_port) {
  HostPort out;
  std::string_view port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad("unclosed '[' in the host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Bad("expected ':port' after ']'");
      port_text = rest.substr(1);
      has_port = true;
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      has_port = true;
    }
  }
  if (out.host.empty()) return Bad("no host");
  if (has_port && port_text.empty()) return Bad("empty port");
  out.port = default_port;
  if (has_port) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return Bad("port '" + std::string(port_text) + "' is not 1-65535");
    }
    out.port = static_cast<uint16_t>(port);
  }
  return out;
}

Result<HttpUrl> ParseHttpUrl(std::string_view url, UrlScheme scheme) {
  constexpr std::string_view kScheme = "http://";
  std::string_view rest = url;
  if (StartsWithNoCase(url, "https://")) return Bad("https is not supported; use http:// (or a TLS-terminating proxy)");
  if (StartsWithNoCase(url, kScheme)) {
    rest.remove_prefix(kScheme.size());
  } else if (scheme == UrlScheme::kRequired) {
    return Bad("it must start with http://");
  } else if (url.find("://") != std::string_view::npos) {
    return Bad("only http:// URLs are supported");
  }
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) return Bad("user info is not supported");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return Bad("it contains a space or control character");
  }
  Result<HostPort> host_port = ParseHostPort(authority, 80);
  if (!host_port.ok()) return host_port.status();
  HttpUrl out{std::move(host_port).value(), {}};
  std::string_view target = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  target = target.substr(0, target.find('#'));
  if (target.empty() || target.front() != '/') out.target = "/";
  out.target += target;
  return out;
}

}  // namespace rubato::net
