#include "api/tempo_api.h"

#include <cstdlib>

#include "otlp/json_writer.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "otlp/tempo_json.h"

namespace rubato::api {
namespace {

void Text(net::HttpResponse& resp, unsigned status, std::string body) {
  resp.status = status;
  resp.content_type = "text/plain; charset=utf-8";
  resp.body = std::move(body);
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Reads an optional Unix-seconds query parameter; false when malformed.
bool SecondsParam(const std::vector<std::pair<std::string, std::string>>& q, std::string_view name,
                  uint64_t* out_nanos, std::string* error) {
  for (const auto& [k, v] : q) {
    if (k != name || v.empty()) continue;
    char* end = nullptr;
    unsigned long long s = std::strtoull(v.c_str(), &end, 10);
    if (*end != '\0' || v[0] == '-') {
      *error = "invalid " + std::string(name) + " '" + v + "': want Unix seconds";
      return false;
    }
    *out_nanos = static_cast<uint64_t>(s) * 1000000000ULL;
  }
  return true;
}

}  // namespace

Result<model::TraceId> TempoApi::ParseTraceId(std::string_view hex) {
  if (hex.empty()) return Status::InvalidArgument("trace ID is empty");
  if (hex.size() > 32) {
    return Status::InvalidArgument("trace ID '" + std::string(hex) + "' is longer than 32 hex digits");
  }
  std::string padded(32 - hex.size(), '0');
  padded.append(hex);
  auto id = model::TraceId::FromHex(padded);
  if (!id.ok()) return Status::InvalidArgument("trace ID '" + std::string(hex) + "' is not hex");
  return id;
}

void TempoApi::Handle(net::HttpRequest& req, net::HttpResponse& resp) const {
  std::string_view path = req.path();
  if (path == "/ready") return Text(resp, 200, "ready\n");
  if (path == "/api/echo") return Text(resp, 200, "echo");
  if (path == "/api/status/buildinfo") return BuildInfoJson(resp);
  if (path == "/metrics") {
    resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
    resp.body = metrics_ ? metrics_() : "";
    return;
  }
  if (StartsWith(path, "/api/v2/traces/")) return TraceById(req, resp, path.substr(15), true);
  if (StartsWith(path, "/api/traces/")) return TraceById(req, resp, path.substr(12), false);
  if (search_->Handle(req, resp)) return;
  Text(resp, 404, "404 page not found\n");
}

void TempoApi::TraceById(net::HttpRequest& req, net::HttpResponse& resp, std::string_view id_text, bool v2) const {
  if (req.method != "GET") return Text(resp, 405, "method " + req.method + " not allowed; use GET\n");
  auto id = ParseTraceId(id_text);
  if (!id.ok()) return Text(resp, 400, id.status().message() + "\n");
  std::string tenant = "single-tenant";
  if (multitenancy_) {
    tenant = std::string(req.Header("X-Scope-OrgID"));
    if (tenant.empty()) return Text(resp, 401, "no org id\n");
  }
  store::TimeRange range;
  std::string error;
  auto query = net::ParseQuery(req.query());
  if (!SecondsParam(query, "start", &range.start_unix_nano, &error) ||
      !SecondsParam(query, "end", &range.end_unix_nano, &error)) {
    return Text(resp, 400, error + "\n");
  }
  auto found = store_->FindTrace(tenant, *id, range);
  if (!found.ok()) {
    resp.status = 404;
    resp.body.clear();
    return;
  }
  const std::string message = "trace exceeded the per-trace size limit; spans after the limit were refused";
  bool protobuf = req.Header("Accept").find("application/protobuf") != std::string_view::npos;
  if (protobuf) {
    // tempopb.Trace is wire-identical to ExportTraceServiceRequest (field 1:
    // repeated ResourceSpans); TraceByIDResponse wraps it as field 1.
    otlp::ReverseWriter w;
    if (v2 && found->truncated) {
      w.Bytes(4, message);
      w.Varint(3, 1);  // PartialStatus PARTIAL
    }
    size_t mark = w.size();
    otlp::ReverseWriter trace;
    otlp::EncodeProtobuf(found->batch, &trace);
    w.PrependRaw(trace.view().data(), trace.view().size());
    if (v2) w.EndMessage(1, mark);
    resp.content_type = "application/protobuf";
    resp.body = w.Take();
    return;
  }
  resp.content_type = "application/json";
  resp.body = otlp::EncodeTempoTrace(found->batch, v2 ? otlp::TempoShape::kV2Trace : otlp::TempoShape::kV1Batches);
  if (v2 && found->truncated) {
    resp.body.pop_back();  // reopen the top-level object to add Tempo's partial-status fields
    otlp::JsonWriter w(&resp.body);
    resp.body.append(",\"status\":\"PARTIAL\",\"message\":");
    w.String(message);
    resp.body.push_back('}');
  }
}

void TempoApi::BuildInfoJson(net::HttpResponse& resp) const {
  resp.content_type = "application/json";
  std::string& out = resp.body;
  otlp::JsonWriter w(&out);
  w.BeginObject();
  w.Key("version");
  w.String(build_.version);
  w.Key("revision");
  w.String(build_.revision);
  w.Key("branch");
  w.String(build_.branch);
  w.Key("buildUser");
  w.String("rubato");
  w.Key("buildDate");
  w.String(build_.build_date);
  w.Key("goVersion");
  w.String("none (C++20)");
  w.EndObject();
}

}  // namespace rubato::api
