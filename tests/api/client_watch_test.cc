// ClientWatch raises its flag once the client is gone, and never otherwise.
#include "api/client_watch.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace rubato::api {
namespace {

TEST(ClientWatchTest, RaisesTheFlagWhenTheClientLeaves) {
  std::atomic<int> polls{0};
  ClientWatch watch([&] { return ++polls >= 3; }, std::chrono::milliseconds(1));
  for (int i = 0; i < 20000 && !watch.flag()->load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(watch.flag()->load());
  int after = polls.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(polls.load(), after);  // it stops polling once the client is gone
  EXPECT_EQ(after, 3);
}

TEST(ClientWatchTest, FlagStaysDownWhileTheClientIsThere) {
  std::atomic<int> polls{0};
  {
    ClientWatch watch([&] { ++polls; return false; }, std::chrono::milliseconds(1));
    while (polls.load() < 5) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_FALSE(watch.flag()->load());
  }
  int after = polls.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(polls.load(), after);  // destroyed: no more polls
}

TEST(ClientWatchTest, NothingToWatch) {
  ClientWatch watch(nullptr);
  EXPECT_FALSE(watch.flag()->load());
}

}  // namespace
}  // namespace rubato::api
