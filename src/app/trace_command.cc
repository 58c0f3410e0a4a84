#include "app/trace_command.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "model/batch.h"
#include "net/http_client.h"
#include "otlp/protobuf_decoder.h"
#include "trace_view/batch_spans.h"
#include "trace_view/server_url.h"
#include "trace_view/waterfall.h"

namespace rubato::app {
namespace {

int Fail(const std::string& msg, int code) {
  std::cerr << "rubato trace: " << msg << "\n";
  return code;
}

bool IsTraceId(const std::string& id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (model::HexDigitValue(c) < 0) return false;
  }
  return true;
}

// The start of a body, for error messages: one line, bounded.
std::string Snippet(std::string_view body) {
  std::string s(body.substr(0, 200));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

}  // namespace

CLI::App* AddTraceCommand(CLI::App& app, TraceArgs* a) {
  auto* c = app.add_subcommand("trace", "Print one trace as a waterfall, fetched from a Tempo-compatible API");
  c->add_option("id", a->id, "trace ID (up to 32 hex digits)")->required();
  c->add_option("--server", a->server, "the API's base URL")->capture_default_str();
  c->add_option("--org-id", a->org_id, "tenant (X-Scope-OrgID) on a multi-tenant server");
  c->add_option("--width", a->width, "columns of the timeline")->capture_default_str()->check(CLI::Range(10, 400));
  return c;
}

int RunTraceCommand(const TraceArgs& a) {
  auto server = trace_view::ParseServerUrl(a.server);
  if (!server.ok()) return Fail(server.status().message(), 2);
  if (!IsTraceId(a.id)) return Fail("'" + a.id + "' is not a trace ID (want 1 to 32 hex digits)", 2);

  net::HttpCallOptions options;
  options.timeout = std::chrono::seconds(10);
  // Protobuf, not JSON: the same bytes from Rubato and Tempo, ids as bytes.
  options.headers.emplace_back("Accept", "application/protobuf");
  if (!a.org_id.empty()) options.headers.emplace_back("X-Scope-OrgID", a.org_id);
  auto resp = net::HttpCall(server->host, server->port, "GET", server->base_path + "/api/traces/" + a.id, {},
                            options);
  if (!resp.ok()) return Fail("cannot reach " + a.server + ": " + resp.status().message(), 1);
  if (resp->status == 404) return Fail("trace " + a.id + " not found at " + a.server, 1);
  if (resp->status != 200) {
    return Fail(a.server + " answered HTTP " + std::to_string(resp->status) + ": " + Snippet(resp->body), 1);
  }
  if (resp->content_type.find("json") != std::string::npos) {
    return Fail(a.server + " answered JSON where protobuf was asked for (Accept: application/protobuf)", 1);
  }
  model::Batch batch;
  if (Status s = otlp::DecodeProtobuf(std::move(resp->body), &batch); !s.ok()) {
    return Fail("the trace from " + a.server + " does not decode: " + s.message(), 1);
  }
  if (batch.spans.empty()) return Fail("trace " + a.id + " not found at " + a.server + " (no spans)", 1);
  trace_view::WaterfallOptions view;
  view.bar_width = a.width;
  std::string id = batch.spans.front().trace_id.ToHex();
  std::cout << trace_view::RenderWaterfall(id, trace_view::WaterfallSpansFromBatch(batch), view);
  return 0;
}

}  // namespace rubato::app
