// Span: a move-only handle to a span being recorded. The record lives in a
// per-provider pool, not on the heap per span; End() hands it to the
// processors. A default-constructed or unsampled Span is a cheap no-op.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "model/span.h"
#include "sdk/trace/attribute.h"
#include "sdk/trace/context.h"
#include "sdk/trace/span_context.h"

namespace rubato::sdk {

using SpanKind = model::SpanKind;
using StatusCode = model::StatusCode;

struct SpanRecord;  // private to the SDK (span_record.h)

class Span {
 public:
  Span() = default;  // a no-op span
  Span(Span&& other) noexcept : record_(other.record_), context_(std::move(other.context_)) {
    other.record_ = nullptr;
  }
  Span& operator=(Span&& other) noexcept;
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  ~Span() {  // ends the span if End was not called
    if (record_ != nullptr) Finish(0);
  }

  // False for no-op and unsampled spans: callers may skip building attributes.
  bool IsRecording() const { return record_ != nullptr; }
  // Valid even when not recording (an unsampled span still propagates).
  const SpanContext& context() const { return context_; }

  // (The no-op checks are inline: a span that is not recording costs a test
  // and a branch per call.)
  Span& SetAttribute(std::string_view key, AttributeValue value) {
    if (record_ != nullptr) Record(key, value);
    return *this;
  }
  Span& AddEvent(std::string_view name, std::initializer_list<Attribute> attributes = {},
                 uint64_t time_unix_nano = 0);
  Span& AddLink(const SpanContext& linked, std::initializer_list<Attribute> attributes = {});
  // The semconv "exception" event (exception.type, .message, .stacktrace).
  Span& RecordException(std::string_view type, std::string_view message,
                        std::string_view stacktrace = {});
  // Ok is final: later Error or Unset calls are ignored, as the API spec says.
  Span& SetStatus(StatusCode code, std::string_view description = {});
  Span& UpdateName(std::string_view name);
  // Idempotent; 0 means now.
  void End(uint64_t end_time_unix_nano = 0) {
    if (record_ != nullptr) Finish(end_time_unix_nano);
  }

  // Makes this span the current one on this thread until the scope dies.
  ContextScope MakeCurrent() const;

 private:
  friend class Tracer;
  Span(SpanRecord* record, SpanContext context);
  void Record(std::string_view key, const AttributeValue& value);
  void Finish(uint64_t end_time_unix_nano);
  SpanRecord* record_ = nullptr;  // null: not recording
  SpanContext context_;
};

}  // namespace rubato::sdk
