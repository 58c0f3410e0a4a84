// One step of a handler in its own span, current while it lives: the seed's
// `with tracer.start_as_current_span(name) as span:`.
#pragma once

#include <string_view>

#include "http_json/reply.h"
#include "sdk/trace/span.h"
#include "sdk/trace/tracer.h"

namespace rubato::demo {

class ManualSpan {
 public:
  ManualSpan(const sdk::Tracer& tracer, std::string_view name);
  ManualSpan(const ManualSpan&) = delete;
  ManualSpan& operator=(const ManualSpan&) = delete;

  sdk::Span& span() { return span_; }

  // Marks the span as OpenTelemetry Python's start_as_current_span does when
  // an HTTPException leaves the block (the seed's error paths): an
  // "exception" event (HTTPException, "400: Quantity must be positive") and
  // status Error "HTTPException: 400: Quantity must be positive". Returns the
  // error, so that enclosing spans can raise it in turn.
  HttpError Raise(HttpError error);

 private:
  sdk::Span span_;
  sdk::ContextScope scope_;  // after span_: the span stops being current before it ends
};

}  // namespace rubato::demo
