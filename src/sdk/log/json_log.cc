#include "sdk/log/json_log.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>

#include "sdk/log/json_text.h"
#include "sdk/trace/environment.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk::log {
namespace {

struct Sink {
  std::mutex mu;
  FILE* out = nullptr;  // null: stderr (resolved at write time, not at static init)
  std::optional<std::string> service;
  Level min_level = Level::kInfo;
};

Sink& GlobalSink() {
  static Sink sink;
  return sink;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarning: return "warning";
    case Level::kError: return "error";
  }
  return "info";
}

// The service.name the SDK's resource carries. (Warnings about the
// environment are the TracerProvider's to report, not the log's.)
std::string ServiceFromEnvironment() {
  EnvWarnings ignored;
  Resource resource = Resource::FromEnvironment(Environment::Process(), &ignored);
  for (const auto& [key, value] : resource.attributes) {
    if (key == "service.name") return value;
  }
  return "unknown_service";  // not reached: the resource always has service.name
}

// RFC 3339 in UTC with microseconds: 2024-05-01T12:00:00.123456Z.
void AppendTimestamp(std::string& out, uint64_t unix_nanos) {
  time_t seconds = static_cast<time_t>(unix_nanos / 1000000000);
  struct tm utc {};
  gmtime_r(&seconds, &utc);
  char buf[40];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  n += static_cast<size_t>(snprintf(buf + n, sizeof buf - n, ".%06uZ",
                                    static_cast<unsigned>(unix_nanos % 1000000000 / 1000)));
  out.append(buf, n);
}

void AppendField(std::string& out, std::string_view key) {
  out.push_back(',');
  AppendJsonString(out, key);
  out.push_back(':');
}

uint64_t NowUnixNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

std::string FormatLine(Level level, std::string_view message, std::initializer_list<Attribute> fields,
                       const Context& context, uint64_t unix_nanos, std::string_view service) {
  std::string line = "{\"timestamp\":\"";
  AppendTimestamp(line, unix_nanos);
  line += "\",\"level\":";
  AppendJsonString(line, LevelName(level));
  AppendField(line, "service");
  AppendJsonString(line, service);
  AppendField(line, "message");
  AppendJsonString(line, message);
  const SpanContext& span = context.span_context();
  if (span.IsValid()) {
    AppendField(line, "trace_id");
    AppendJsonString(line, span.trace_id.ToHex());
    AppendField(line, "span_id");
    AppendJsonString(line, span.span_id.ToHex());
  }
  for (const Attribute& field : fields) {
    AppendField(line, field.key);
    AppendJsonValue(line, field.value);
  }
  line.push_back('}');
  return line;
}

void Write(Level level, std::string_view message, std::initializer_list<Attribute> fields) {
  Sink& sink = GlobalSink();
  std::string service;
  {
    std::lock_guard lock(sink.mu);
    if (level < sink.min_level) return;
    if (!sink.service) sink.service = ServiceFromEnvironment();
    service = *sink.service;
  }
  std::string line = FormatLine(level, message, fields, Context::Current(), NowUnixNanos(), service);
  line.push_back('\n');
  std::lock_guard lock(sink.mu);
  FILE* out = sink.out != nullptr ? sink.out : stderr;
  fwrite(line.data(), 1, line.size(), out);
  fflush(out);
}

void SetOutput(FILE* out) {
  std::lock_guard lock(GlobalSink().mu);
  GlobalSink().out = out;
}

void SetServiceName(std::string name) {
  std::lock_guard lock(GlobalSink().mu);
  GlobalSink().service = std::move(name);
}

void SetMinLevel(Level level) {
  std::lock_guard lock(GlobalSink().mu);
  GlobalSink().min_level = level;
}

}  // namespace rubato::sdk::log
