#include "sdk/export/otlp_http_exporter.h"

#include <algorithm>

#include "net/gzip.h"
#include "net/http_client_connection.h"
#include "otlp/json_encoder.h"
#include "otlp/json_writer.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "sdk/export/endpoint_url.h"
#include "sdk/export/retry_after.h"
#include "sdk/export/user_agent.h"

namespace rubato::sdk {

namespace {

using Clock = std::chrono::steady_clock;

bool RetryableHttpStatus(unsigned status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

// What the server said, for the error message: the google.rpc.Status message
// of an OTLP error body, else the start of a text body.
std::string AnswerText(const net::HttpClientAnswer& a) {
  bool json = a.content_type.find("json") != std::string::npos;
  bool protobuf = a.content_type.find("protobuf") != std::string::npos;
  std::string text = json || protobuf ? RpcStatusMessage(a.body, json) : std::string();
  if (text.empty() && !protobuf) text = a.body.substr(0, 200);
  std::replace_if(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < ' '; }, ' ');
  return text;
}

Status PermanentStatus(unsigned status, std::string message) {
  if (status == 413) return Status::ResourceExhausted(std::move(message));
  if (status >= 400 && status < 500) return Status::InvalidArgument(std::move(message));
  return Status::Internal(std::move(message));
}

}  // namespace

Result<std::unique_ptr<OtlpHttpExporter>> OtlpHttpExporter::Create(OtlpExporterOptions options) {
  if (options.protocol == OtlpProtocol::kGrpc)
    return Status::InvalidArgument("OtlpHttpExporter speaks http/protobuf or http/json, not grpc");
  Result<EndpointUrl> url = ParseEndpointUrl(options.endpoint);
  if (!url.ok()) {
    Status s = url.status();
    return s.Prepend("OTLP/HTTP endpoint \"" + options.endpoint + "\"");
  }
  if (url->scheme == "https")
    return Status::InvalidArgument("OTLP/HTTP endpoint \"" + options.endpoint +
                                   "\": https is not supported by the OTLP/HTTP exporter (it has no TLS); "
                                   "use an http:// endpoint, or OTLP/gRPC, which supports https");
  bool json = options.protocol == OtlpProtocol::kHttpJson;
  // The caller's headers first, so that ours, which the body depends on, win.
  std::vector<std::pair<std::string, std::string>> headers = options.headers;
  headers.emplace_back("User-Agent", kOtlpUserAgent);
  headers.emplace_back("Content-Type", json ? "application/json" : "application/x-protobuf");
  if (options.compression == OtlpCompression::kGzip) headers.emplace_back("Content-Encoding", "gzip");
  auto conn = std::make_unique<net::HttpClientConnection>(url->host, url->port, url->path, std::move(headers));
  options.timeout = EffectiveTimeout(options.timeout);
  return std::unique_ptr<OtlpHttpExporter>(new OtlpHttpExporter(std::move(options), url->ToString(), std::move(conn)));
}

OtlpHttpExporter::OtlpHttpExporter(OtlpExporterOptions options, std::string url,
                                   std::unique_ptr<net::HttpClientConnection> conn)
    : options_(std::move(options)),
      url_(std::move(url)),
      json_(options_.protocol == OtlpProtocol::kHttpJson),
      conn_(std::move(conn)),
      protobuf_(std::make_unique<otlp::ReverseWriter>()),
      retrier_(options_.retry) {}

OtlpHttpExporter::~OtlpHttpExporter() { Shutdown(); }

std::string_view OtlpHttpExporter::Encode(const model::Batch& batch) {
  if (!json_) {
    otlp::EncodeProtobuf(batch, protobuf_.get());
    return protobuf_->view();
  }
  json_body_.clear();
  otlp::JsonWriter w(&json_body_);
  w.BeginObject();
  otlp::WriteResourceSpans(batch, otlp::JsonFlavor{}, "resourceSpans", &w);
  w.EndObject();
  return json_body_;
}

Status OtlpHttpExporter::Export(const model::Batch& batch) {
  if (shut_down_.load()) return Status::Unavailable("the OTLP/HTTP exporter is shut down");
  std::lock_guard<std::mutex> lock(export_mu_);
  if (shut_down_.load()) return Status::Unavailable("the OTLP/HTTP exporter is shut down");
  std::string_view body = Encode(batch);
  if (options_.compression == OtlpCompression::kGzip) {
    gzipped_ = net::Gzip(body);
    body = gzipped_;
  }
  size_t spans = batch.spans.size();
  Status s = retrier_.Run(Clock::now() + options_.timeout,
                          [&](Clock::time_point deadline) { return Attempt(body, spans, deadline); });
  counters_.Finished(s.ok(), spans);
  counters_.Connections(conn_->connections_opened());
  counters_.Retries(retrier_.retries());
  return s;
}

AttemptResult OtlpHttpExporter::Attempt(std::string_view body, size_t spans, Clock::time_point deadline) {
  counters_.Attempt();
  Result<net::HttpClientAnswer> r = conn_->Post(body, deadline);
  if (!r.ok()) return AttemptResult::Transient(r.status());
  const net::HttpClientAnswer& a = *r;
  if (a.status >= 200 && a.status < 300) {
    bool json = a.content_type.find("json") != std::string::npos;
    Result<PartialSuccess> ps = ParsePartialSuccess(a.body, json);
    if (ps.ok() && ps->present()) counters_.PartialSuccessFrom(url_, *ps, spans, options_.diagnostics);
    return AttemptResult::Delivered();
  }
  std::string message = "HTTP " + std::to_string(a.status) + " from " + url_;
  std::string text = AnswerText(a);
  if (!text.empty()) message += ": " + text;
  if (!RetryableHttpStatus(a.status)) return AttemptResult::Permanent(PermanentStatus(a.status, std::move(message)));
  return AttemptResult::Transient(Status::Unavailable(std::move(message)),
                                  ParseRetryAfter(a.retry_after, std::chrono::system_clock::now()));
}

void OtlpHttpExporter::Shutdown() {
  if (shut_down_.exchange(true)) return;
  retrier_.Cancel();
  std::lock_guard<std::mutex> lock(export_mu_);
  conn_->Close();
}

ExportStats OtlpHttpExporter::stats() const { return counters_.Snapshot(); }

}  // namespace rubato::sdk
