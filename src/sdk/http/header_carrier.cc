#include "sdk/http/header_carrier.h"

#include <strings.h>

#include <algorithm>

namespace rubato::sdk::http {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::vector<std::string_view> HeaderCarrier::GetAll(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [name, value] : headers_) {
    if (SameName(name, key)) values.emplace_back(value);
  }
  return values;
}

void HeaderCarrier::Set(std::string_view key, std::string_view value) {
  std::erase_if(headers_, [key](const auto& header) { return SameName(header.first, key); });
  headers_.emplace_back(std::string(key), std::string(value));
}

}  // namespace rubato::sdk::http
