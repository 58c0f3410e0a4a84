#include "ingest/otlp_ingester.h"

#include <cstdio>
#include <vector>

#include "model/span_copy.h"
#include "otlp/json_decoder.h"
#include "otlp/protobuf_decoder.h"

namespace rubato::ingest {
namespace {

constexpr const char* kReasonLabels[] = {"invalid_id", "trace_too_large", "live_traces_exceeded", "rate_limited"};
constexpr const char* kReasonText[] = {
    "trace_id or span_id missing, all zero or of the wrong length",
    "the trace exceeds max_bytes_per_trace; spans already accepted are kept and the trace is marked partial",
    "the tenant has max_traces_per_user live traces; new traces are refused until some go idle",
    "ingestion rate limit",
};

bool ValidIds(const model::Span& s) { return !s.trace_id.IsZero() && !s.span_id.IsZero(); }

}  // namespace

OtlpIngester::OtlpIngester(store::TraceStore* store, metrics::Registry* registry, LimitsConfig limits)
    : store_(store), limiter_(limits) {
  accepted_ = registry->GetCounter("rubato_spans_accepted_total", "Spans accepted and stored.");
  for (int r = 0; r < kReasonCount; ++r) {
    rejected_[r] = registry->GetCounter("rubato_spans_rejected_total", "Spans refused, by reason.",
                                        {{"reason", kReasonLabels[r]}});
  }
}

void OtlpIngester::LogRefusal(Reason reason, const model::TraceId& id) {
  // At most one line per second: enough to find the trace, never a log flood.
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
  int64_t last = last_log_second_.load();
  if (now == last || !last_log_second_.compare_exchange_strong(last, now)) return;
  std::fprintf(stderr, "rubato ingest: refused spans of trace %s: %s (reason=%s; counted in /metrics)\n",
               id.ToHex().c_str(), kReasonText[reason], kReasonLabels[reason]);
}

Result<ExportOutcome> OtlpIngester::Export(std::string_view tenant_view, std::string body, Encoding encoding) {
  std::string tenant(tenant_view);
  auto now = Clock::now();
  uint64_t size = body.size();
  auto batch = std::make_shared<model::Batch>();
  Status s = encoding == Encoding::kProtobuf
                 ? otlp::DecodeProtobuf(std::move(body), batch.get(), otlp::DecodeOptions{.lenient_span_ids = true})
                 : otlp::DecodeJson(body, batch.get(), otlp::DecodeOptions{.lenient_span_ids = true});
  if (!s.ok()) return s;
  if (double wait = limiter_.AdmitBytes(tenant, size, now); wait > 0) {
    rejected_[kRateLimited]->Add(batch->spans.size());
    return Status::Unavailable("rate limited: tenant " + tenant + " is over its ingestion rate limit; retry in " +
                               std::to_string(static_cast<int>(wait + 1)) + " s");
  }
  // Per-thread scratch: a request allocates nothing per span here.
  thread_local std::vector<bool> valid;
  thread_local std::vector<SpanVerdict> verdicts;
  thread_local std::vector<uint32_t> keep;
  valid.resize(batch->spans.size());
  for (size_t i = 0; i < valid.size(); ++i) valid[i] = ValidIds(batch->spans[i]);
  limiter_.AdmitSpans(tenant, *batch, valid, now, &verdicts);

  ExportOutcome outcome;
  keep.clear();
  int64_t counts[kReasonCount] = {};
  for (uint32_t i = 0; i < batch->spans.size(); ++i) {
    Reason reason;
    if (!valid[i]) reason = kInvalidId;
    else if (verdicts[i] == SpanVerdict::kTraceTooLarge) reason = kTraceTooLarge;
    else if (verdicts[i] == SpanVerdict::kLiveTracesExceeded) reason = kLiveTracesExceeded;
    else {
      keep.push_back(i);
      continue;
    }
    if (counts[reason]++ == 0) LogRefusal(reason, batch->spans[i].trace_id);
    if (reason == kTraceTooLarge) store_->MarkTruncated(tenant, batch->spans[i].trace_id);
  }
  std::shared_ptr<const model::Batch> to_store = batch;
  if (keep.size() != batch->spans.size()) {
    // Rare path: copy the kept spans out so the store only sees what was accepted.
    auto kept = std::make_shared<model::Batch>();
    model::CopySpans(*batch, keep, kept.get());
    to_store = kept;
    for (int r = 0; r < kReasonCount; ++r) {
      if (counts[r] == 0) continue;
      outcome.rejected_spans += counts[r];
      rejected_[r]->Add(counts[r]);
      if (!outcome.error_message.empty()) outcome.error_message += "; ";
      outcome.error_message += std::to_string(counts[r]) + " span(s) refused: " + kReasonText[r];
    }
  }
  outcome.accepted_spans = static_cast<int64_t>(keep.size());
  if (!to_store->spans.empty()) {
    // Accepted whole from protobuf: the request bytes (adopted by the batch)
    // are an exact encoding of what is stored.
    std::string_view encoded =
        encoding == Encoding::kProtobuf && to_store == batch ? batch->buffer() : std::string_view();
    if (Status a = store_->Append(tenant, to_store, encoded); !a.ok()) return a;
  }
  accepted_->Add(keep.size());
  return outcome;
}

}  // namespace rubato::ingest
