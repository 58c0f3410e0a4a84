#include "sdk/http/semconv.h"

#include <array>
#include <string>

namespace rubato::sdk::http::semconv {

std::string_view NormalizedMethod(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kKnown = {"CONNECT", "DELETE", "GET",   "HEAD", "OPTIONS",
                                                            "PATCH",   "POST",   "PUT", "TRACE"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "_OTHER";
}

std::string SpanName(std::string_view method, std::string_view route) {
  std::string_view normalized = NormalizedMethod(method);
  std::string name(normalized == "_OTHER" ? std::string_view("HTTP") : normalized);
  if (!route.empty()) {
    name += ' ';
    name += route;
  }
  return name;
}

}  // namespace rubato::sdk::http::semconv
