// HttpRequest::client_gone: a handler can tell, while it runs, that its
// client closed the connection (what lets a long search stop early).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "net/http_server.h"

namespace rubato::net {
namespace {

// A raw client: connects, sends one GET, and returns the socket.
int SendGet(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  std::string req = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
  if (::send(fd, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size())) return -1;
  return fd;
}

// Polls `client_gone` for up to 20 s; says whether it turned true, and
// whether it was false at first (the client was there when the handler started).
struct Watch {
  std::atomic<int> first{-1};
  std::atomic<bool> saw_gone{false};
  std::atomic<bool> finished{false};
};

TEST(ClientGoneTest, TurnsTrueWhenTheClientCloses) {
  Watch w;
  std::atomic<bool> started{false};
  auto server = HttpServer::Start({.port = 0, .threads = 1}, [&](HttpRequest& req, HttpResponse& resp) {
    ASSERT_TRUE(req.client_gone);
    w.first = req.client_gone() ? 1 : 0;
    started = true;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (req.client_gone()) {
        w.saw_gone = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    resp.body = "late";
    w.finished = true;
  });
  ASSERT_TRUE(server.ok()) << server.status().message();
  int fd = SendGet((*server)->port());
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 4000 && !started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(started.load());
  ::close(fd);
  for (int i = 0; i < 4000 && !w.finished; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(w.first.load(), 0);
  EXPECT_TRUE(w.saw_gone.load());
}

TEST(ClientGoneTest, StaysFalseWhileTheClientWaits) {
  std::atomic<int> checks_true{0};
  auto server = HttpServer::Start({.port = 0, .threads = 1}, [&](HttpRequest& req, HttpResponse& resp) {
    for (int i = 0; i < 20; ++i) {
      if (req.client_gone()) ++checks_true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    resp.body = "done";
  });
  ASSERT_TRUE(server.ok());
  int fd = SendGet((*server)->port());
  ASSERT_GE(fd, 0);
  std::string got;
  char buf[512];
  while (got.find("done") == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, n);
  }
  ::close(fd);
  EXPECT_NE(got.find("200 OK"), std::string::npos) << got;
  EXPECT_EQ(checks_true.load(), 0);
}

}  // namespace
}  // namespace rubato::net
