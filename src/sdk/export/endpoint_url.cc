#include "sdk/export/endpoint_url.h"

#include <cctype>

namespace rubato::sdk {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ValidHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '%' || c == '~';
}

// Splits "host[:port]" into *url; errors name the problem.
Status ParseAuthority(std::string_view authority, EndpointUrl* url) {
  if (authority.find('@') != std::string_view::npos)
    return Status::InvalidArgument("user information (\"user@\") is not supported in an endpoint URL");
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("an IPv6 address lacks its closing ']'");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return Status::InvalidArgument("unexpected text after ']'");
    if (!rest.empty()) port = rest.substr(1);
    if (host.empty() || host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos)
      return Status::InvalidArgument("\"" + std::string(host) + "\" is not an IPv6 address");
  } else {
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    for (char c : host)
      if (!ValidHostChar(c)) return Status::InvalidArgument("the host \"" + std::string(host) + "\" is not valid");
  }
  if (host.empty()) return Status::InvalidArgument("the URL has no host");
  url->host.assign(host);
  if (port.empty()) {
    if (authority.back() == ':') return Status::InvalidArgument("the port after ':' is empty");
    url->port = url->scheme == "https" ? 443 : 80;
    return Status::Ok();
  }
  uint32_t n = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || (n = n * 10 + static_cast<uint32_t>(c - '0')) > 65535)
      return Status::InvalidArgument("the port \"" + std::string(port) + "\" is not a number from 1 to 65535");
  }
  if (n == 0) return Status::InvalidArgument("the port \"" + std::string(port) + "\" is not a number from 1 to 65535");
  url->port = static_cast<uint16_t>(n);
  url->explicit_port = true;
  return Status::Ok();
}

}  // namespace

bool HasHttpScheme(std::string_view s) {
  std::string head = Lower(s.substr(0, 8));
  return head.starts_with("http://") || head.starts_with("https://");
}

std::string EndpointUrl::HostPort() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string EndpointUrl::ToString() const { return scheme + "://" + HostPort() + path; }

Result<EndpointUrl> ParseEndpointUrl(std::string_view text) {
  EndpointUrl url;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos)
    return Status::InvalidArgument("not a URL: it must start with http:// or https://");
  url.scheme = Lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https")
    return Status::InvalidArgument("the scheme \"" + std::string(text.substr(0, sep)) + "\" is not http or https");
  std::string_view rest = text.substr(sep + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  Status s = ParseAuthority(authority, &url);
  if (!s.ok()) return s;
  url.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  for (char c : url.path) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return Status::InvalidArgument("the path has a space or control character");
  }
  return url;
}

EndpointUrl TracesUrlUnder(EndpointUrl base) {
  if (base.path.empty() || base.path.back() != '/') base.path.push_back('/');
  base.path += "v1/traces";
  return base;
}

}  // namespace rubato::sdk
