// Lets many appenders through at once, and lets a block cut briefly stop new
// ones and wait for those inside, so that "every WAL record below the sealed
// sequence number is already in the head" holds when the cut looks.
// Unlike a reader-preferring rwlock, a waiting cut is never starved.
#pragma once

#include <condition_variable>
#include <mutex>

namespace rubato::store {

class AppendGate {
 public:
  void Enter() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !closing_; });
    ++inside_;
  }
  void Exit() {
    std::lock_guard lock(mu_);
    if (--inside_ == 0 && closing_) cv_.notify_all();
  }
  // Waits for other closers, stops new entries, waits for those inside to leave.
  void Close() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !closing_; });
    closing_ = true;
    cv_.wait(lock, [&] { return inside_ == 0; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    closing_ = false;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int inside_ = 0;
  bool closing_ = false;
};

}  // namespace rubato::store
