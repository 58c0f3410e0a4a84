// The server's ExportHandler: decode → validate each span → apply the tenant's
// limits → store. Refused spans are reported (OTLP partial success), counted
// by reason in /metrics and logged with their trace ID, never dropped silently.
#pragma once

#include <atomic>
#include <memory>

#include "ingest/ingester.h"
#include "ingest/limits.h"
#include "metrics/registry.h"
#include "store/trace_store.h"

namespace rubato::ingest {

class OtlpIngester : public ExportHandler {
 public:
  OtlpIngester(store::TraceStore* store, metrics::Registry* registry, LimitsConfig limits = {});
  Result<ExportOutcome> Export(std::string_view tenant, std::string body, Encoding encoding) override;

 private:
  // Why spans were refused; the label of rubato_spans_rejected_total.
  enum Reason { kInvalidId, kTraceTooLarge, kLiveTracesExceeded, kRateLimited, kReasonCount };
  void LogRefusal(Reason reason, const model::TraceId& id);

  store::TraceStore* store_;
  IngestLimiter limiter_;
  metrics::Counter* accepted_;
  metrics::Counter* rejected_[kReasonCount];
  std::atomic<int64_t> last_log_second_{0};
};

}  // namespace rubato::ingest
