// The server's ExportHandler: decode → validate each span → store. Invalid
// spans are refused one by one (OTLP partial success), never silently.
#pragma once

#include <atomic>
#include <memory>

#include "ingest/ingester.h"
#include "store/trace_store.h"

namespace rubato::ingest {

// Counters for /metrics; monotonically increasing.
struct IngestStats {
  std::atomic<int64_t> requests_ok{0};
  std::atomic<int64_t> requests_invalid{0};
  std::atomic<int64_t> spans_accepted{0};
  std::atomic<int64_t> spans_rejected_invalid_id{0};
  std::atomic<int64_t> bytes_received{0};
};

class OtlpIngester : public ExportHandler {
 public:
  explicit OtlpIngester(store::TraceStore* store) : store_(store) {}
  Result<ExportOutcome> Export(std::string_view tenant, std::string body, Encoding encoding) override;
  const IngestStats& stats() const { return stats_; }

 private:
  store::TraceStore* store_;
  IngestStats stats_;
};

}  // namespace rubato::ingest
