#include "sdk/export/exporter_config.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "sdk/export/endpoint_url.h"
#include "sdk/export/otlp_headers.h"
#include "sdk/trace/env_values.h"

namespace rubato::sdk {

namespace {

constexpr const char* kDefaultHttpEndpoint = "http://localhost:4318";
constexpr const char* kDefaultGrpcEndpoint = "http://localhost:4317";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// One setting's two variables, signal-specific first.
struct Setting {
  std::string specific;  // OTEL_EXPORTER_OTLP_TRACES_<X>
  std::string generic;   // OTEL_EXPORTER_OTLP_<X>
  explicit Setting(std::string_view x)
      : specific("OTEL_EXPORTER_OTLP_TRACES_" + std::string(x)), generic("OTEL_EXPORTER_OTLP_" + std::string(x)) {}
};

// Reads the setting with `parse` (given the value trimmed and lower-cased)
// from the signal-specific variable, then the generic one. A value parse
// rejects is warned about and treated as unset (env_values.h).
template <typename T, typename Parse>
std::optional<T> ReadLenient(const Environment& env, const Setting& s, Parse parse, std::string_view expected,
                             std::vector<std::string>* warnings) {
  auto normalized = [&](std::string_view v) { return parse(Lower(Trim(v))); };
  for (const std::string* name : {&s.specific, &s.generic}) {
    if (std::optional<T> parsed = EnvParsed<T>(env, *name, normalized, expected, warnings)) return parsed;
  }
  return std::nullopt;
}

std::optional<OtlpProtocol> ParseProtocol(const std::string& v) {
  if (v == "grpc") return OtlpProtocol::kGrpc;
  if (v == "http/protobuf") return OtlpProtocol::kHttpProtobuf;
  if (v == "http/json") return OtlpProtocol::kHttpJson;
  return std::nullopt;
}

std::optional<OtlpCompression> ParseCompression(const std::string& v) {
  if (v == "gzip") return OtlpCompression::kGzip;
  if (v == "none") return OtlpCompression::kNone;
  return std::nullopt;
}

// The OTel Timeout type: a whole, non-negative number of milliseconds.
std::optional<std::chrono::milliseconds> ParseTimeout(const std::string& v) {
  if (v.empty() || v.size() > 10) return std::nullopt;
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > INT32_MAX) return std::nullopt;
  return std::chrono::milliseconds(n);
}

// The OTel Boolean type (EnvBool); the first variable set decides.
bool ReadInsecure(const Environment& env, const Setting& s, std::vector<std::string>* warnings) {
  for (const std::string* name : {&s.specific, &s.generic}) {
    if (std::optional<bool> b = EnvBool(env, *name, warnings)) return *b;
  }
  return false;
}

// The endpoint for `protocol`: a signal-specific URL as is, a generic one
// with "v1/traces" under it (OTLP/HTTP only), else the default.
Result<std::string> ReadEndpoint(const Environment& env, const Setting& s, OtlpProtocol protocol,
                                 std::string* variable, std::string* raw) {
  bool http = protocol != OtlpProtocol::kGrpc;
  const std::string* name = &s.specific;
  std::optional<std::string> v = env.Get(s.specific);
  if (!v) {
    name = &s.generic;
    v = env.Get(s.generic);
  }
  if (v) *variable = *name, *raw = *v;
  if (!v) return http ? TracesUrlUnder(*ParseEndpointUrl(kDefaultHttpEndpoint)).ToString() : kDefaultGrpcEndpoint;
  std::string text(Trim(*v));
  if (!http && !HasHttpScheme(text)) return text;  // another gRPC target form, e.g. "host:4317"
  Result<EndpointUrl> url = ParseEndpointUrl(text);
  if (!url.ok()) return Status::InvalidArgument(EnvAssignment(*name, *v) + ": " + url.status().message());
  if (!http) return text;
  return (name == &s.specific ? *url : TracesUrlUnder(*url)).ToString();
}

// OTEL_TRACES_EXPORTER: a comma-separated list of otlp, console and none.
std::vector<TracesExporterKind> ReadExporters(const Environment& env, std::vector<std::string>* warnings) {
  constexpr const char* kName = "OTEL_TRACES_EXPORTER";
  std::optional<std::string> v = env.Get(kName);
  if (!v) return {TracesExporterKind::kOtlp};
  std::vector<TracesExporterKind> kinds;
  bool recognised = false;
  std::string_view list = *v;
  while (true) {
    size_t comma = list.find(',');
    std::string item = Lower(Trim(list.substr(0, comma)));
    std::optional<TracesExporterKind> kind;
    if (item == "otlp") kind = TracesExporterKind::kOtlp;
    else if (item == "console") kind = TracesExporterKind::kConsole;
    if (kind || item == "none") recognised = true;
    if (kind && std::find(kinds.begin(), kinds.end(), *kind) == kinds.end()) kinds.push_back(*kind);
    if (!kind && item != "none" && !item.empty())
      warnings->push_back(std::string(kName) + " names \"" + item +
                          "\", which this SDK does not provide (otlp, console, none); ignored");
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  if (!recognised) return {TracesExporterKind::kOtlp};  // nothing usable: as if unset
  return kinds;
}

}  // namespace

Result<TracesExporterConfig> TracesExporterConfigFromEnvironment(const Environment& env) {
  TracesExporterConfig c;
  c.exporters = ReadExporters(env, &c.warnings);
  OtlpExporterOptions& o = c.otlp;
  o.protocol = ReadLenient<OtlpProtocol>(env, Setting("PROTOCOL"), ParseProtocol,
                                         "grpc, http/protobuf or http/json", &c.warnings)
                   .value_or(OtlpProtocol::kHttpProtobuf);
  Result<std::string> endpoint = ReadEndpoint(env, Setting("ENDPOINT"), o.protocol, &c.endpoint_variable,
                                              &c.endpoint_value);
  if (!endpoint.ok()) return endpoint.status();
  o.endpoint = *endpoint;
  Setting headers("HEADERS");
  for (const std::string* name : {&headers.specific, &headers.generic}) {
    std::optional<std::string> v = env.Get(*name);
    if (!v) continue;
    auto parsed = ParseOtlpHeaders(*v);
    if (!parsed.ok()) return Status::InvalidArgument(*name + ": " + parsed.status().message());
    o.headers = std::move(parsed).value();
    break;
  }
  o.timeout = ReadLenient<std::chrono::milliseconds>(env, Setting("TIMEOUT"), ParseTimeout,
                                                     "a whole number of milliseconds from 0 to 2147483647",
                                                     &c.warnings)
                  .value_or(std::chrono::milliseconds(10000));
  o.compression = ReadLenient<OtlpCompression>(env, Setting("COMPRESSION"), ParseCompression, "gzip or none",
                                               &c.warnings)
                      .value_or(OtlpCompression::kNone);
  o.insecure = ReadInsecure(env, Setting("INSECURE"), &c.warnings);
  return c;
}

}  // namespace rubato::sdk
