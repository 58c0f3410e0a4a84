// The URLs of OTLP endpoints: "scheme://host[:port][/path]", with the parts
// the OTLP exporter specification says to honour (scheme, host, port, path).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "status/status.h"

namespace rubato::sdk {

struct EndpointUrl {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // without the brackets of an IPv6 literal
  uint16_t port = 0;   // the scheme's default (80, 443) when the URL names none
  std::string path;    // "/" when the URL has no path
  bool explicit_port = false;

  // "host:port" as gRPC targets and Host headers write it (IPv6 in brackets).
  std::string HostPort() const;
  std::string ToString() const;  // scheme://host:port/path
};

// Parses an http or https URL. Query and fragment are dropped (the
// specification lets exporters ignore them); user info is refused, as is
// anything that is not a URL of those schemes with a host. Errors say what is wrong.
Result<EndpointUrl> ParseEndpointUrl(std::string_view url);

// Whether `s` starts with "http://" or "https://", either case.
bool HasHttpScheme(std::string_view s);

// The traces URL under a base URL (OTEL_EXPORTER_OTLP_ENDPOINT): the base's
// path made to end with "/", then "v1/traces" appended.
EndpointUrl TracesUrlUnder(EndpointUrl base);

}  // namespace rubato::sdk
