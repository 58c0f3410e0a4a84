// The --server URL: net::ParseHttpUrl without a required scheme (its cases
// are in tests/net/url_test.cc), the base path, and errors that name the URL.
#include "trace_view/server_url.h"

#include <gtest/gtest.h>

#include <string>

namespace rubato::trace_view {
namespace {

// "host port base_path", or the error message.
std::string Read(const char* url) {
  auto u = ParseServerUrl(url);
  if (!u.ok()) return u.status().message();
  return u->host + " " + std::to_string(u->port) + " " + u->base_path;
}

TEST(ServerUrl, Accepted) {
  EXPECT_EQ(Read("http://127.0.0.1:3200"), "127.0.0.1 3200 ");
  EXPECT_EQ(Read("http://localhost:3200/"), "localhost 3200 ");
  EXPECT_EQ(Read("127.0.0.1:3200"), "127.0.0.1 3200 ");
  EXPECT_EQ(Read("http://tempo"), "tempo 80 ");
  EXPECT_EQ(Read("http://tempo:3200/prefix/api//"), "tempo 3200 /prefix/api");
  EXPECT_EQ(Read("http://[::1]:3200"), "::1 3200 ");
  EXPECT_EQ(Read("http://[::1]"), "::1 80 ");
  EXPECT_EQ(Read("HTTP://tempo/q?x=1#frag"), "tempo 80 /q?x=1");
}

TEST(ServerUrl, RefusedWithTheReason) {
  EXPECT_EQ(Read("https://tempo:3200"),
            "server URL 'https://tempo:3200': https is not supported; use http:// (or a TLS-terminating proxy)");
  EXPECT_EQ(Read("grpc://tempo:4317"), "server URL 'grpc://tempo:4317': only http:// URLs are supported");
  EXPECT_EQ(Read("http://:3200"), "server URL 'http://:3200': no host");
  EXPECT_EQ(Read("http://tempo:"), "server URL 'http://tempo:': empty port");
  EXPECT_EQ(Read("http://tempo:0"), "server URL 'http://tempo:0': port '0' is not 1-65535");
  EXPECT_EQ(Read("http://tempo:65536"), "server URL 'http://tempo:65536': port '65536' is not 1-65535");
  EXPECT_EQ(Read("http://tempo:32x"), "server URL 'http://tempo:32x': port '32x' is not 1-65535");
  EXPECT_EQ(Read("http://[::1"), "server URL 'http://[::1': unclosed '[' in the host");
  EXPECT_EQ(Read("http://[::1]3200"), "server URL 'http://[::1]3200': expected ':port' after ']'");
  EXPECT_EQ(Read(""), "server URL '': no host");
  EXPECT_EQ(Read("http://u@tempo"), "server URL 'http://u@tempo': user info is not supported");
  EXPECT_EQ(Read("http://tempo/a b"), "server URL 'http://tempo/a b': it contains a space or control character");
}

}  // namespace
}  // namespace rubato::trace_view
