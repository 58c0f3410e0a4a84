#include "tests/sdk/http/span_capture.h"

#include <boost/asio.hpp>
#include <stdexcept>
#include <thread>

#include "sdk/trace/sampler.h"
#include "sdk/trace/span_exporter.h"
#include "sdk/trace/span_processor.h"

namespace rubato::sdk::testing {
namespace {

constexpr auto kWait = std::chrono::seconds(10);

AttrValue Copy(const model::AnyValue& v) {
  switch (v.kind) {
    case model::ValueKind::kString: return std::string(v.str);
    case model::ValueKind::kInt: return v.integer;
    case model::ValueKind::kBool: return v.boolean;
    case model::ValueKind::kDouble: return v.dbl;
    default: return std::string("<unsupported kind in test capture>");
  }
}

Attrs CopyAttrs(const model::Batch& batch, model::Range range) {
  Attrs out;
  for (const model::KeyValue& kv : batch.Attributes(range)) out[std::string(kv.key)] = Copy(kv.value);
  return out;
}

class CapturingExporter : public SpanExporter {
 public:
  explicit CapturingExporter(std::shared_ptr<SpanStore> store) : store_(std::move(store)) {}
  Status Export(const model::Batch& batch) override {
    std::vector<CapturedSpan> spans;
    for (const model::Span& s : batch.spans) {
      CapturedSpan c;
      c.trace_id = s.trace_id;
      c.span_id = s.span_id;
      c.parent_span_id = s.parent_span_id;
      c.name = std::string(s.name);
      c.scope = std::string(batch.ScopeOf(s).name);
      c.flags = s.flags;
      c.kind = s.kind;
      c.status = s.status_code;
      c.status_message = std::string(s.status_message);
      c.attributes = CopyAttrs(batch, s.attributes);
      for (const model::Event& e : batch.Events(s.events)) {
        c.events.push_back({std::string(e.name), CopyAttrs(batch, e.attributes)});
      }
      spans.push_back(std::move(c));
    }
    store_->Add(std::move(spans));
    return Status::Ok();
  }

 private:
  std::shared_ptr<SpanStore> store_;
};

}  // namespace

void SpanStore::Add(std::vector<CapturedSpan> spans) {
  std::lock_guard lock(mu_);
  for (auto& s : spans) spans_.push_back(std::move(s));
  cv_.notify_all();
}

std::vector<CapturedSpan> SpanStore::WaitFor(size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, kWait, [&] { return spans_.size() >= n; });
  return spans_;
}

std::vector<CapturedSpan> SpanStore::Snapshot() {
  std::lock_guard lock(mu_);
  return spans_;
}

TestTracing::TestTracing() : store_(std::make_shared<SpanStore>()) {
  TracerProviderOptions options;
  options.resource.attributes = {{"service.name", "http-test"}};
  options.sampler = AlwaysOnSampler();
  options.processors.push_back(SimpleSpanProcessor(std::make_unique<CapturingExporter>(store_)));
  provider_ = std::make_unique<TracerProvider>(std::move(options));
  SetGlobalTracerProvider(provider_.get());
}

TestTracing::~TestTracing() {
  SetGlobalTracerProvider(nullptr);
  provider_->Shutdown();
}

CapturingServer::CapturingServer(unsigned status, std::chrono::milliseconds delay) {
  auto started = net::HttpServer::Start({}, [this, status, delay](net::HttpRequest& req, net::HttpResponse& resp) {
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req);
      cv_.notify_all();
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    resp.status = status;
    resp.body = "captured";
  });
  if (!started.ok()) throw std::runtime_error(started.status().message());
  server_ = std::move(started).value();
}

CapturingServer::~CapturingServer() { server_->Stop(); }

std::vector<net::HttpRequest> CapturingServer::WaitFor(size_t n) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, kWait, [&] { return requests_.size() >= n; });
  return requests_;
}

std::string RawRequest(uint16_t port, const std::string& request) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(request));
  std::string response;
  boost::system::error_code ec;
  asio::read(socket, asio::dynamic_buffer(response), ec);  // until the server closes
  return response;
}

const CapturedSpan* FindSpan(const std::vector<CapturedSpan>& spans, std::string_view name) {
  for (const CapturedSpan& s : spans) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string TraceparentOf(const CapturedSpan& span) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint8_t flags = static_cast<uint8_t>(span.flags & 0xff);
  return "00-" + span.trace_id.ToHex() + "-" + span.span_id.ToHex() + "-" + kHex[flags >> 4] + kHex[flags & 0xf];
}

}  // namespace rubato::sdk::testing
