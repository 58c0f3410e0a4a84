// MemoryExporter: a test double of the SpanExporter interface (not of any
// network) that copies every exported span into plain owned structs, counts
// Export calls and their sizes, and can hold an export until the test lets
// it go (to fill a batch processor's queue).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/batch.h"
#include "sdk/trace/span_exporter.h"

namespace rubato::sdk::testing {

// An attribute value rendered as text: strings as is, bools "true"/"false",
// ints and doubles in decimal, arrays "[a,b]".
inline std::string Render(const model::Batch& b, const model::AnyValue& v) {
  switch (v.kind) {
    case model::ValueKind::kString: return std::string(v.str);
    case model::ValueKind::kBool: return v.boolean ? "true" : "false";
    case model::ValueKind::kInt: return std::to_string(v.integer);
    case model::ValueKind::kDouble: {
      std::string s = std::to_string(v.dbl);
      return s;
    }
    case model::ValueKind::kArray: {
      std::string s = "[";
      for (const model::AnyValue& e : b.Values(v.children)) {
        if (s.size() > 1) s += ",";
        s += Render(b, e);
      }
      return s + "]";
    }
    default: return "?";
  }
}

using AttributeMap = std::map<std::string, std::string>;

inline AttributeMap Attributes(const model::Batch& b, model::Range r) {
  AttributeMap out;
  for (const model::KeyValue& kv : b.Attributes(r)) out[std::string(kv.key)] = Render(b, kv.value);
  return out;
}

struct ExportedEvent {
  std::string name;
  uint64_t time = 0;
  AttributeMap attributes;
  uint32_t dropped_attributes = 0;
};

struct ExportedLink {
  model::TraceId trace_id;
  model::SpanId span_id;
  std::string trace_state;
  AttributeMap attributes;
  uint32_t dropped_attributes = 0;
  uint32_t flags = 0;
};

struct ExportedSpan {
  std::string name;
  model::TraceId trace_id;
  model::SpanId span_id;
  model::SpanId parent_span_id;
  std::string trace_state;
  model::SpanKind kind = model::SpanKind::kUnspecified;
  model::StatusCode status = model::StatusCode::kUnset;
  std::string status_message;
  uint64_t start = 0, end = 0;
  uint32_t flags = 0;
  AttributeMap attributes;
  uint32_t dropped_attributes = 0, dropped_events = 0, dropped_links = 0;
  std::vector<ExportedEvent> events;
  std::vector<ExportedLink> links;
  std::string scope_name, scope_version;
  AttributeMap resource;
};

// What the exporter saw; shared with the test, which keeps it after the
// provider (and so the exporter) is gone.
struct ExportLog {
  std::mutex mu;
  std::condition_variable changed;
  std::vector<ExportedSpan> spans;
  std::vector<size_t> export_sizes;  // spans per Export call
  int flushes = 0;
  int shutdowns = 0;
  bool hold = false;     // Export waits while true
  int in_export = 0;     // Export calls currently waiting

  size_t SpanCount() {
    std::lock_guard lock(mu);
    return spans.size();
  }
  void Release() {
    std::lock_guard lock(mu);
    hold = false;
    changed.notify_all();
  }
  // Polls (generously) until pred() holds under the lock; false on timeout.
  template <typename Pred>
  bool WaitUntil(Pred pred, std::chrono::seconds limit = std::chrono::seconds(20)) {
    std::unique_lock lock(mu);
    return changed.wait_for(lock, limit, [&] { return pred(); });
  }
};

class MemoryExporter : public SpanExporter {
 public:
  explicit MemoryExporter(std::shared_ptr<ExportLog> log) : log_(std::move(log)) {}

  Status Export(const model::Batch& b) override {
    std::vector<ExportedSpan> copied;
    for (const model::Span& s : b.spans) copied.push_back(Copy(b, s));
    std::unique_lock lock(log_->mu);
    ++log_->in_export;
    log_->changed.notify_all();
    log_->changed.wait(lock, [&] { return !log_->hold; });
    --log_->in_export;
    log_->export_sizes.push_back(copied.size());
    for (ExportedSpan& s : copied) log_->spans.push_back(std::move(s));
    log_->changed.notify_all();
    return Status::Ok();
  }

  Status ForceFlush(std::chrono::milliseconds) override {
    std::lock_guard lock(log_->mu);
    ++log_->flushes;
    return Status::Ok();
  }

  void Shutdown() override {
    std::lock_guard lock(log_->mu);
    ++log_->shutdowns;
  }

 private:
  static ExportedSpan Copy(const model::Batch& b, const model::Span& s) {
    ExportedSpan e;
    e.name = std::string(s.name);
    e.trace_id = s.trace_id;
    e.span_id = s.span_id;
    e.parent_span_id = s.parent_span_id;
    e.trace_state = std::string(s.trace_state);
    e.kind = s.kind;
    e.status = s.status_code;
    e.status_message = std::string(s.status_message);
    e.start = s.start_time_unix_nano;
    e.end = s.end_time_unix_nano;
    e.flags = s.flags;
    e.attributes = Attributes(b, s.attributes);
    e.dropped_attributes = s.dropped_attributes_count;
    e.dropped_events = s.dropped_events_count;
    e.dropped_links = s.dropped_links_count;
    for (const model::Event& ev : b.Events(s.events)) {
      e.events.push_back({std::string(ev.name), ev.time_unix_nano, Attributes(b, ev.attributes),
                          ev.dropped_attributes_count});
    }
    for (const model::Link& l : b.Links(s.links)) {
      e.links.push_back({l.trace_id, l.span_id, std::string(l.trace_state), Attributes(b, l.attributes),
                         l.dropped_attributes_count, l.flags});
    }
    const model::Scope& scope = b.ScopeOf(s);
    e.scope_name = std::string(scope.name);
    e.scope_version = std::string(scope.version);
    e.resource = Attributes(b, b.ResourceOf(s).attributes);
    return e;
  }

  std::shared_ptr<ExportLog> log_;
};

}  // namespace rubato::sdk::testing
