// `rubato inspect` and `rubato convert`: read an OTLP request file (protobuf
// or JSON) and print it as trace trees, or re-encode it.
#pragma once

#include <string>

namespace rubato::app {

// Prints a summary and one indented tree per trace. Returns a process exit code.
int RunInspect(const std::string& path);
// Re-encodes the file as `to`: protobuf, otlp-json, tempo-v1 or tempo-v2. Returns an exit code.
int RunConvert(const std::string& path, const std::string& to);

}  // namespace rubato::app
