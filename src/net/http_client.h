// A blocking HTTP/1.1 client for tests, tools (`rubato trace`) and, until a
// pooled one exists, exporters. One connection per call.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "net/http_server.h"
#include "status/status.h"

namespace rubato::net {

struct HttpCallOptions {
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{5000};
};

// Sends one request; the response's headers land in HttpResponse::headers.
// Connection failures and timeouts are Unavailable.
Result<HttpResponse> HttpCall(const std::string& host, uint16_t port, const std::string& method,
                              const std::string& target, const std::string& body = {},
                              const HttpCallOptions& options = {});

}  // namespace rubato::net
