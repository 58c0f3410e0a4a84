// URL and Host parsing for the instrumentation, and the semconv method/name rules.
#include "sdk/http/url.h"

#include <gtest/gtest.h>

#include "sdk/http/semconv.h"

namespace rubato::sdk::http {
namespace {

TEST(UrlTest, GoodUrls) {
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

TEST(UrlTest, BadUrlsNameTheUrlAndTheProblem) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "bad URL \"\": it must start with http://"},
      {"ftp://h/x", "bad URL \"ftp://h/x\": it must start with http://"},
      {"https://h/x", "bad URL \"https://h/x\": https is not supported (plain http only)"},
      {"http://", "bad URL \"http://\": no host in \"\""},
      {"http:///path", "bad URL \"http:///path\": no host in \"\""},
      {"http://:80/", "bad URL \"http://:80/\": no host in \":80\""},
      {"http://h:/", "bad URL \"http://h:/\": empty port in \"h:\""},
      {"http://h:0/", "bad URL \"http://h:0/\": bad port \"0\" in \"h:0\""},
      {"http://h:65536/", "bad URL \"http://h:65536/\": bad port \"65536\" in \"h:65536\""},
      {"http://h:8x/", "bad URL \"http://h:8x/\": bad port \"8x\" in \"h:8x\""},
      {"http://u:p@h/", "bad URL \"http://u:p@h/\": user info is not supported"},
      {"http://h/a b", "bad URL \"http://h/a b\": it contains a space or control character"},
      {"http://h/a\r\nX: y", "bad URL \"http://h/a\r\nX: y\": it contains a space or control character"},
      {"http://[::1/", "bad URL \"http://[::1/\": unclosed '[' in \"[::1\""},
  };
  for (const auto& [url, message] : cases) {
    SCOPED_TRACE(url);
    Result<HttpUrl> u = ParseHttpUrl(url);
    ASSERT_FALSE(u.ok());
    EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(u.status().message(), message);
  }
}

TEST(UrlTest, HostHeader) {
  Result<HostPort> a = ParseHostPort("shop.example:8443", 80);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "shop.example");
  EXPECT_EQ(a->port, 8443);
  Result<HostPort> b = ParseHostPort("shop.example", 80);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 80);
  EXPECT_FALSE(ParseHostPort("a:b:c", 80).ok());
}

TEST(SemconvTest, MethodsAndSpanNames) {
  EXPECT_EQ(semconv::NormalizedMethod("GET"), "GET");
  EXPECT_EQ(semconv::NormalizedMethod("PATCH"), "PATCH");
  EXPECT_EQ(semconv::NormalizedMethod("get"), "_OTHER");
  EXPECT_EQ(semconv::NormalizedMethod("PURGE"), "_OTHER");
  EXPECT_EQ(semconv::SpanName("GET", "/stock/{item}"), "GET /stock/{item}");
  EXPECT_EQ(semconv::SpanName("POST", ""), "POST");
  EXPECT_EQ(semconv::SpanName("PURGE", "/x"), "HTTP /x");
  EXPECT_EQ(semconv::SpanName("PURGE", ""), "HTTP");
}

}  // namespace
}  // namespace rubato::sdk::http
