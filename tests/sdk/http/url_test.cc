// The client's URL errors (the parsing itself is net/url.h's, tested in
// tests/net/url_test.cc), and the semconv method/name rules.
#include "sdk/http/url.h"

#include <gtest/gtest.h>

#include "sdk/http/semconv.h"

namespace rubato::sdk::http {
namespace {

TEST(UrlTest, ParsesThroughNet) {
  Result<HttpUrl> u = ParseHttpUrl("http://127.0.0.1:8002/stock/book?x=1#f");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->authority.host, "127.0.0.1");
  EXPECT_EQ(u->authority.port, 8002);
  EXPECT_EQ(u->target, "/stock/book?x=1");
  EXPECT_EQ(ParseHostPort("[::1]", 80)->port, 80);
}

TEST(UrlTest, BadUrlsNameTheUrlAndTheProblem) {
  Result<HttpUrl> scheme = ParseHttpUrl("ftp://h/x");
  ASSERT_FALSE(scheme.ok());
  EXPECT_EQ(scheme.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(scheme.status().message(), "bad URL \"ftp://h/x\": it must start with http://");
  EXPECT_EQ(ParseHttpUrl("http://h:0/").status().message(), "bad URL \"http://h:0/\": port '0' is not 1-65535");
  EXPECT_EQ(ParseHttpUrl("http://h/a\r\nX: y").status().message(),
            "bad URL \"http://h/a\r\nX: y\": it contains a space or control character");
  // Unlike `rubato trace --server`, the client wants the scheme.
  EXPECT_EQ(ParseHttpUrl("h:80/x").status().message(), "bad URL \"h:80/x\": it must start with http://");
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
