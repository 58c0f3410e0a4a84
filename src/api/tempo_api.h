// Grafana Tempo's HTTP query API, answered in Tempo's shapes so that an
// existing Tempo data source can point at Rubato.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "api/search_api.h"
#include "net/http_server.h"
#include "store/trace_store.h"

namespace rubato::api {

struct BuildInfo {
  std::string version;
  std::string revision;
  std::string branch;
  std::string build_date;
};

class TempoApi {
 public:
  // `metrics` renders the Prometheus text exposition for /metrics.
  TempoApi(const store::TraceStore* store, BuildInfo build, bool multitenancy, std::function<std::string()> metrics,
           SearchApiOptions search_options = {})
      : store_(store),
        build_(std::move(build)),
        multitenancy_(multitenancy),
        metrics_(std::move(metrics)),
        search_(std::make_unique<SearchApi>(store, multitenancy, search_options)) {}

  void Handle(net::HttpRequest& req, net::HttpResponse& resp) const;
  SearchApi& search() { return *search_; }  // e.g. to hand it the blocks a cut writes

  // "abc" → 29 zeros + "abc" (Tempo left-pads short IDs); errors name the problem.
  static Result<model::TraceId> ParseTraceId(std::string_view hex);

 private:
  void TraceById(net::HttpRequest& req, net::HttpResponse& resp, std::string_view id, bool v2) const;
  void BuildInfoJson(net::HttpResponse& resp) const;

  const store::TraceStore* store_;
  BuildInfo build_;
  bool multitenancy_;
  std::function<std::string()> metrics_;
  std::unique_ptr<SearchApi> search_;  // /api/search, /api/search/tags, tag values (v1 and v2)
};

}  // namespace rubato::api
