// Structured logging: one JSON object per line, carrying the current span's
// trace_id and span_id so that a log line leads to its trace (the seed's post
// 8). Lines go to stderr unless SetOutput says otherwise.
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sdk/trace/attribute.h"
#include "sdk/trace/context.h"

namespace rubato::sdk::log {

enum class Level { kDebug, kInfo, kWarning, kError };

// Writes one line: {"timestamp","level","service","message","trace_id","span_id",...fields}.
// trace_id/span_id appear only while a valid span context is current.
// Thread-safe: a line is assembled first and written with a single call.
void Write(Level level, std::string_view message, std::initializer_list<Attribute> fields = {});

inline void Debug(std::string_view message, std::initializer_list<Attribute> fields = {}) {
  Write(Level::kDebug, message, fields);
}
inline void Info(std::string_view message, std::initializer_list<Attribute> fields = {}) {
  Write(Level::kInfo, message, fields);
}
inline void Warning(std::string_view message, std::initializer_list<Attribute> fields = {}) {
  Write(Level::kWarning, message, fields);
}
inline void Error(std::string_view message, std::initializer_list<Attribute> fields = {}) {
  Write(Level::kError, message, fields);
}

// Where lines go (default stderr). Not owned; must stay open while in use.
void SetOutput(FILE* out);
// Overrides the "service" field. Default: service.name of the resource the
// environment describes (OTEL_SERVICE_NAME, SERVICE_NAME, ...), read once.
void SetServiceName(std::string name);
// Lines below this level are dropped (default kInfo).
void SetMinLevel(Level level);

// The line Write would print, without its newline: for tests and other sinks.
std::string FormatLine(Level level, std::string_view message, std::initializer_list<Attribute> fields,
                       const Context& context, uint64_t unix_nanos, std::string_view service);

}  // namespace rubato::sdk::log
