// The one parser of plain-HTTP URLs and host[:port] (src/net/url.h), behind
// the SDK's traced client and `rubato trace`/`rubato search --server`.
#include "net/url.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace rubato::net {
namespace {

TEST(Url, GoodUrls) {
  struct Case {
    std::string url, host;
    uint16_t port;
    std::string target;
  };
  const Case cases[] = {
      {"http://127.0.0.1:8002/stock/book", "127.0.0.1", 8002, "/stock/book"},
      {"http://localhost/x?a=1&b=2", "localhost", 80, "/x?a=1&b=2"},
      {"http://localhost:8001", "localhost", 8001, "/"},
      {"http://h:1?q", "h", 1, "/?q"},
      {"http://h:65535/p#frag", "h", 65535, "/p"},
      {"HTTP://Example.com/A", "Example.com", 80, "/A"},
      {"http://[::1]:9000/v1", "::1", 9000, "/v1"},
      {"http://[::1]/", "::1", 80, "/"},
      {"http://[::1]", "::1", 80, "/"},
      {"http://tempo:3200/prefix/api//", "tempo", 3200, "/prefix/api//"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    Result<HttpUrl> u = ParseHttpUrl(c.url);
    ASSERT_TRUE(u.ok()) << u.status().message();
    EXPECT_EQ(u->authority.host, c.host);
    EXPECT_EQ(u->authority.port, c.port);
    EXPECT_EQ(u->target, c.target);
  }
}

TEST(Url, BadUrlsSayWhatIsWrong) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "it must start with http://"},
      {"ftp://h/x", "it must start with http://"},
      {"h:80/x", "it must start with http://"},  // the scheme is required by default
      {"https://h/x", "https is not supported; use http:// (or a TLS-terminating proxy)"},
      {"HTTPS://h/x", "https is not supported; use http:// (or a TLS-terminating proxy)"},
      {"http://", "no host"},
      {"http:///path", "no host"},
      {"http://:80/", "no host"},
      {"http://h:/", "empty port"},
      {"http://h:0/", "port '0' is not 1-65535"},
      {"http://h:65536/", "port '65536' is not 1-65535"},
      {"http://h:8x/", "port '8x' is not 1-65535"},
      {"http://u:p@h/", "user info is not supported"},
      {"http://h/a b", "it contains a space or control character"},
      {"http://h/a\r\nX: y", "it contains a space or control character"},
      {"http://[::1/", "unclosed '[' in the host"},
      {"http://[::1]3200", "expected ':port' after ']'"},
  };
  for (const auto& [url, message] : cases) {
    SCOPED_TRACE(url);
    Result<HttpUrl> u = ParseHttpUrl(url);
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(u.status().message(), message);
  }
}

TEST(Url, SchemeOptional) {
  Result<HttpUrl> bare = ParseHttpUrl("127.0.0.1:3200/api", UrlScheme::kOptional);
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ(bare->authority.host, "127.0.0.1");
  EXPECT_EQ(bare->authority.port, 3200);
  EXPECT_EQ(bare->target, "/api");
  // Another scheme is still refused, not read as a host named "grpc".
  EXPECT_EQ(ParseHttpUrl("grpc://tempo:4317", UrlScheme::kOptional).status().message(),
            "only http:// URLs are supported");
  EXPECT_EQ(ParseHttpUrl("", UrlScheme::kOptional).status().message(), "no host");
}

TEST(Url, HostHeader) {
  Result<HostPort> a = ParseHostPort("shop.example:8443", 80);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "shop.example");
  EXPECT_EQ(a->port, 8443);
  Result<HostPort> b = ParseHostPort("shop.example", 80);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 80);
  Result<HostPort> c = ParseHostPort("[::1]:8443", 80);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 8443);
  EXPECT_EQ(ParseHostPort("a:b:c", 80).status().message(), "port 'c' is not 1-65535");
  EXPECT_EQ(ParseHostPort("[::1]x", 80).status().message(), "expected ':port' after ']'");
}

}  // namespace
}  // namespace rubato::net
