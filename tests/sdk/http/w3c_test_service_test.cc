// The w3c-test-service binary, run as a process: POST /test makes its
// callbacks in order, each with the incoming trace ID and a new parent-id.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <string>

#include "net/http_client.h"
#include "tests/sdk/http/span_capture.h"

namespace rubato::sdk::http {
namespace {

constexpr char kTraceId[] = "0af7651916cd43dd8448eb211c80319c";
constexpr char kParentId[] = "b7ad6b7169203331";

// Runs the service on a free port and reads the port from its first line.
class ServiceProcess {
 public:
  ServiceProcess() {
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execl(W3C_TEST_SERVICE, W3C_TEST_SERVICE, "0", static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[256];
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    first_line_ = line;
    size_t colon = line.rfind(':');
    if (colon != std::string::npos) port_ = static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
  }
  ~ServiceProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  uint16_t port() const { return port_; }
  const std::string& first_line() const { return first_line_; }

  net::HttpResponse PostTest(const std::string& body, const std::string& traceparent) {
    auto resp = net::HttpCall("127.0.0.1", port_, "POST", "/test", body,
                              {{{"traceparent", traceparent}, {"Content-Type", "application/json"}},
                               std::chrono::seconds(10)});
    EXPECT_TRUE(resp.ok()) << resp.status().message();
    return resp.ok() ? std::move(resp).value() : net::HttpResponse{};
  }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::string first_line_;
};

TEST(W3cTestServiceTest, CallsBackInOrderWithTheIncomingTraceId) {
  ServiceProcess service;
  ASSERT_NE(service.port(), 0) << "first line: " << service.first_line();
  EXPECT_EQ(service.first_line(),
            "w3c-test-service listening on http://127.0.0.1:" + std::to_string(service.port()) + "/test\n");
  testing::CapturingServer harness;
  const std::string base = "http://127.0.0.1:" + std::to_string(harness.port());
  const std::string body = "[{\"url\": \"" + base + "/callback/0\", \"arguments\": [{\"url\": \"x\", \"arguments\": []}]},"
                           " {\"url\": \"" + base + "/callback/1\", \"arguments\": {\"k\": 1.5, \"s\": \"\\u00e9\"}}]";
  net::HttpResponse resp = service.PostTest(body, std::string("00-") + kTraceId + "-" + kParentId + "-01");
  EXPECT_EQ(resp.status, 200u) << resp.body;

  auto requests = harness.WaitFor(2);
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/callback/0");
  EXPECT_EQ(requests[1].target, "/callback/1");
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, R"([{"url":"x","arguments":[]}])");
  EXPECT_EQ(requests[1].body, "{\"k\":1.5,\"s\":\"\xC3\xA9\"}");
  EXPECT_EQ(requests[0].Header("content-type"), "application/json");
  std::set<std::string> parent_ids;
  for (const net::HttpRequest& req : requests) {
    std::string traceparent(req.Header("traceparent"));
    ASSERT_EQ(traceparent.size(), 55u) << traceparent;
    EXPECT_EQ(traceparent.substr(0, 3), "00-");
    EXPECT_EQ(traceparent.substr(3, 32), kTraceId);
    EXPECT_EQ(traceparent.substr(53), "01");
    parent_ids.insert(traceparent.substr(36, 16));
  }
  EXPECT_EQ(parent_ids.size(), 2u);  // a new parent-id per call
  EXPECT_EQ(parent_ids.count(kParentId), 0u);
}

TEST(W3cTestServiceTest, BadBodiesAre400WithAMessage) {
  ServiceProcess service;
  ASSERT_NE(service.port(), 0) << "first line: " << service.first_line();
  const std::pair<std::string, std::string> cases[] = {
      {"[{", "malformed JSON at offset 2: Missing a name for object member.\n"},
      {"", "malformed JSON at offset 0: The document is empty.\n"},
      {"{\"url\": \"http://x\"}", "the body must be a JSON array of {\"url\", \"arguments\"}\n"},
      {"[1]", "element [0]: not an object\n"},
      {"[{\"arguments\": []}]", "element [0]: \"url\" must be a string\n"},
      {"[{\"url\": \"http://127.0.0.1:1/\"}]", "element [0]: \"arguments\" is missing\n"},
      {std::string(100, '[') + std::string(100, ']'), "the body nests deeper than 64 levels\n"},
  };
  for (const auto& [body, message] : cases) {
    SCOPED_TRACE(body);
    net::HttpResponse resp = service.PostTest(body, "");
    EXPECT_EQ(resp.status, 400u);
    EXPECT_EQ(resp.body, message);
  }
  // Not /test, or not POST.
  auto get = net::HttpCall("127.0.0.1", service.port(), "GET", "/test");
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->status, 405u);
}

TEST(W3cTestServiceTest, AFailedCallbackIsReportedAndTheRestStillRun) {
  ServiceProcess service;
  ASSERT_NE(service.port(), 0) << "first line: " << service.first_line();
  testing::CapturingServer harness;
  const std::string body = "[{\"url\": \"ftp://nowhere\", \"arguments\": []}, {\"url\": \"http://127.0.0.1:" +
                           std::to_string(harness.port()) + "/after\", \"arguments\": []}]";
  net::HttpResponse resp = service.PostTest(body, "");
  EXPECT_EQ(resp.status, 502u);
  EXPECT_EQ(resp.body, "bad URL \"ftp://nowhere\": it must start with http://\n");
  auto requests = harness.WaitFor(1);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/after");
}

}  // namespace
}  // namespace rubato::sdk::http
