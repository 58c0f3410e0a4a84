// Test support: a TracerProvider (always-on, simple processor) installed as the
// global one, whose exporter copies every finished span into plain values the
// tests compare exactly. Also a capturing HTTP server and a raw-socket client
// for requests net::HttpCall cannot send (duplicate headers, no Host).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "model/ids.h"
#include "model/span.h"
#include "net/http_server.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk::testing {

using AttrValue = std::variant<std::string, int64_t, bool, double>;
using Attrs = std::map<std::string, AttrValue>;

struct CapturedEvent {
  std::string name;
  Attrs attributes;
};

struct CapturedSpan {
  model::TraceId trace_id;
  model::SpanId span_id;
  model::SpanId parent_span_id;
  std::string name;
  std::string scope;
  uint32_t flags = 0;  // W3C trace flags in bits 0-7
  model::SpanKind kind = model::SpanKind::kUnspecified;
  model::StatusCode status = model::StatusCode::kUnset;
  std::string status_message;
  Attrs attributes;
  std::vector<CapturedEvent> events;
};

class SpanStore {
 public:
  void Add(std::vector<CapturedSpan> spans);
  // Waits (up to 10 s) until at least `n` spans arrived; returns all of them.
  std::vector<CapturedSpan> WaitFor(size_t n);
  std::vector<CapturedSpan> Snapshot();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<CapturedSpan> spans_;
};

// Installs the global provider for the test's lifetime; removes it after.
class TestTracing {
 public:
  TestTracing();
  ~TestTracing();
  SpanStore& spans() { return *store_; }

 private:
  std::shared_ptr<SpanStore> store_;
  std::unique_ptr<TracerProvider> provider_;
};

// A plain (untraced) server that records every request and answers `status`
// after `delay`.
class CapturingServer {
 public:
  explicit CapturingServer(unsigned status = 200, std::chrono::milliseconds delay = {});
  ~CapturingServer();
  uint16_t port() const { return server_->port(); }
  // Waits (up to 10 s) until at least `n` requests arrived.
  std::vector<net::HttpRequest> WaitFor(size_t n);
  void Stop() { server_->Stop(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<net::HttpRequest> requests_;
  std::unique_ptr<net::HttpServer> server_;
};

// Sends `request` bytes as they are to 127.0.0.1:port and returns the whole
// response text (the server is asked to close: "Connection: close" expected in
// `request`).
std::string RawRequest(uint16_t port, const std::string& request);

// The first span with that name, or null.
const CapturedSpan* FindSpan(const std::vector<CapturedSpan>& spans, std::string_view name);

// The traceparent header that propagates this span: 00-trace-span-flags.
std::string TraceparentOf(const CapturedSpan& span);
}  // namespace rubato::sdk::testing
