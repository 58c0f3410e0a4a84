#include "ingest/otlp_ingester.h"

#include <vector>

#include "model/span_copy.h"
#include "otlp/json_decoder.h"
#include "otlp/protobuf_decoder.h"

namespace rubato::ingest {
namespace {

// Why a decoded span cannot be stored, or nullptr when it can.
const char* InvalidReason(const model::Span& s) {
  if (s.trace_id.IsZero()) return "trace_id is missing or all zero";
  if (s.span_id.IsZero()) return "span_id is missing or all zero";
  return nullptr;
}

}  // namespace

Result<ExportOutcome> OtlpIngester::Export(std::string_view tenant, std::string body, Encoding encoding) {
  stats_.bytes_received += static_cast<int64_t>(body.size());
  auto batch = std::make_shared<model::Batch>();
  Status s = encoding == Encoding::kProtobuf ? otlp::DecodeProtobuf(std::move(body), batch.get())
                                             : otlp::DecodeJson(body, batch.get());
  if (!s.ok()) {
    stats_.requests_invalid++;
    return s;
  }
  ExportOutcome outcome;
  std::vector<uint32_t> keep;
  const char* first_reason = nullptr;
  for (uint32_t i = 0; i < batch->spans.size(); ++i) {
    if (const char* why = InvalidReason(batch->spans[i])) {
      if (!first_reason) first_reason = why;
      outcome.rejected_spans++;
    } else {
      keep.push_back(i);
    }
  }
  std::shared_ptr<const model::Batch> to_store = batch;
  if (outcome.rejected_spans > 0) {
    // Rare path: copy the valid spans out so the store only ever sees valid ones.
    auto valid = std::make_shared<model::Batch>();
    model::CopySpans(*batch, keep, valid.get());
    to_store = valid;
    outcome.error_message = std::to_string(outcome.rejected_spans) + " span(s) rejected: " + first_reason;
    stats_.spans_rejected_invalid_id += outcome.rejected_spans;
  }
  outcome.accepted_spans = static_cast<int64_t>(keep.size());
  if (!to_store->spans.empty()) {
    if (Status a = store_->Append(tenant, to_store); !a.ok()) return a;
  }
  stats_.requests_ok++;
  stats_.spans_accepted += outcome.accepted_spans;
  return outcome;
}

}  // namespace rubato::ingest
