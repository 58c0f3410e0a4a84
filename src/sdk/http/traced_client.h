// HTTP client calls wrapped in a CLIENT span named "{method}", with the
// propagation headers injected and the semconv client attributes (url.full,
// server.address, server.port, http.response.status_code, error.type).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_server.h"
#include "status/status.h"

namespace rubato::sdk::http {

struct ClientCallOptions {
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{5000};
};

// `url` is "http://host:port/path?query". Status error on 4xx/5xx; on a
// timeout or connection failure the span gets error.type and the call returns
// Unavailable.
Result<net::HttpResponse> TracedCall(std::string_view method, std::string_view url,
                                     std::string body = {}, const ClientCallOptions& options = {});

}  // namespace rubato::sdk::http
