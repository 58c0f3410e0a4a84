// A message about a config file, pinned to the place in the file it concerns.
// Loading a config never logs by itself: it hands these back so that the
// caller (rubato serve) logs them once it has set up logging.
#pragma once

#include <string>
#include <string_view>

namespace rubato::config {

enum class Severity : unsigned char {
  kError,    // the value is unusable: loading fails
  kWarning,  // probably a mistake (an unknown key): loading goes on
  kNotice,   // a Tempo key Rubato accepts but does not act on yet
};

std::string_view SeverityName(Severity s);  // "error", "warning", "notice"

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;  // as given by the caller, e.g. "tempo.yml"
  int line = 0;      // 1-based; 0 when the message is about the whole file
  int column = 0;    // 1-based
  std::string message;

  // "tempo.yml:7:3: unknown key ..." (compiler style, so editors can jump to it);
  // "tempo.yml: ..." when there is no position.
  std::string ToString() const;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

}  // namespace rubato::config
