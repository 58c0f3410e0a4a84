#include "net/http_client_connection.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/http/span_body.hpp>
#include <optional>

namespace rubato::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr size_t kMaxAnswerBytes = 4u << 20;  // OTLP answers are small; more is a broken server

// The peer closed the connection: what a keep-alive socket that the server
// dropped while idle reports on the next write or read.
bool ClosedByPeer(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
}

std::string HostHeader(const std::string& host, uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace

// Operations are asynchronous on a private io_context that the calling thread
// runs to completion: that is what makes beast::tcp_stream's deadlines apply
// (they do not for blocking calls), at no cost in threads.
struct HttpClientConnection::Impl {
  std::string host;
  uint16_t port = 0;
  std::string url;
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  http::request<http::span_body<const char>> request;
  uint64_t opened = 0;

  void RunIo() {
    io.restart();
    io.run();
  }
  void Close() {
    if (!stream) return;
    beast::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->socket().close(ignored);
    stream.reset();
    buffer.clear();
  }
  Status Connect(Clock::time_point deadline);
  // One write and read on the open connection. Sets *ec and *what on failure.
  void Exchange(http::response_parser<http::string_body>* parser, Clock::time_point deadline,
                beast::error_code* ec, const char** what);
};

Status HttpClientConnection::Impl::Connect(Clock::time_point deadline) {
  beast::error_code ec;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return Status::Unavailable("cannot resolve " + url + ": " + ec.message());
  stream.emplace(io);
  stream->expires_at(deadline);
  stream->async_connect(results, [&](const beast::error_code& e, const tcp::endpoint&) { ec = e; });
  RunIo();
  if (ec) {
    Close();
    return Status::Unavailable("cannot connect to " + url + ": " + ec.message());
  }
  ++opened;
  // Requests are written whole and answered before the next: Nagle would only add delay.
  stream->socket().set_option(tcp::no_delay(true), ec);
  return Status::Ok();
}

void HttpClientConnection::Impl::Exchange(http::response_parser<http::string_body>* parser,
                                          Clock::time_point deadline, beast::error_code* ec, const char** what) {
  stream->expires_at(deadline);
  http::async_write(*stream, request, [&](const beast::error_code& e, size_t) {
    if (e) {
      *ec = e, *what = "write to";
      return;
    }
    http::async_read(*stream, buffer, *parser, [&](const beast::error_code& e2, size_t) {
      if (e2) *ec = e2, *what = "read from";
    });
  });
  RunIo();
}

HttpClientConnection::HttpClientConnection(std::string host, uint16_t port, std::string target,
                                           std::vector<std::pair<std::string, std::string>> headers)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.url = "http://" + HostHeader(host, port) + target;
  auto& req = m.request;
  req.method(http::verb::post);
  req.target(target);
  req.version(11);
  req.set(http::field::host, HostHeader(host, port));
  for (const auto& [k, v] : headers) req.set(k, v);
  m.host = std::move(host);
  m.port = port;
}

HttpClientConnection::~HttpClientConnection() { impl_->Close(); }

Status HttpClientConnection::Connect(Clock::time_point deadline) {
  return impl_->stream ? Status::Ok() : impl_->Connect(deadline);
}
void HttpClientConnection::Close() { impl_->Close(); }
bool HttpClientConnection::connected() const { return impl_->stream.has_value(); }
uint64_t HttpClientConnection::connections_opened() const { return impl_->opened; }
const std::string& HttpClientConnection::url() const { return impl_->url; }

Result<HttpClientAnswer> HttpClientConnection::Post(std::string_view body, Clock::time_point deadline) {
  Impl& m = *impl_;
  m.request.body() = beast::span<const char>(body.data(), body.size());
  m.request.content_length(body.size());
  for (int round = 0; round < 2; ++round) {
    bool reused = m.stream.has_value();
    if (!reused) {
      Status s = m.Connect(deadline);
      if (!s.ok()) return s;
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxAnswerBytes);
    beast::error_code ec;
    const char* what = nullptr;
    m.Exchange(&parser, deadline, &ec, &what);
    if (ec) {
      m.Close();
      // A reused connection that the server had closed: nothing was processed.
      if (reused && !parser.got_some() && ClosedByPeer(ec) && Clock::now() < deadline) continue;
      std::string reason = ec == beast::error::timeout ? "timed out" : ec.message();
      return Status::Unavailable(std::string(what) + " " + m.url + ": " + reason);
    }
    auto& res = parser.get();
    HttpClientAnswer a;
    a.status = res.result_int();
    a.content_type = std::string(res[http::field::content_type]);
    a.retry_after = std::string(res[http::field::retry_after]);
    a.body = std::move(res.body());
    if (!res.keep_alive()) m.Close();
    return a;
  }
  return Status::Unavailable("write to " + m.url + ": connection closed by the server");
}

}  // namespace rubato::net
