// Context: the current span and baggage of a thread. Scopes make a context
// current for a lexical block (thread-local); Capture hands it to another thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sdk/trace/span_context.h"

namespace rubato::sdk {

// W3C Baggage: name/value pairs (values already percent-decoded), with the
// optional properties kept verbatim (";prop1;k=v").
struct BaggageEntry {
  std::string name;
  std::string value;
  std::string properties;
};

class Context {
 public:
  Context() = default;
  // The context current on this thread (empty when no scope is active).
  static const Context& Current();

  const SpanContext& span_context() const { return span_context_; }
  const std::vector<BaggageEntry>& baggage() const;

  Context WithSpanContext(SpanContext sc) const;
  Context WithBaggage(std::vector<BaggageEntry> baggage) const;

 private:
  SpanContext span_context_;
  // Shared and immutable: copying a Context (every ContextScope, every child
  // span made current) must not copy the baggage list.
  std::shared_ptr<const std::vector<BaggageEntry>> baggage_;
};

// Makes a context current until destroyed; scopes nest and must be destroyed
// in reverse order on the thread that created them.
class ContextScope {
 public:
  explicit ContextScope(Context context);
  ~ContextScope();
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  Context previous_;
};

}  // namespace rubato::sdk
