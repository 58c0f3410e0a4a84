// Environment: where the SDK reads its OTEL_* settings. The process
// environment in production; a map in tests, so tests never mutate global state.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rubato::sdk {

// Values the SDK ignored, one line each naming the variable and its value
// (the specification's "warn and use the default"; env_values.h).
using EnvWarnings = std::vector<std::string>;

class Environment {
 public:
  // Reads getenv() at each Get.
  static Environment Process();
  static Environment FromMap(std::map<std::string, std::string, std::less<>> values);

  // The variable's value, or nullopt when unset. An empty value counts as unset,
  // as the OpenTelemetry configuration spec requires.
  std::optional<std::string> Get(std::string_view name) const;

 private:
  bool process_ = true;
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace rubato::sdk
