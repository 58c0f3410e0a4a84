// Reading back what code under test wrote to a diagnostics stream: tests
// hand it a std::tmpfile() and compare the text exactly.
#pragma once

#include <cstdio>
#include <string>

namespace rubato::sdk::testing {

// Everything written to `f` (a tmpfile), which is closed.
inline std::string WrittenTo(FILE* f) {
  std::rewind(f);
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  std::fclose(f);
  return out;
}

}  // namespace rubato::sdk::testing
