#include "trace_view/server_url.h"

#include <gtest/gtest.h>

namespace rubato::trace_view {
namespace {

TEST(ServerUrl, Accepted) {
  struct Case {
    const char* url;
    const char* host;
    uint16_t port;
    const char* base;
  } cases[] = {
      {"http://127.0.0.1:3200", "127.0.0.1", 3200, ""},
      {"http://localhost:3200/", "localhost", 3200, ""},
      {"127.0.0.1:3200", "127.0.0.1", 3200, ""},
      {"http://tempo", "tempo", 80, ""},
      {"http://tempo:3200/prefix/api//", "tempo", 3200, "/prefix/api"},
      {"http://[::1]:3200", "::1", 3200, ""},
      {"http://[::1]", "::1", 80, ""},
  };
  for (const auto& c : cases) {
    auto u = ParseServerUrl(c.url);
    ASSERT_TRUE(u.ok()) << c.url << ": " << u.status().message();
    EXPECT_EQ(u->host, c.host) << c.url;
    EXPECT_EQ(u->port, c.port) << c.url;
    EXPECT_EQ(u->base_path, c.base) << c.url;
  }
}

TEST(ServerUrl, RefusedWithTheReason) {
  struct Case {
    const char* url;
    const char* message;
  } cases[] = {
      {"https://tempo:3200", "server URL 'https://tempo:3200': https is not supported; use http:// (or a "
                             "TLS-terminating proxy)"},
      {"grpc://tempo:4317", "server URL 'grpc://tempo:4317': only http:// URLs are supported"},
      {"http://:3200", "server URL 'http://:3200': no host"},
      {"http://tempo:", "server URL 'http://tempo:': empty port"},
      {"http://tempo:0", "server URL 'http://tempo:0': port '0' is not 1-65535"},
      {"http://tempo:65536", "server URL 'http://tempo:65536': port '65536' is not 1-65535"},
      {"http://tempo:32x", "server URL 'http://tempo:32x': port '32x' is not 1-65535"},
      {"http://[::1", "server URL 'http://[::1': unclosed '[' in the host"},
      {"http://[::1]3200", "server URL 'http://[::1]3200': expected ':port' after ']'"},
      {"", "server URL '': no host"},
  };
  for (const auto& c : cases) {
    auto u = ParseServerUrl(c.url);
    ASSERT_FALSE(u.ok()) << c.url;
    EXPECT_EQ(u.status().message(), c.message);
  }
}

}  // namespace
}  // namespace rubato::trace_view
