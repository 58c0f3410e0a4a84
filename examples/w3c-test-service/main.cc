// w3c-test-service PORT [ADDRESS]: the test service of the public W3C
// trace-context harness (github.com/w3c/trace-context, test/). POST /test
// takes a JSON array of {url, arguments} and POSTs each `arguments` to its
// `url`, in order, with the trace context propagated from the incoming
// request, then answers. Port 0 picks a free port; the bound one is printed.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sdk/http/traced_client.h"
#include "sdk/http/traced_server.h"
#include "sdk/log/json_log.h"
#include "sdk/trace/tracer_provider.h"
#include "test_request.h"

namespace {

using namespace rubato;

// Runs inside the SERVER span, so each TracedCall is its child and carries
// the incoming trace ID with a new parent-id.
void HandleTest(net::HttpRequest& req, const sdk::http::PathParams&, net::HttpResponse& resp) {
  Result<std::vector<examples::Callback>> callbacks = examples::ParseTestRequest(req.body);
  if (!callbacks.ok()) {
    resp.status = 400;
    resp.body = callbacks.status().message() + "\n";
    return;
  }
  sdk::http::ClientCallOptions options;
  options.headers = {{"Content-Type", "application/json"}};
  std::string failures;
  for (const examples::Callback& callback : *callbacks) {
    auto result = sdk::http::TracedCall("POST", callback.url, callback.arguments_json, options);
    if (!result.ok()) {
      sdk::log::Warning("callback failed", {{"url", callback.url}, {"error", result.status().message()}});
      failures += result.status().message() + "\n";
    }
  }
  // Every callback is attempted, in order; a failed one is reported, not hidden.
  resp.status = failures.empty() ? 200 : 502;
  resp.body = failures.empty() ? "ok\n" : failures;
}

int Usage(const char* problem) {
  std::fprintf(stderr, "w3c-test-service: %s\nusage: w3c-test-service PORT [ADDRESS]  (PORT 0 picks a free one)\n",
               problem);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) return Usage("expected a port");
  char* end = nullptr;
  long port = std::strtol(argv[1], &end, 10);
  if (*argv[1] == '\0' || *end != '\0' || port < 0 || port > 65535) {
    return Usage((std::string("bad port \"") + argv[1] + "\"").c_str());
  }

  // Blocked before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Only propagation matters here: always sample, export nothing.
  sdk::TracerProviderOptions provider_options;
  provider_options.resource.attributes = {{"service.name", "w3c-test-service"}};
  provider_options.sampler = sdk::AlwaysOnSampler();
  sdk::TracerProvider provider(std::move(provider_options));
  sdk::SetGlobalTracerProvider(&provider);
  sdk::log::SetServiceName("w3c-test-service");

  sdk::http::Router router;
  router.Handle("POST", "/test", HandleTest);
  sdk::http::TracedServerOptions options;
  options.http.address = argc == 3 ? argv[2] : "127.0.0.1";
  options.http.port = static_cast<uint16_t>(port);
  options.http.max_body_bytes = 1 << 20;
  auto server = sdk::http::StartTracedServer(options, std::move(router));
  if (!server.ok()) {
    std::fprintf(stderr, "w3c-test-service: %s\n", server.status().message().c_str());
    return 1;
  }
  std::printf("w3c-test-service listening on http://%s:%u/test\n", options.http.address.c_str(),
              static_cast<unsigned>((*server)->port()));
  std::fflush(stdout);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  (*server)->Stop();
  sdk::SetGlobalTracerProvider(nullptr);
  return 0;
}
