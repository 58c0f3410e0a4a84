#include "sdk/http/url.h"

#include <string>

namespace rubato::sdk::http {

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  Result<HttpUrl> parsed = net::ParseHttpUrl(url);
  if (!parsed.ok()) {
    return Status::InvalidArgument("bad URL \"" + std::string(url) + "\": " + parsed.status().message());
  }
  return parsed;
}

}  // namespace rubato::sdk::http
