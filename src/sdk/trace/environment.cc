#include "sdk/trace/environment.h"

#include <cstdlib>
#include <string>

namespace rubato::sdk {

Environment Environment::Process() { return Environment(); }

Environment Environment::FromMap(std::map<std::string, std::string, std::less<>> values) {
  Environment env;
  env.process_ = false;
  env.values_ = std::move(values);
  return env;
}

std::optional<std::string> Environment::Get(std::string_view name) const {
  if (process_) {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  }
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace rubato::sdk
