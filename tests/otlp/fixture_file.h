// Reads a file under tests/fixtures/ for a test.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace rubato::testing {

inline std::string ReadFixture(const std::string& relative) {
  std::string path = std::string(RUBATO_FIXTURES) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

}  // namespace rubato::testing
