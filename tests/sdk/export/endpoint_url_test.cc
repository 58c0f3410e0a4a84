#include "sdk/export/endpoint_url.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

TEST(EndpointUrl, PartsAndDefaults) {
  auto u = ParseEndpointUrl("http://collector:4318/v1/traces");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->scheme, "http");
  EXPECT_EQ(u->host, "collector");
  EXPECT_EQ(u->port, 4318);
  EXPECT_EQ(u->path, "/v1/traces");
  EXPECT_EQ(ParseEndpointUrl("http://collector")->port, 80);
  EXPECT_EQ(ParseEndpointUrl("HTTPS://collector")->port, 443);
  EXPECT_EQ(ParseEndpointUrl("HTTPS://collector")->scheme, "https");
  EXPECT_EQ(ParseEndpointUrl("http://collector")->path, "/");
  EXPECT_EQ(ParseEndpointUrl("http://c:1/p?q=1#f")->path, "/p");
}

TEST(EndpointUrl, Ipv6Literal) {
  auto u = ParseEndpointUrl("http://[::1]:4318/x");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->HostPort(), "[::1]:4318");
  EXPECT_EQ(u->ToString(), "http://[::1]:4318/x");
}

TEST(EndpointUrl, TracesUrlUnderMindsTheSlash) {
  EXPECT_EQ(TracesUrlUnder(*ParseEndpointUrl("http://c:4318")).ToString(), "http://c:4318/v1/traces");
  EXPECT_EQ(TracesUrlUnder(*ParseEndpointUrl("http://c:4318/")).ToString(), "http://c:4318/v1/traces");
  EXPECT_EQ(TracesUrlUnder(*ParseEndpointUrl("http://c:4318/mycollector")).ToString(),
            "http://c:4318/mycollector/v1/traces");
  EXPECT_EQ(TracesUrlUnder(*ParseEndpointUrl("http://c:4318/mycollector/")).ToString(),
            "http://c:4318/mycollector/v1/traces");
}

TEST(EndpointUrl, BadUrlsSayWhy) {
  struct Case {
    const char* url;
    const char* reason;
  } cases[] = {
      {"collector:4318", "must start with http:// or https://"},
      {"ftp://collector", "scheme \"ftp\" is not http or https"},
      {"http://", "no host"},
      {"http://:4318", "no host"},
      {"http://c:0", "port \"0\""},
      {"http://c:65536", "port \"65536\""},
      {"http://c:43a8", "port \"43a8\""},
      {"http://c:", "port after ':' is empty"},
      {"http://user@c:1", "user information"},
      {"http://[::1:1", "closing ']'"},
      {"http://c d:1", "host \"c d\""},
  };
  for (const Case& c : cases) {
    auto u = ParseEndpointUrl(c.url);
    ASSERT_FALSE(u.ok()) << c.url;
    EXPECT_NE(u.status().message().find(c.reason), std::string::npos) << c.url << " → " << u.status().message();
  }
}

TEST(EndpointUrl, HasHttpScheme) {
  EXPECT_TRUE(HasHttpScheme("http://x"));
  EXPECT_TRUE(HasHttpScheme("HTTPS://x"));
  EXPECT_FALSE(HasHttpScheme("localhost:4317"));
  EXPECT_FALSE(HasHttpScheme("dns:///x:1"));
  EXPECT_FALSE(HasHttpScheme("http:/x"));
}

}  // namespace
}  // namespace rubato::sdk
