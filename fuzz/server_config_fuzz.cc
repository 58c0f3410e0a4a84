// Fuzzes the Tempo-shaped YAML config loader: any bytes give a config or an
// error that names the file; never a crash or an escaping exception.
#include <cstdlib>
#include <string>

#include "config/server_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto r = rubato::config::ParseServerConfig(yaml, "fuzz.yml");
  if (!r.ok() && r.status().message().find("fuzz.yml") != 0) std::abort();
  return 0;
}
