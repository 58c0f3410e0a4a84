// A small HTTP/1.1 server on Boost.Beast: keep-alive, chunked and
// Content-Length bodies, a body-size limit, graceful stop. It knows nothing of
// tracing; the caller supplies one handler for every request.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status/status.h"

namespace rubato::net {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, as sent
  std::string_view path() const { return std::string_view(target).substr(0, target.find('?')); }
  std::string_view query() const {
    size_t q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
  std::vector<std::pair<std::string, std::string>> headers;
  // The first header with this (case-insensitive) name, or "".
  std::string_view Header(std::string_view name) const;
  std::string body;    // de-chunked, still content-encoded
  std::string remote_address;
  // True once the client has closed or reset its connection (a non-blocking
  // peek at the socket), so a handler running a long query can stop early.
  // Valid only while the handler runs; empty for requests not from a socket.
  std::function<bool()> client_gone;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using HttpHandler = std::function<void(HttpRequest&, HttpResponse&)>;

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 picks a free port; see HttpServer::port()
  size_t max_body_bytes = 64 << 20;  // over this: 413 before the body is read whole
  int threads = 2;
  std::chrono::seconds idle_timeout{60};
};

class HttpServer {
 public:
  // Binds and starts serving on background threads. A busy port is an error naming it.
  static Result<std::unique_ptr<HttpServer>> Start(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();

  uint16_t port() const;
  // Requests whose handler is running now.
  int in_flight() const;
  // Stops accepting, lets requests in flight finish (up to `grace`), then closes everything.
  void Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits "a=1&b=x%20y" into decoded pairs.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query);
std::string UrlDecode(std::string_view s);
// Percent-encodes everything but RFC 3986's unreserved characters, so the
// result is safe as a path segment or a query value.
std::string UrlEncode(std::string_view s);

}  // namespace rubato::net
