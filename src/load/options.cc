#include "load/options.h"

#include <cmath>

namespace rubato::load {

Result<Protocol> ParseProtocol(std::string_view s) {
  if (s == "grpc") return Protocol::kGrpc;
  if (s == "http-protobuf" || s == "http/protobuf") return Protocol::kHttpProtobuf;
  if (s == "http-json" || s == "http/json") return Protocol::kHttpJson;
  return Status::InvalidArgument("unknown protocol \"" + std::string(s) +
                                 "\" (want grpc, http-protobuf or http-json)");
}

std::string_view ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kGrpc: return "grpc";
    case Protocol::kHttpProtobuf: return "http-protobuf";
    case Protocol::kHttpJson: return "http-json";
  }
  return "?";
}

std::string DefaultEndpoint(Protocol p) {
  return p == Protocol::kGrpc ? "127.0.0.1:4317" : "http://127.0.0.1:4318/v1/traces";
}

namespace {

// Nanoseconds per unit, or 0 when `unit` is not one of Go's.
double UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1e3;  // µ (micro sign, Greek mu)
  if (unit == "ms") return 1e6;
  if (unit == "s") return 1e9;
  if (unit == "m") return 60e9;
  if (unit == "h") return 3600e9;
  return 0;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view s) {
  auto bad = [&](std::string why) {
    return Status::InvalidArgument("invalid duration \"" + std::string(s) + "\": " + why);
  };
  std::string_view rest = s;
  double sign = 1;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    if (rest[0] == '-') sign = -1;
    rest.remove_prefix(1);
  }
  if (rest == "0") return std::chrono::nanoseconds(0);
  if (rest.empty()) return bad("empty");
  double total = 0;
  while (!rest.empty()) {
    // The number: digits, optionally a fraction.
    size_t i = 0;
    while (i < rest.size() && (IsDigit(rest[i]) || rest[i] == '.')) ++i;
    std::string number(rest.substr(0, i));
    if (number.empty() || number == "." || number.find('.') != number.rfind('.'))
      return bad("expected a number at \"" + std::string(rest) + "\"");
    rest.remove_prefix(i);
    // The unit: everything up to the next digit or dot.
    size_t j = 0;
    while (j < rest.size() && !IsDigit(rest[j]) && rest[j] != '.') ++j;
    std::string_view unit = rest.substr(0, j);
    rest.remove_prefix(j);
    if (unit.empty()) return bad("missing unit (use ns, us, ms, s, m or h)");
    double per = UnitNanos(unit);
    if (per == 0) return bad("unknown unit \"" + std::string(unit) + "\"");
    total += std::stod(number) * per;
  }
  if (total > 9.2e18) return bad("too long");
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(sign * total)));
}

Result<std::pair<std::string, std::string>> ParseHeader(std::string_view s) {
  size_t eq = s.find('=');
  size_t colon = s.find(':');
  size_t at = std::min(eq, colon);
  if (at == std::string_view::npos || at == 0)
    return Status::InvalidArgument("header \"" + std::string(s) + "\" is not K=V");
  auto trim = [](std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return std::string(v);
  };
  std::string key = trim(s.substr(0, at));
  if (key.empty()) return Status::InvalidArgument("header \"" + std::string(s) + "\" has an empty name");
  return std::make_pair(key, trim(s.substr(at + 1)));
}

Result<HttpTarget> ParseHttpEndpoint(std::string_view endpoint) {
  std::string_view rest = endpoint;
  if (rest.rfind("https://", 0) == 0)
    return Status::InvalidArgument("endpoint " + std::string(endpoint) + ": https is not supported, use http://");
  bool had_scheme = rest.rfind("http://", 0) == 0;
  if (had_scheme) rest.remove_prefix(7);
  HttpTarget t;
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) t.path = std::string(rest.substr(slash));
  size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    unsigned long v = 0;
    bool ok = !port.empty() && port.size() <= 5;
    for (char c : port) ok = ok && IsDigit(c);
    if (ok) v = std::stoul(std::string(port));
    if (!ok || v == 0 || v > 65535)
      return Status::InvalidArgument("endpoint " + std::string(endpoint) + ": bad port \"" + std::string(port) + "\"");
    t.port = static_cast<uint16_t>(v);
    authority = authority.substr(0, colon);
  } else if (!had_scheme) {
    return Status::InvalidArgument("endpoint " + std::string(endpoint) + ": want http://host:port/path or host:port");
  }
  if (authority.size() >= 2 && authority.front() == '[' && authority.back() == ']')
    authority = authority.substr(1, authority.size() - 2);  // [::1]
  if (authority.empty()) return Status::InvalidArgument("endpoint " + std::string(endpoint) + ": no host");
  t.host = std::string(authority);
  return t;
}

std::string GrpcTarget(std::string_view endpoint) {
  if (endpoint.rfind("http://", 0) == 0) endpoint.remove_prefix(7);
  if (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  return std::string(endpoint);
}

Status Validate(const LoadOptions& o) {
  if (o.concurrency < 1 || o.concurrency > 1024) return Status::InvalidArgument("--concurrency must be 1..1024");
  if (!(o.rate >= 0) || std::isinf(o.rate)) return Status::InvalidArgument("--rate must be >= 0 spans/s");
  if (o.batch_spans < 1 || o.batch_spans > 1'000'000) return Status::InvalidArgument("--batch-spans must be 1..1000000");
  if (o.batches < 1 || o.batches > 100'000) return Status::InvalidArgument("--batches must be 1..100000");
  if (!o.dump_path.empty() && !o.replay_path.empty())
    return Status::InvalidArgument("--dump and --replay cannot be used together");
  if (!o.dump_path.empty() && !o.acked_log_path.empty())
    return Status::InvalidArgument("--acked-log records a live run; it cannot be used with --dump");
  if (o.fresh_trace_ids && !o.acked_log_path.empty())
    return Status::InvalidArgument("--fresh-trace-ids cannot be used with --acked-log (the log records the batches' own IDs)");
  if (o.fresh_trace_ids && o.protocol == Protocol::kHttpJson)
    return Status::InvalidArgument("--fresh-trace-ids needs protobuf bodies (--protocol grpc or http-protobuf)");
  if (o.fresh_trace_ids && o.gzip && o.protocol != Protocol::kGrpc)
    return Status::InvalidArgument("--fresh-trace-ids cannot rewrite gzipped HTTP bodies; drop --gzip");
  if (o.dump_path.empty() && o.duration.count() <= 0) return Status::InvalidArgument("--duration must be > 0");
  return Status::Ok();
}

}  // namespace rubato::load
