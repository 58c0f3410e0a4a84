#include "load/report.h"

#include <cstdio>

namespace rubato::load {
namespace {

std::string Format(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// 1234567 -> "1.23M"; keeps progress lines short.
std::string Human(double v) {
  if (v >= 1e6) return Format("%.2fM", v / 1e6);
  if (v >= 1e3) return Format("%.1fk", v / 1e3);
  return Format("%.0f", v);
}

const char* GrpcCodeName(int code) {
  static const char* const kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
      "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  return code >= 0 && code <= 16 ? kNames[code] : "UNKNOWN_CODE";
}

void JsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (c < 0x20 || c >= 0x7f) {  // control bytes, and non-ASCII (error bodies may be binary)
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

}  // namespace

void Finish(Report* r, const LatencyHistogram& h) {
  double secs = r->elapsed_s > 0 ? r->elapsed_s : 1;
  r->sent_spans_per_s = static_cast<double>(r->stats.spans_sent) / secs;
  r->accepted_spans_per_s = static_cast<double>(r->stats.spans_accepted) / secs;
  r->latency_samples = h.count();
  r->latency_p50_ms = static_cast<double>(h.ValueAtQuantile(0.50)) / 1e6;
  r->latency_p99_ms = static_cast<double>(h.ValueAtQuantile(0.99)) / 1e6;
  r->latency_max_ms = static_cast<double>(h.max()) / 1e6;
  r->latency_mean_ms = h.mean() / 1e6;
  r->cpu_percent = r->elapsed_s > 0 ? 100.0 * (r->cpu_user_s + r->cpu_sys_s) / r->elapsed_s : 0;
}

std::string StatusLabel(Protocol p, int status) {
  if (p == Protocol::kGrpc) return GrpcCodeName(status);
  return "HTTP " + std::to_string(status);
}

std::string FormatText(const Report& r, Protocol p) {
  const StatsSnapshot& s = r.stats;
  std::string o;
  o += "rubato load: " + r.protocol + " to " + r.endpoint + ", concurrency " + std::to_string(r.concurrency) +
       ", rate " + (r.target_rate > 0 ? Human(r.target_rate) + " spans/s" : std::string("unpaced")) +
       (r.gzip ? ", gzip" : "") + "\n";
  o += "  batches:     " + std::to_string(r.distinct_batches) + " distinct, " + r.source + ", " +
       Format("%.1f", r.bytes_per_span) + " bytes/span on the wire\n";
  o += "  elapsed:     " + Format("%.2f s", r.elapsed_s) + "\n";
  o += "  requests:    " + std::to_string(s.requests) + "\n";
  o += "  spans sent:  " + std::to_string(s.spans_sent) + " (" + Human(r.sent_spans_per_s) + "/s)\n";
  o += "  accepted:    " + std::to_string(s.spans_accepted) + " spans, " + Format("%.0f", r.accepted_spans_per_s) +
       " spans/s\n";
  o += "  rejected:    " + std::to_string(s.spans_rejected) + " spans by partial success (in " +
       std::to_string(s.partial_requests) + " requests)\n";
  o += "  retryable:   " + std::to_string(s.retryable_requests) + " requests (" + std::to_string(s.retryable_spans) +
       " spans) refused with a retryable status\n";
  o += "  errors:      " + std::to_string(s.error_requests) + " other statuses, " + std::to_string(s.transport_errors) +
       " transport errors\n";
  for (const auto& [code, n] : s.by_status) o += "    " + StatusLabel(p, code) + ": " + std::to_string(n) + "\n";
  o += "  latency:     p50 " + Format("%.2f", r.latency_p50_ms) + " ms, p99 " + Format("%.2f", r.latency_p99_ms) +
       " ms, max " + Format("%.2f", r.latency_max_ms) + " ms\n";
  o += "  client CPU:  " + Format("%.1f%% of one core", r.cpu_percent) + " (user " + Format("%.2f s", r.cpu_user_s) +
       ", sys " + Format("%.2f s", r.cpu_sys_s) + ")\n";
  if (!r.first_error.empty()) o += "  first error: " + r.first_error + "\n";
  if (!r.acked_log.empty())
    o += "  acked log:   " + std::to_string(r.acked_spans_logged) + " acknowledged spans appended to " + r.acked_log +
         (r.acked_log_error.empty() ? "" : " (INCOMPLETE: " + r.acked_log_error + ")") + "\n";
  return o;
}

std::string FormatJson(const Report& r, Protocol p) {
  const StatsSnapshot& s = r.stats;
  std::string o = "{";
  auto key = [&](std::string_view k) {
    if (o.size() > 1) o += ',';
    JsonString(&o, k);
    o += ':';
  };
  auto num = [&](std::string_view k, double v) { key(k), o += Format("%.6g", v); };
  auto u64 = [&](std::string_view k, uint64_t v) { key(k), o += std::to_string(v); };
  auto str = [&](std::string_view k, std::string_view v) { key(k), JsonString(&o, v); };
  str("protocol", r.protocol);
  str("endpoint", r.endpoint);
  u64("concurrency", static_cast<uint64_t>(r.concurrency));
  num("target_rate", r.target_rate);
  key("gzip"), o += r.gzip ? "true" : "false";
  str("source", r.source);
  u64("distinct_batches", r.distinct_batches);
  num("bytes_per_span", r.bytes_per_span);
  num("duration_s", r.duration_s);
  num("elapsed_s", r.elapsed_s);
  u64("requests", s.requests);
  u64("spans_sent", s.spans_sent);
  u64("bytes_sent", s.bytes_sent);
  num("sent_spans_per_s", r.sent_spans_per_s);
  u64("spans_accepted", s.spans_accepted);
  num("accepted_spans_per_s", r.accepted_spans_per_s);
  u64("spans_rejected", s.spans_rejected);
  u64("partial_success_requests", s.partial_requests);
  u64("retryable_requests", s.retryable_requests);
  u64("retryable_spans", s.retryable_spans);
  u64("error_requests", s.error_requests);
  u64("transport_errors", s.transport_errors);
  key("errors_by_status");
  o += '{';
  for (size_t i = 0; i < s.by_status.size(); ++i) {
    if (i) o += ',';
    JsonString(&o, StatusLabel(p, s.by_status[i].first));
    o += ':' + std::to_string(s.by_status[i].second);
  }
  o += '}';
  key("latency_ms");
  o += "{\"p50\":" + Format("%.3f", r.latency_p50_ms) + ",\"p99\":" + Format("%.3f", r.latency_p99_ms) +
       ",\"max\":" + Format("%.3f", r.latency_max_ms) + ",\"mean\":" + Format("%.3f", r.latency_mean_ms) +
       ",\"samples\":" + std::to_string(r.latency_samples) + "}";
  num("cpu_user_s", r.cpu_user_s);
  num("cpu_sys_s", r.cpu_sys_s);
  num("client_cpu_percent", r.cpu_percent);
  str("first_error", r.first_error);
  if (!r.acked_log.empty()) {
    str("acked_log", r.acked_log);
    u64("acked_spans_logged", r.acked_spans_logged);
    str("acked_log_error", r.acked_log_error);
  }
  o += "}\n";
  return o;
}

std::string ProgressLine(double t, double dt, const StatsSnapshot& a, const StatsSnapshot& b) {
  double d = dt > 0 ? dt : 1;
  auto rate = [&](uint64_t x, uint64_t y) { return Human(static_cast<double>(y - x) / d); };
  return Format("[%5.1fs]", t) + " sent " + rate(a.spans_sent, b.spans_sent) + " spans/s, accepted " +
         rate(a.spans_accepted, b.spans_accepted) + " spans/s, rejected " +
         std::to_string(b.spans_rejected - a.spans_rejected) + ", retryable " +
         std::to_string(b.retryable_requests - a.retryable_requests) + ", errors " +
         std::to_string((b.error_requests - a.error_requests) + (b.transport_errors - a.transport_errors)) + "\n";
}

}  // namespace rubato::load
