// One persistent (keep-alive) HTTP/1.1 connection for the load generator's
// POSTs. net::HttpCall opens a connection per call, which would make the
// load generator measure TCP set-up; this keeps one open per sender thread.
// Bodies are sent from the caller's bytes without a copy.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "load/options.h"
#include "status/status.h"

namespace rubato::load {

struct HttpAnswer {
  unsigned status = 0;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, or ""
  std::string body;
};

class HttpConnection {
 public:
  // `headers` go on every request (Content-Type, Content-Encoding, tenant...).
  HttpConnection(HttpTarget target, std::vector<std::pair<std::string, std::string>> headers,
                 std::chrono::milliseconds timeout);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Opens the connection if it is not open, within `timeout` (0: the request
  // timeout). Unavailable names the endpoint.
  Status Connect(std::chrono::milliseconds timeout = std::chrono::milliseconds(0));
  bool connected() const;
  void Close();

  // POSTs `body` and reads the answer. Any transport failure (reset, timeout,
  // bad HTTP) closes the connection and is Unavailable; the next Post or
  // Connect opens a fresh one. A response without keep-alive also closes it.
  Result<HttpAnswer> Post(std::string_view body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rubato::load
