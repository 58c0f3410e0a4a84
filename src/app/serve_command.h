// `rubato serve`: the Tempo-compatible trace backend in one process — OTLP
// receivers, the store, and Tempo's query API.
#pragma once

#include <string>

namespace rubato::app {

// Runs until SIGINT or SIGTERM. Returns a process exit code.
int RunServe(const std::string& config_path);

}  // namespace rubato::app
