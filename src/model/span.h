// Resource, instrumentation scope, span, event and link: the OTLP trace model,
// held flat. Lists are Ranges into the owning Batch's vectors.
#pragma once

#include <cstdint>
#include <string_view>

#include "model/ids.h"
#include "model/value.h"

namespace rubato::model {

// OTLP Span.SpanKind. Open: values outside the list are kept as they came.
enum class SpanKind : int32_t {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};

// OTLP Status.StatusCode. Open, like SpanKind.
enum class StatusCode : int32_t {
  kUnset = 0,
  kOk = 1,
  kError = 2,
};

// The entity that produced the spans (a service instance).
struct Resource {
  Range attributes;               // Batch::attributes
  uint32_t dropped_attributes_count = 0;
  std::string_view schema_url;    // ResourceSpans.schema_url
  Range scopes;                   // Batch::scopes
};

// The library that produced the spans, within one resource.
struct Scope {
  std::string_view name;
  std::string_view version;
  Range attributes;               // Batch::attributes
  uint32_t dropped_attributes_count = 0;
  std::string_view schema_url;    // ScopeSpans.schema_url
  uint32_t resource_index = 0;    // Batch::resources
  Range spans;                    // Batch::spans
};

struct Event {
  uint64_t time_unix_nano = 0;
  std::string_view name;
  Range attributes;               // Batch::attributes
  uint32_t dropped_attributes_count = 0;
};

struct Link {
  TraceId trace_id;
  SpanId span_id;
  std::string_view trace_state;
  Range attributes;               // Batch::attributes
  uint32_t dropped_attributes_count = 0;
  uint32_t flags = 0;
};

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;          // all zero for a root span
  std::string_view trace_state;
  std::string_view name;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  Range attributes;               // Batch::attributes
  Range events;                   // Batch::events
  Range links;                    // Batch::links
  uint32_t dropped_attributes_count = 0;
  uint32_t dropped_events_count = 0;
  uint32_t dropped_links_count = 0;
  uint32_t flags = 0;             // W3C trace flags in bits 0-7, OTLP context bits 8-9
  SpanKind kind = SpanKind::kUnspecified;
  StatusCode status_code = StatusCode::kUnset;
  std::string_view status_message;
  uint32_t scope_index = 0;       // Batch::scopes; the scope names its resource

  bool is_root() const { return parent_span_id.IsZero(); }
  uint64_t duration_nanos() const {
    return end_time_unix_nano > start_time_unix_nano ? end_time_unix_nano - start_time_unix_nano : 0;
  }
};

}  // namespace rubato::model
