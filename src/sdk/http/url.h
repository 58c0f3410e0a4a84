// Parsing of the few URL and Host forms the instrumentation meets: the
// client's "http://host:port/path?query" and the server's Host header.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::sdk::http {

struct HostPort {
  std::string host;  // IPv6 literals without their brackets
  uint16_t port = 0;
};

// "host", "host:port", "[::1]:port". No port gives `default_port`; a
// malformed one is an error naming it.
Result<HostPort> ParseHostPort(std::string_view authority, uint16_t default_port);

struct HttpUrl {
  HostPort authority;
  std::string target;  // path and query, at least "/"; the fragment is dropped
};

// Only http: there is no TLS in net/. Errors name the URL and what is wrong.
Result<HttpUrl> ParseHttpUrl(std::string_view url);

}  // namespace rubato::sdk::http
