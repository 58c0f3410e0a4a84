#include "sdk/http/traced_server.h"

#include <cxxabi.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "sdk/http/header_carrier.h"
#include "sdk/http/semconv.h"
#include "sdk/http/url.h"
#include "sdk/propagation/text_map.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk::http {
namespace {

// What every request handler shares; lives as long as the HttpServer's handler.
struct ServerState {
  TracedServerOptions options;
  Router router;
  bool has_tracer = false;
  Tracer tracer;
  std::atomic<uint16_t> bound_port{0};
};

std::string Demangle(const char* mangled) {
  int status = 0;
  char* name = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string out = status == 0 && name != nullptr ? name : mangled;
  std::free(name);
  return out;
}

void Reply(net::HttpResponse& resp, unsigned status, std::string body) {
  resp.status = status;
  resp.content_type = "text/plain; charset=utf-8";
  resp.body = std::move(body);
}

// Runs the matched handler, or answers 404/405 when there is none.
void Dispatch(const Router::Match& match, net::HttpRequest& req, net::HttpResponse& resp) {
  if (match.handler != nullptr) return (*match.handler)(req, match.params, resp);
  std::string path(req.path());
  if (match.method_mismatch) {
    std::string allow;
    for (const std::string& method : match.allowed_methods) allow += (allow.empty() ? "" : ", ") + method;
    resp.headers.emplace_back("Allow", allow);
    Reply(resp, 405, "method " + req.method + " not allowed on " + path + " (allowed: " + allow + ")\n");
  } else {
    Reply(resp, 404, "no route for " + req.method + " " + path + "\n");
  }
}

struct HandlerFailure {
  std::string type;  // demangled exception type; empty when nothing was thrown
  std::string what;
};

// Runs Dispatch, turning a throwing handler into a 500 instead of a dead
// connection or a dead process.
HandlerFailure DispatchCatching(const Router::Match& match, net::HttpRequest& req, net::HttpResponse& resp) {
  HandlerFailure failure;
  try {
    Dispatch(match, req, resp);
    return failure;
  } catch (const std::exception& e) {
    failure = {Demangle(typeid(e).name()), e.what()};
  } catch (...) {
    failure = {"unknown", "a non-standard exception was thrown"};
  }
  resp.headers.clear();
  Reply(resp, 500, "internal error: " + failure.what + "\n");
  return failure;
}

HostPort ServerAddress(const ServerState& state, const net::HttpRequest& req) {
  std::string_view host = req.Header("host");
  if (!host.empty()) {
    Result<HostPort> parsed = ParseHostPort(host, 80);
    if (parsed.ok()) return std::move(parsed).value();
  }
  return HostPort{state.options.http.address, state.bound_port.load(std::memory_order_relaxed)};
}

void ServeTraced(const ServerState& state, net::HttpRequest& req, net::HttpResponse& resp) {
  HeaderCarrier carrier(req.headers);
  Context extracted = GlobalPropagator().Extract(carrier, Context());
  Router::Match match = state.router.Find(req.method, req.path());
  std::string_view route = match.route_template != nullptr ? std::string_view(*match.route_template) : "";
  std::string_view method = semconv::NormalizedMethod(req.method);
  HostPort server = ServerAddress(state, req);

  Tracer tracer = state.has_tracer ? state.tracer : GetTracer("rubato.http.server");
  // One full expression, so the attribute list outlives StartSpan.
  Span span = tracer.StartSpan(semconv::SpanName(req.method, route),
                               StartSpanOptions{.kind = SpanKind::kServer,
                                                .parent = &extracted,
                                                .attributes = {{semconv::kHttpRequestMethod, method},
                                                               {semconv::kUrlPath, req.path()},
                                                               {semconv::kUrlScheme, "http"},
                                                               {semconv::kServerAddress, server.host},
                                                               {semconv::kServerPort, int64_t{server.port}}}});
  if (span.IsRecording()) {
    if (method != req.method) span.SetAttribute(semconv::kHttpRequestMethodOriginal, req.method);
    if (!route.empty()) span.SetAttribute(semconv::kHttpRoute, route);
    if (!req.query().empty()) span.SetAttribute(semconv::kUrlQuery, req.query());
    if (!req.remote_address.empty()) span.SetAttribute(semconv::kClientAddress, req.remote_address);
    std::string_view user_agent = req.Header("user-agent");
    if (!user_agent.empty()) span.SetAttribute(semconv::kUserAgentOriginal, user_agent);
    span.SetAttribute(semconv::kNetworkProtocolVersion, "1.1");
  }

  HandlerFailure failure;
  {
    // The extracted context keeps its baggage; an invalid (no-op) span must not hide the caller's trace.
    ContextScope scope(span.context().IsValid() ? extracted.WithSpanContext(span.context()) : extracted);
    failure = DispatchCatching(match, req, resp);
  }

  span.SetAttribute(semconv::kHttpResponseStatusCode, int64_t{resp.status});
  if (!failure.type.empty()) {
    span.RecordException(failure.type, failure.what);
    span.SetAttribute(semconv::kErrorType, failure.type);
    span.SetStatus(StatusCode::kError, failure.what);
  } else if (resp.status >= 500) {
    span.SetAttribute(semconv::kErrorType, std::to_string(resp.status));
    span.SetStatus(StatusCode::kError);
  }
  span.End();
}

}  // namespace

Result<std::unique_ptr<net::HttpServer>> StartTracedServer(TracedServerOptions options, Router router) {
  auto state = std::make_shared<ServerState>();
  state->has_tracer = options.tracer != nullptr;
  if (state->has_tracer) state->tracer = *options.tracer;
  state->options = std::move(options);
  state->options.tracer = nullptr;  // copied above; the caller's pointer may dangle later
  state->router = std::move(router);
  auto handler = [state](net::HttpRequest& req, net::HttpResponse& resp) {
    const auto& excluded = state->options.excluded_paths;
    if (std::find(excluded.begin(), excluded.end(), req.path()) != excluded.end()) {
      DispatchCatching(state->router.Find(req.method, req.path()), req, resp);
      return;
    }
    ServeTraced(*state, req, resp);
  };
  Result<std::unique_ptr<net::HttpServer>> server = net::HttpServer::Start(state->options.http, std::move(handler));
  if (server.ok()) state->bound_port.store((*server)->port(), std::memory_order_relaxed);
  return server;
}

}  // namespace rubato::sdk::http
