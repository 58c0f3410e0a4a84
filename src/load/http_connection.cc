#include "load/http_connection.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <optional>

namespace rubato::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Operations are asynchronous on a private io_context that the calling thread
// runs to completion: that is what makes beast::tcp_stream's timeouts apply
// (they do not for blocking calls), at no cost in threads.
struct HttpConnection::Impl {
  HttpTarget target;
  std::string endpoint_name;
  std::chrono::milliseconds timeout;
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  http::request<http::span_body<const char>> request;

  Status Fail(const char* what, const beast::error_code& ec) {
    Close();
    return Status::Unavailable(std::string(what) + " " + endpoint_name + ": " + ec.message());
  }
  void Close() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->socket().close(ignored);
    stream.reset();
    buffer.clear();
  }
  // Runs the queued asynchronous operations to completion.
  void RunIo() {
    io.restart();
    io.run();
  }
};

HttpConnection::HttpConnection(HttpTarget target, std::vector<std::pair<std::string, std::string>> headers,
                               std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->endpoint_name = "http://" + target.host + ":" + std::to_string(target.port) + target.path;
  impl_->timeout = timeout;
  auto& req = impl_->request;
  req.method(http::verb::post);
  req.target(target.path);
  req.version(11);
  req.set(http::field::host, target.host + ":" + std::to_string(target.port));
  req.set(http::field::user_agent, "rubato-load");
  for (const auto& [k, v] : headers) req.set(k, v);
  impl_->target = std::move(target);
}

HttpConnection::~HttpConnection() { impl_->Close(); }

bool HttpConnection::connected() const { return impl_->stream.has_value(); }
void HttpConnection::Close() { impl_->Close(); }

Status HttpConnection::Connect(std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  if (m.stream) return Status::Ok();
  beast::error_code ec;
  tcp::resolver resolver(m.io);
  auto results = resolver.resolve(m.target.host, std::to_string(m.target.port), ec);
  if (ec) return Status::Unavailable("cannot resolve " + m.endpoint_name + ": " + ec.message());
  m.stream.emplace(m.io);
  m.stream->expires_after(timeout.count() > 0 ? timeout : m.timeout);
  m.stream->async_connect(results, [&](const beast::error_code& e, const tcp::endpoint&) { ec = e; });
  m.RunIo();
  if (ec) return m.Fail("cannot connect to", ec);
  // Requests are written whole and answered before the next: Nagle would only add delay.
  m.stream->socket().set_option(tcp::no_delay(true), ec);
  return Status::Ok();
}

Result<HttpAnswer> HttpConnection::Post(std::string_view body) {
  Status s = Connect();
  if (!s.ok()) return s;
  Impl& m = *impl_;
  m.request.body() = beast::span<const char>(body.data(), body.size());
  m.request.content_length(body.size());
  http::response_parser<http::string_body> parser;
  parser.body_limit(64u << 20);
  beast::error_code ec;
  const char* failed = nullptr;
  m.stream->expires_after(m.timeout);
  http::async_write(*m.stream, m.request, [&](const beast::error_code& e, size_t) {
    if (e) {
      ec = e, failed = "write to";
      return;
    }
    http::async_read(*m.stream, m.buffer, parser, [&](const beast::error_code& e2, size_t) {
      if (e2) ec = e2, failed = "read from";
    });
  });
  m.RunIo();
  if (ec) return m.Fail(failed, ec);
  auto& res = parser.get();
  HttpAnswer a;
  a.status = res.result_int();
  a.content_type = std::string(res[http::field::content_type]);
  a.retry_after = std::string(res[http::field::retry_after]);
  a.body = std::move(res.body());
  if (!res.keep_alive()) m.Close();
  return a;
}

}  // namespace rubato::load
