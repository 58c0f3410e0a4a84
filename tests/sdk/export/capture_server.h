// A real OTLP/HTTP endpoint for the exporter tests: records every request and
// answers what the test says, request by request.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http_server.h"

namespace rubato::sdk::testing {

class CaptureServer {
 public:
  // answer(n, response) fills the answer to the n-th request (1-based);
  // by default every request gets an empty 200.
  using Answer = std::function<void(int n, net::HttpResponse& res)>;

  explicit CaptureServer(Answer answer = {}, uint16_t port = 0) : answer_(std::move(answer)) {
    net::HttpServerOptions o;
    o.port = port;
    auto s = net::HttpServer::Start(o, [this](net::HttpRequest& req, net::HttpResponse& res) {
      int n;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(req);
        n = static_cast<int>(requests_.size());
      }
      res.status = 200;
      res.content_type = "application/x-protobuf";
      if (answer_) answer_(n, res);
    });
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (s.ok()) server_ = std::move(s).value();
  }
  ~CaptureServer() { Stop(); }

  void Stop() {
    if (server_) server_->Stop(std::chrono::milliseconds(1000));
  }
  uint16_t port() const { return server_ ? server_->port() : 0; }
  std::string url(const std::string& path = "/v1/traces") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }
  int count() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(requests_.size());
  }
  net::HttpRequest request(int i) {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.at(static_cast<size_t>(i));
  }
  // Polls (generous deadline, no timing assertion) until n requests arrived.
  bool WaitFor(int n) {
    for (int i = 0; i < 1000 && count() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return count() >= n;
  }

 private:
  Answer answer_;
  std::mutex mu_;
  std::vector<net::HttpRequest> requests_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace rubato::sdk::testing
