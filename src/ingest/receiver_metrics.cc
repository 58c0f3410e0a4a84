#include "ingest/receiver_metrics.h"

namespace rubato::ingest {

const char* const kSpansName = "rubato_receiver_spans_total";
const char* const kSpansHelp = "Spans in accepted OTLP requests, by protocol and result (stored or refused alone).";

ReceiverMetrics::ReceiverMetrics(metrics::Registry* registry, const std::string& protocol)
    : registry_(registry),
      protocol_(protocol),
      bytes_(registry->GetCounter("rubato_receiver_bytes_total", "OTLP request bytes received, after decompression.",
                                  {{"protocol", protocol}})),
      duration_(registry->GetHistogram("rubato_receiver_request_duration_seconds",
                                       "Time to handle an OTLP export request.", {{"protocol", protocol}},
                                       metrics::LatencyBuckets())),
      spans_accepted_(registry->GetCounter(kSpansName, kSpansHelp, {{"protocol", protocol}, {"result", "accepted"}})),
      spans_refused_(registry->GetCounter(kSpansName, kSpansHelp, {{"protocol", protocol}, {"result", "refused"}})) {}

void ReceiverMetrics::RecordSpans(uint64_t accepted, uint64_t refused) {
  spans_accepted_->Add(accepted);
  spans_refused_->Add(refused);
}

void ReceiverMetrics::Record(const std::string& result, uint64_t bytes, double seconds) {
  // The registry returns the same counter for the same labels; results are few.
  registry_->GetCounter("rubato_receiver_requests_total", "OTLP export requests by protocol and result.",
                        {{"protocol", protocol_}, {"result", result}})
      ->Add();
  bytes_->Add(bytes);
  duration_->Observe(seconds);
}

}  // namespace rubato::ingest
