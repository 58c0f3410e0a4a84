// HeaderCarrier: lets a propagator read and write an HTTP header list in
// place (net::HttpRequest::headers, ClientCallOptions::headers). Repeated
// headers stay separate values, so a duplicated traceparent reaches the
// propagator as two values (which W3C says must start a new trace).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/propagation/text_map.h"

namespace rubato::sdk::http {

class HeaderCarrier : public TextMapCarrier {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;
  explicit HeaderCarrier(Headers& headers) : headers_(headers) {}

  std::vector<std::string_view> GetAll(std::string_view key) const override;
  // Removes every header of that name (any casing), then appends one.
  void Set(std::string_view key, std::string_view value) override;

 private:
  Headers& headers_;
};

}  // namespace rubato::sdk::http
