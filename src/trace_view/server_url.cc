#include "trace_view/server_url.h"

#include "net/url.h"

namespace rubato::trace_view {

Result<ServerUrl> ParseServerUrl(std::string_view url) {
  Result<net::HttpUrl> parsed = net::ParseHttpUrl(url, net::UrlScheme::kOptional);
  if (!parsed.ok()) {
    return Status::InvalidArgument("server URL '" + std::string(url) + "': " + parsed.status().message());
  }
  ServerUrl out{std::move(parsed->authority.host), parsed->authority.port, std::move(parsed->target)};
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  return out;
}

}  // namespace rubato::trace_view
