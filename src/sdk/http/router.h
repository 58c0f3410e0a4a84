// Router: maps (method, path) to a handler by route template, e.g.
// "/stock/{item}/reserve". The template is what names the SERVER span
// ("POST /stock/{item}/reserve") and fills http.route.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http_server.h"

namespace rubato::sdk::http {

// Path parameters by name, percent-decoded: {"item", "book"}.
class PathParams {
 public:
  // The value, or "" when the route has no such parameter.
  std::string_view Get(std::string_view name) const;
  void Add(std::string name, std::string value) { params_.emplace_back(std::move(name), std::move(value)); }

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

using RouteHandler = std::function<void(net::HttpRequest&, const PathParams&, net::HttpResponse&)>;

class Router {
 public:
  // Templates: literal segments and whole-segment "{name}" parameters. When
  // several match a path, the most specific wins (a literal beats a parameter,
  // segment by segment from the left), whatever the registration order.
  void Handle(std::string method, std::string route_template, RouteHandler handler);

  struct Match {
    const RouteHandler* handler = nullptr;  // null: no route (404, or 405 if method_mismatch)
    const std::string* route_template = nullptr;
    PathParams params;
    bool method_mismatch = false;
    // With method_mismatch: the methods the path does accept, for the 405's Allow header.
    std::vector<std::string> allowed_methods;
  };
  Match Find(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::string route_template;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace rubato::sdk::http
