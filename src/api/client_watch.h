// Watches, while a long request runs, whether its client is still there, and
// raises a flag the query polls (search's `cancel`): a search nobody waits
// for stops at its next row group instead of running to its deadline.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace rubato::api {

class ClientWatch {
 public:
  // `client_gone` (net::HttpRequest::client_gone) is polled every `every`;
  // when empty, nothing is watched and the flag stays down.
  explicit ClientWatch(std::function<bool()> client_gone,
                       std::chrono::milliseconds every = std::chrono::milliseconds(50));
  ~ClientWatch();  // stops watching (promptly: it does not wait out a period)
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  const std::atomic<bool>* flag() const { return &gone_; }

 private:
  std::atomic<bool> gone_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace rubato::api
