#include "net/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rubato::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

Result<HttpResponse> HttpCall(const std::string& host, uint16_t port, const std::string& method,
                              const std::string& target, const std::string& body, const HttpCallOptions& options) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return Status::Unavailable("cannot resolve " + host + ": " + ec.message());
  // beast::tcp_stream enforces its expiry on asynchronous operations only, so
  // the call runs as async steps on a private io_context under one deadline.
  stream.expires_after(options.timeout);
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, host);
  for (const auto& [k, v] : options.headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ULL << 30);
  std::string failed;  // which step failed, for the message
  stream.async_connect(results, [&](beast::error_code cec, const tcp::endpoint&) {
    if (cec) {
      ec = cec;
      failed = "cannot connect to " + host + ":" + std::to_string(port);
      return;
    }
    http::async_write(stream, req, [&](beast::error_code wec, size_t) {
      if (wec) {
        ec = wec;
        failed = "write to " + host + " failed";
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code rec, size_t) {
        if (rec) {
          ec = rec;
          failed = "read from " + host + " failed";
        }
      });
    });
  });
  io.run();
  if (ec) return Status::Unavailable(failed + ": " + ec.message());
  auto& res = parser.get();
  HttpResponse out;
  out.status = res.result_int();
  out.content_type = std::string(res[http::field::content_type]);
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  out.body = std::move(res.body());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

}  // namespace rubato::net
