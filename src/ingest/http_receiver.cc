#include "ingest/http_receiver.h"

#include <chrono>

#include "net/gzip.h"
#include "otlp/json_writer.h"
#include "otlp/reverse_writer.h"

namespace rubato::ingest {
namespace {

constexpr int kRpcInvalidArgument = 3;
constexpr int kRpcResourceExhausted = 8;
constexpr int kRpcUnavailable = 14;
constexpr int kRpcUnauthenticated = 16;

const char* ContentTypeOf(Encoding e) { return e == Encoding::kJson ? "application/json" : "application/x-protobuf"; }

void Reply(net::HttpResponse& resp, unsigned status, Encoding enc, std::string body) {
  resp.status = status;
  resp.content_type = ContentTypeOf(enc);
  resp.body = std::move(body);
}

void Error(net::HttpResponse& resp, unsigned status, int rpc_code, Encoding enc, std::string_view message) {
  Reply(resp, status, enc, EncodeRpcStatus(rpc_code, message, enc));
}

// The media type without parameters, lowercased.
std::string MediaType(std::string_view content_type) {
  std::string t(content_type.substr(0, content_type.find(';')));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t;
}

}  // namespace

std::string EncodeExportResponse(const ExportOutcome& outcome, Encoding encoding) {
  bool partial = outcome.rejected_spans > 0 || !outcome.error_message.empty();
  if (encoding == Encoding::kJson) {
    std::string out;
    otlp::JsonWriter w(&out);
    w.BeginObject();
    if (partial) {
      w.Key("partialSuccess");
      w.BeginObject();
      w.Key("rejectedSpans");
      w.QuotedInt(outcome.rejected_spans);
      w.Key("errorMessage");
      w.String(outcome.error_message);
      w.EndObject();
    }
    w.EndObject();
    return out;
  }
  otlp::ReverseWriter w(256);
  if (partial) {
    size_t mark = w.size();
    if (!outcome.error_message.empty()) w.Bytes(2, outcome.error_message);
    if (outcome.rejected_spans != 0) w.Varint(1, static_cast<uint64_t>(outcome.rejected_spans));
    w.EndMessage(1, mark);
  }
  return w.Take();
}

std::string EncodeRpcStatus(int code, std::string_view message, Encoding encoding) {
  if (encoding == Encoding::kJson) {
    std::string out;
    otlp::JsonWriter w(&out);
    w.BeginObject();
    w.Key("code");
    w.Int(code);
    w.Key("message");
    w.String(message);
    w.EndObject();
    return out;
  }
  otlp::ReverseWriter w(256);
  w.Bytes(2, message);
  w.Varint(1, static_cast<uint64_t>(code));
  return w.Take();
}

namespace {

// The metrics label of an answered status.
const char* ResultLabel(unsigned status) {
  switch (status) {
    case 200: return "ok";
    case 400: return "invalid";
    case 401: return "unauthenticated";
    case 413: return "too_large";
    case 503: return "unavailable";
    case 404: case 405: case 415: return "unsupported";
    default: return "error";
  }
}

void Handle(ExportHandler* handler, const HttpReceiverOptions& options, net::HttpRequest& req,
            net::HttpResponse& resp);

}  // namespace

void HandleOtlpHttp(ExportHandler* handler, const HttpReceiverOptions& options, net::HttpRequest& req,
                    net::HttpResponse& resp) {
  auto start = std::chrono::steady_clock::now();
  uint64_t bytes = req.body.size();
  Handle(handler, options, req, resp);
  if (options.metrics) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    options.metrics->Record(ResultLabel(resp.status), bytes, seconds);
  }
}

namespace {

void Handle(ExportHandler* handler, const HttpReceiverOptions& options, net::HttpRequest& req,
            net::HttpResponse& resp) {
  std::string media = MediaType(req.Header("Content-Type"));
  Encoding enc = media == "application/json" ? Encoding::kJson : Encoding::kProtobuf;
  if (req.path() != "/v1/traces") {
    return Error(resp, 404, 5, enc, "unknown path " + std::string(req.path()) + "; OTLP traces go to /v1/traces");
  }
  if (req.method != "POST") {
    resp.headers.emplace_back("Allow", "POST");
    return Error(resp, 405, 12, enc, "method " + req.method + " not allowed; use POST");
  }
  if (media != "application/json" && media != "application/x-protobuf") {
    return Error(resp, 415, kRpcInvalidArgument, enc,
                 "unsupported Content-Type '" + std::string(req.Header("Content-Type")) +
                     "'; use application/x-protobuf or application/json");
  }
  std::string tenant = "single-tenant";
  if (options.multitenancy) {
    tenant = std::string(req.Header("X-Scope-OrgID"));
    if (tenant.empty()) return Error(resp, 401, kRpcUnauthenticated, enc, "no org id: X-Scope-OrgID is required");
  }
  std::string body = std::move(req.body);
  std::string_view encoding = req.Header("Content-Encoding");
  if (encoding == "gzip") {
    std::string plain;
    Status s = net::Gunzip(body, options.max_decompressed_bytes, &plain);
    if (s.code() == rubato::StatusCode::kResourceExhausted) {
      return Error(resp, 413, kRpcResourceExhausted, enc, s.message());
    }
    if (!s.ok()) return Error(resp, 400, kRpcInvalidArgument, enc, s.message());
    body = std::move(plain);
  } else if (!encoding.empty() && encoding != "identity") {
    return Error(resp, 415, kRpcInvalidArgument, enc,
                 "unsupported Content-Encoding '" + std::string(encoding) + "'; use gzip or none");
  }
  if (body.size() > options.max_decompressed_bytes) {
    return Error(resp, 413, kRpcResourceExhausted, enc,
                 "request of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                     std::to_string(options.max_decompressed_bytes));
  }
  Result<ExportOutcome> r = handler->Export(tenant, std::move(body), enc);
  if (r.ok()) {
    if (options.metrics) options.metrics->RecordSpans(r->accepted_spans, r->rejected_spans);
    return Reply(resp, 200, enc, EncodeExportResponse(*r, enc));
  }
  const Status& s = r.status();
  switch (s.code()) {
    case rubato::StatusCode::kResourceExhausted:
      return Error(resp, 413, kRpcResourceExhausted, enc, s.message());
    case rubato::StatusCode::kUnavailable:
      resp.headers.emplace_back("Retry-After", std::to_string(options.retry_after_seconds));
      return Error(resp, 503, kRpcUnavailable, enc, s.message());
    case rubato::StatusCode::kInvalidArgument:
      return Error(resp, 400, kRpcInvalidArgument, enc, s.message());
    default:
      return Error(resp, 500, 13, enc, s.message());
  }
}

}  // namespace
}  // namespace rubato::ingest
