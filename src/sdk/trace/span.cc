#include "sdk/trace/span.h"

#include <utility>

#include "sdk/trace/clock.h"
#include "sdk/trace/provider_state.h"
#include "sdk/trace/span_clock.h"
#include "sdk/trace/span_record.h"

namespace rubato::sdk {

Span::Span(SpanRecord* record, SpanContext context) : record_(record), context_(std::move(context)) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();  // the span this handle held ends, as a unique handle's resource would be released
    record_ = other.record_;
    other.record_ = nullptr;
    context_ = std::move(other.context_);
  }
  return *this;
}

void Span::Record(std::string_view key, const AttributeValue& value) {
  record_->SetAttribute(record_->provider->limits, key, value);
}

Span& Span::AddEvent(std::string_view name, std::initializer_list<Attribute> attributes, uint64_t time_unix_nano) {
  if (record_ != nullptr) {
    uint64_t time = time_unix_nano != 0 ? time_unix_nano
                                        : NowSinceStart(record_->start_time_unix_nano, record_->start_ticks);
    record_->AddEvent(record_->provider->limits, name, time,
                      {attributes.begin(), attributes.size()});
  }
  return *this;
}

Span& Span::AddLink(const SpanContext& linked, std::initializer_list<Attribute> attributes) {
  if (record_ != nullptr) record_->AddLink(record_->provider->limits, linked, {attributes.begin(), attributes.size()});
  return *this;
}

Span& Span::RecordException(std::string_view type, std::string_view message, std::string_view stacktrace) {
  if (record_ == nullptr) return *this;
  // Semconv: the event is named "exception"; empty fields are left out.
  Attribute attrs[3] = {{"", 0}, {"", 0}, {"", 0}};
  size_t n = 0;
  if (!type.empty()) attrs[n++] = {"exception.type", type};
  if (!message.empty()) attrs[n++] = {"exception.message", message};
  if (!stacktrace.empty()) attrs[n++] = {"exception.stacktrace", stacktrace};
  record_->AddEvent(record_->provider->limits, "exception",
                    NowSinceStart(record_->start_time_unix_nano, record_->start_ticks), {attrs, n});
  return *this;
}

Span& Span::SetStatus(StatusCode code, std::string_view description) {
  if (record_ != nullptr) record_->SetStatus(code, description);
  return *this;
}

Span& Span::UpdateName(std::string_view name) {
  if (record_ != nullptr) record_->SetName(name);
  return *this;
}

void Span::Finish(uint64_t end_time_unix_nano) {
  SpanRecord* record = record_;
  record_ = nullptr;  // later calls, and setters, are no-ops
  record->end_time_unix_nano =
      end_time_unix_nano != 0 ? end_time_unix_nano : NowSinceStart(record->start_time_unix_nano, record->start_ticks);
  record->provider->EndSpan(record);
}

ContextScope Span::MakeCurrent() const { return ContextScope(Context::Current().WithSpanContext(context_)); }

}  // namespace rubato::sdk
