#include "sdk/export/console_exporter.h"

#include <cmath>
#include <ctime>

#include "otlp/json_writer.h"

namespace rubato::sdk {

namespace {

using model::AnyValue;
using model::Batch;
using model::ValueKind;

constexpr int kMaxDepth = 8;  // nested arrays/maps deeper than this print as "…"

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (static_cast<unsigned char>(c) < ' ') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
      out->append(buf);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendAttributes(const Batch& b, model::Range r, int depth, std::string* out);

void AppendValue(const Batch& b, const AnyValue& v, int depth, std::string* out) {
  char buf[32];
  switch (v.kind) {
    case ValueKind::kEmpty: out->append("null"); break;
    case ValueKind::kString: AppendQuoted(v.str, out); break;
    case ValueKind::kBool: out->append(v.boolean ? "true" : "false"); break;
    case ValueKind::kInt: out->append(std::to_string(v.integer)); break;
    case ValueKind::kDouble:
      if (std::isfinite(v.dbl)) otlp::AppendShortestDouble(v.dbl, out);
      else out->append(std::isnan(v.dbl) ? "NaN" : v.dbl > 0 ? "Infinity" : "-Infinity");
      break;
    case ValueKind::kBytes:
      out->append("0x");
      for (unsigned char c : v.str) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out->append(buf);
      }
      break;
    case ValueKind::kArray: {
      if (depth >= kMaxDepth) {
        out->append("[…]");
        break;
      }
      out->push_back('[');
      auto values = b.Values(v.children);
      for (size_t i = 0; i < values.size(); ++i) {
        if (i) out->append(", ");
        AppendValue(b, values[i], depth + 1, out);
      }
      out->push_back(']');
      break;
    }
    case ValueKind::kKvList:
      if (depth >= kMaxDepth) {
        out->append("{…}");
        break;
      }
      AppendAttributes(b, v.children, depth + 1, out);
      break;
  }
}

void AppendAttributes(const Batch& b, model::Range r, int depth, std::string* out) {
  out->push_back('{');
  auto kvs = b.Attributes(r);
  for (size_t i = 0; i < kvs.size(); ++i) {
    if (i) out->append(", ");
    out->append(kvs[i].key);
    out->push_back('=');
    AppendValue(b, kvs[i].value, depth, out);
  }
  out->push_back('}');
}

void AppendTime(uint64_t unix_nano, std::string* out) {
  std::time_t secs = static_cast<std::time_t>(unix_nano / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned>(unix_nano % 1'000'000'000 / 1000));
  out->append(buf);
}

std::string_view ServiceName(const Batch& b, const model::Resource& r) {
  for (const auto& kv : b.Attributes(r.attributes))
    if (kv.key == "service.name" && kv.value.kind == ValueKind::kString) return kv.value.str;
  return "unknown_service";
}

const char* KindName(model::SpanKind k) {
  switch (k) {
    case model::SpanKind::kInternal: return "internal";
    case model::SpanKind::kServer: return "server";
    case model::SpanKind::kClient: return "client";
    case model::SpanKind::kProducer: return "producer";
    case model::SpanKind::kConsumer: return "consumer";
    default: return "unspecified";
  }
}

const char* StatusName(model::StatusCode c) {
  switch (c) {
    case model::StatusCode::kOk: return "ok";
    case model::StatusCode::kError: return "error";
    default: return "unset";
  }
}

}  // namespace

void AppendConsoleLine(const Batch& b, size_t index, std::string* out) {
  const model::Span& s = b.spans[index];
  out->push_back('[');
  out->append(ServiceName(b, b.ResourceOf(s)));
  out->append("] ");
  out->append(s.name);
  out->append(" trace=");
  s.trace_id.AppendHex(out);
  out->append(" span=");
  s.span_id.AppendHex(out);
  out->append(" parent=");
  if (s.is_root()) out->push_back('-');
  else s.parent_span_id.AppendHex(out);
  out->append(" kind=");
  out->append(KindName(s.kind));
  out->append(" start=");
  AppendTime(s.start_time_unix_nano, out);
  char buf[48];
  std::snprintf(buf, sizeof buf, " duration=%.3fms status=", static_cast<double>(s.duration_nanos()) / 1e6);
  out->append(buf);
  out->append(StatusName(s.status_code));
  if (!s.status_message.empty()) {
    out->push_back(' ');
    AppendQuoted(s.status_message, out);
  }
  out->push_back(' ');
  AppendAttributes(b, s.attributes, 0, out);
  out->append(" events=" + std::to_string(s.events.count) + " links=" + std::to_string(s.links.count));
}

Status ConsoleExporter::Export(const Batch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shut_down_) return Status::Unavailable("the console exporter is shut down");
  line_.clear();
  for (size_t i = 0; i < batch.spans.size(); ++i) {
    AppendConsoleLine(batch, i, &line_);
    line_.push_back('\n');
  }
  if (std::fwrite(line_.data(), 1, line_.size(), out_) != line_.size() || std::fflush(out_) != 0)
    return Status::Unavailable("the console exporter could not write its output");
  return Status::Ok();
}

Status ConsoleExporter::ForceFlush(std::chrono::milliseconds) {
  std::lock_guard<std::mutex> lock(mu_);
  std::fflush(out_);
  return Status::Ok();
}

void ConsoleExporter::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  shut_down_ = true;
  std::fflush(out_);
}

}  // namespace rubato::sdk
