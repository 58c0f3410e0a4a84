#include "api/client_watch.h"

namespace rubato::api {

ClientWatch::ClientWatch(std::function<bool()> client_gone, std::chrono::milliseconds every) {
  if (!client_gone) return;
  thread_ = std::thread([this, client_gone = std::move(client_gone), every] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, every, [this] { return done_; })) {
      if (client_gone()) {
        gone_.store(true);
        return;
      }
    }
  });
}

ClientWatch::~ClientWatch() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

}  // namespace rubato::api
