#include "trace_view/server_url.h"

#include <charconv>

namespace rubato::trace_view {

Result<ServerUrl> ParseServerUrl(std::string_view url) {
  const std::string quoted = "server URL '" + std::string(url) + "'";
  std::string_view rest = url;
  if (rest.substr(0, 8) == "https://") {
    return Status::InvalidArgument(quoted + ": https is not supported; use http:// (or a TLS-terminating proxy)");
  }
  if (rest.substr(0, 7) == "http://") rest.remove_prefix(7);
  else if (rest.find("://") != std::string_view::npos) {
    return Status::InvalidArgument(quoted + ": only http:// URLs are supported");
  }
  ServerUrl out;
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    out.base_path = std::string(rest.substr(slash));
    while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {  // [::1]:3200
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument(quoted + ": unclosed '[' in the host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Status::InvalidArgument(quoted + ": expected ':port' after ']'");
      port_text = after.substr(1);
      if (port_text.empty()) return Status::InvalidArgument(quoted + ": empty port");
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return Status::InvalidArgument(quoted + ": empty port");
    }
  }
  if (out.host.empty()) return Status::InvalidArgument(quoted + ": no host");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
      return Status::InvalidArgument(quoted + ": port '" + std::string(port_text) + "' is not 1-65535");
    }
    out.port = static_cast<uint16_t>(port);
  }
  return out;
}

}  // namespace rubato::trace_view
