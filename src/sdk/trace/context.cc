#include "sdk/trace/context.h"

#include <utility>

namespace rubato::sdk {

namespace {
// The current context of this thread. Replaced wholesale by scopes (moves,
// no allocation as long as the tracestate fits std::string's inline buffer).
thread_local Context current_context;

const std::vector<BaggageEntry>& EmptyBaggage() {
  static const std::vector<BaggageEntry> empty;
  return empty;
}
}  // namespace

const Context& Context::Current() { return current_context; }

const std::vector<BaggageEntry>& Context::baggage() const { return baggage_ ? *baggage_ : EmptyBaggage(); }

Context Context::WithSpanContext(SpanContext sc) const {
  Context copy;
  copy.span_context_ = std::move(sc);
  copy.baggage_ = baggage_;
  return copy;
}

Context Context::WithBaggage(std::vector<BaggageEntry> baggage) const {
  Context copy;
  copy.span_context_ = span_context_;
  if (!baggage.empty()) copy.baggage_ = std::make_shared<const std::vector<BaggageEntry>>(std::move(baggage));
  return copy;
}

ContextScope::ContextScope(Context context) : previous_(std::move(current_context)) {
  current_context = std::move(context);
}

ContextScope::~ContextScope() { current_context = std::move(previous_); }

}  // namespace rubato::sdk
