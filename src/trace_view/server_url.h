// The --server URL of `rubato trace` and `rubato search`: plain HTTP to a
// Tempo-compatible API ("http://127.0.0.1:3200", an optional path prefix).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::trace_view {

struct ServerUrl {
  std::string host;
  uint16_t port = 80;
  std::string base_path;  // "" or "/prefix" (no trailing slash; a query is kept, a fragment dropped)
};

// "http://host[:port][/prefix]" or "host:port" (net::ParseHttpUrl). Errors
// name the URL and what is wrong (https, no host, a bad port).
Result<ServerUrl> ParseServerUrl(std::string_view url);

}  // namespace rubato::trace_view
