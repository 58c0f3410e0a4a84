// MapCarrier: an in-memory header list for propagator tests; repeated
// headers stay separate, names compare case-insensitively (as HTTP's do).
#pragma once

#include <string>
#include <string_view>
#include <initializer_list>
#include <utility>
#include <vector>

#include "sdk/propagation/text_map.h"

namespace rubato::sdk::testing {

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

class MapCarrier : public TextMapCarrier {
 public:
  MapCarrier() = default;
  MapCarrier(std::initializer_list<std::pair<std::string, std::string>> h) : headers(h) {}  // NOLINT

  std::vector<std::string_view> GetAll(std::string_view key) const override {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : headers) {
      if (EqualsIgnoreCase(k, key)) out.push_back(v);
    }
    return out;
  }

  void Set(std::string_view key, std::string_view value) override {
    std::erase_if(headers, [&](const auto& h) { return EqualsIgnoreCase(h.first, key); });
    headers.emplace_back(std::string(key), std::string(value));
  }

  // The single value of a header, "" when absent.
  std::string Get(std::string_view key) const {
    std::vector<std::string_view> all = GetAll(key);
    return all.empty() ? "" : std::string(all[0]);
  }

  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace rubato::sdk::testing
