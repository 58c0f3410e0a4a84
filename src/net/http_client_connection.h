// One persistent (keep-alive) HTTP/1.1 client connection that POSTs to one
// target, for senders of many requests to the same place: the SDK's OTLP/HTTP
// exporter and `rubato load`'s HTTP sender (one per sender thread). Unlike
// net::HttpCall (a connection per call) it keeps the socket open between
// requests and reconnects by itself when the server has closed it. Bodies go
// out from the caller's bytes without a copy; every step honours a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "status/status.h"

namespace rubato::net {

struct HttpClientAnswer {
  unsigned status = 0;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, or ""
  std::string body;
};

class HttpClientConnection {
 public:
  using Clock = std::chrono::steady_clock;

  // `target` is the request path (and query); `headers` go on every request.
  HttpClientConnection(std::string host, uint16_t port, std::string target,
                       std::vector<std::pair<std::string, std::string>> headers);
  ~HttpClientConnection();
  HttpClientConnection(const HttpClientConnection&) = delete;
  HttpClientConnection& operator=(const HttpClientConnection&) = delete;

  // POSTs `body` and reads the answer, all before `deadline`. A connection
  // that the server closed while idle is replaced and the request sent again
  // at once (it cannot have been processed). Any other transport failure
  // (refused, reset, timeout, bad HTTP) closes the connection and is
  // Unavailable naming the endpoint; the next Post opens a fresh one.
  Result<HttpClientAnswer> Post(std::string_view body, Clock::time_point deadline);

  // Opens the connection now if it is not open (Post does it when needed):
  // for callers that want set-up failures before they start sending.
  // Unavailable names the endpoint.
  Status Connect(Clock::time_point deadline);
  void Close();
  bool connected() const;
  // TCP connections opened so far (a keep-alive connection counts once).
  uint64_t connections_opened() const;
  // "http://host:port/target", for messages.
  const std::string& url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubato::net
