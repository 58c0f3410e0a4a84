// The URL and Host forms the instrumentation meets: the client's
// "http://host:port/path?query" and the server's Host header. The parsing is
// net/url.h's; this names it for the SDK and words the client's errors.
#pragma once

#include <string_view>

#include "net/url.h"
#include "status/status.h"

namespace rubato::sdk::http {

using net::HostPort;
using net::HttpUrl;
// "host", "host:port", "[::1]:port". No port gives `default_port`; a
// malformed one is an error naming the problem.
using net::ParseHostPort;

// Only http: there is no TLS in net/. Errors name the URL and what is wrong:
// `bad URL "<url>": <problem>`.
Result<HttpUrl> ParseHttpUrl(std::string_view url);

}  // namespace rubato::sdk::http
