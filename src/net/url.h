// Parsing of plain-HTTP URLs and host[:port] authorities, the one parser
// behind the SDK's traced client (and its Host headers) and the --server URL
// of `rubato trace`/`rubato search`. There is no TLS in net/, so only http.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::net {

struct HostPort {
  std::string host;  // IPv6 literals without their brackets
  uint16_t port = 0;
};

// "host", "host:port", "[::1]:port". No port gives `default_port`. Errors
// say what is wrong ("no host", "empty port", "port '0' is not 1-65535",
// ...) without repeating the text: callers say where it came from.
Result<HostPort> ParseHostPort(std::string_view authority, uint16_t default_port);

struct HttpUrl {
  HostPort authority;
  std::string target;  // path and query, at least "/"; the fragment is dropped
};

enum class UrlScheme {
  kRequired,  // "http://" must be there
  kOptional,  // a bare "host:port[/path]" is read as http too
};

// "http://host[:port][/path][?query][#fragment]", port 80 by default. The
// scheme is matched in any case; https, other schemes ("it must start with
// http://", or with kOptional "only http:// URLs are supported"), user info,
// spaces and control characters are refused. Errors say what is wrong without repeating
// the URL: callers name it their way.
Result<HttpUrl> ParseHttpUrl(std::string_view url, UrlScheme scheme = UrlScheme::kRequired);

}  // namespace rubato::net
