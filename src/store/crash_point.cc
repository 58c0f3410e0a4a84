#include "store/crash_point.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rubato::store {
namespace {

struct Armed {
  std::string name;
  long remaining = 0;  // hits left before the crash
};

const Armed* ArmedPoint() {
  static const Armed* armed = [] () -> const Armed* {
    const char* env = std::getenv("RUBATO_CRASH_POINT");
    if (env == nullptr || *env == '\0') return nullptr;
    auto* a = new Armed;  // lives for the process
    std::string spec = env;
    size_t colon = spec.find(':');
    a->name = spec.substr(0, colon);
    a->remaining = colon == std::string::npos ? 1 : std::strtol(spec.c_str() + colon + 1, nullptr, 10);
    return a;
  }();
  return armed;
}

}  // namespace

void CrashPoint(const char* name) {
  const Armed* armed = ArmedPoint();
  if (armed == nullptr || armed->name != name) return;
  static std::atomic<long> hits{0};
  if (hits.fetch_add(1) + 1 >= armed->remaining) ::raise(SIGKILL);
}

}  // namespace rubato::store
