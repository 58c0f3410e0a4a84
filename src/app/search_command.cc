#include "app/search_command.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <chrono>
#include <iostream>

#include "load/options.h"
#include "net/http_client.h"
#include "trace_view/search_results.h"
#include "trace_view/server_url.h"

namespace rubato::app {
namespace {

int Fail(const std::string& msg, int code) {
  std::cerr << "rubato search: " << msg << "\n";
  return code;
}

// The server's own words, one line each, bounded.
std::string ServerMessage(std::string_view body) {
  std::string s(body.substr(0, 500));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') c = ' ';
  }
  return s.empty() ? "(no message)" : s;
}

}  // namespace

CLI::App* AddSearchCommand(CLI::App& app, SearchArgs* a) {
  auto* c = app.add_subcommand("search", "List traces matching a TraceQL query, from a Tempo-compatible API");
  c->add_option("query", a->query, "TraceQL, e.g. '{ resource.service.name = \"order-service\" }'")->required();
  c->add_option("--server", a->server, "the API's base URL")->capture_default_str();
  c->add_option("--org-id", a->org_id, "tenant (X-Scope-OrgID) on a multi-tenant server");
  c->add_option("--limit", a->limit, "most traces to list")->capture_default_str()->check(CLI::Range(1, 100000));
  c->add_option("--since", a->since, "how far back to look (Go syntax: 15m, 1h, 24h; 0: all time)")
      ->capture_default_str();
  return c;
}

int RunSearchCommand(const SearchArgs& a) {
  auto server = trace_view::ParseServerUrl(a.server);
  if (!server.ok()) return Fail(server.status().message(), 2);
  auto since = load::ParseGoDuration(a.since);
  if (!since.ok()) return Fail("--since: " + since.status().message(), 2);

  std::string target = server->base_path + "/api/search?q=" + net::UrlEncode(a.query) + "&limit=" + std::to_string(a.limit);
  if (since->count() > 0) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    auto back = std::chrono::duration_cast<std::chrono::seconds>(*since);
    target += "&start=" + std::to_string(std::max<int64_t>(0, (now - back).count())) +
              "&end=" + std::to_string(now.count() + 1);
  }
  net::HttpCallOptions options;
  options.timeout = std::chrono::seconds(30);
  if (!a.org_id.empty()) options.headers.emplace_back("X-Scope-OrgID", a.org_id);
  auto resp = net::HttpCall(server->host, server->port, "GET", target, {}, options);
  if (!resp.ok()) return Fail("cannot reach " + a.server + ": " + resp.status().message(), 1);
  if (resp->status == 404) {
    return Fail(a.server + " has no search API here (HTTP 404 for /api/search): " + ServerMessage(resp->body), 1);
  }
  if (resp->status == 400) return Fail("the server refused the query: " + ServerMessage(resp->body), 1);
  if (resp->status != 200) {
    return Fail(a.server + " answered HTTP " + std::to_string(resp->status) + ": " + ServerMessage(resp->body), 1);
  }
  auto hits = trace_view::ParseSearchResponse(resp->body);
  if (!hits.ok()) return Fail(hits.status().message(), 1);
  std::cout << trace_view::RenderSearchHits(*hits);
  return 0;
}

}  // namespace rubato::app
