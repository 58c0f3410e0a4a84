#include "trace_view/batch_spans.h"

namespace rubato::trace_view {
namespace {

std::string ServiceName(const model::Batch& b, const model::Span& s) {
  for (const auto& kv : b.Attributes(b.ResourceOf(s).attributes)) {
    if (kv.key == "service.name" && kv.value.kind == model::ValueKind::kString) return std::string(kv.value.str);
  }
  return "unknown_service";
}

}  // namespace

std::vector<WaterfallSpan> WaterfallSpansFromBatch(const model::Batch& batch) {
  std::vector<WaterfallSpan> out;
  out.reserve(batch.spans.size());
  for (const model::Span& s : batch.spans) {
    WaterfallSpan w;
    w.span_id = s.span_id.ToHex();
    if (!s.is_root()) w.parent_id = s.parent_span_id.ToHex();
    w.service = ServiceName(batch, s);
    w.name = std::string(s.name);
    w.start_unix_nano = s.start_time_unix_nano;
    w.end_unix_nano = s.end_time_unix_nano;
    w.error = s.status_code == model::StatusCode::kError;
    w.status_message = std::string(s.status_message);
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace rubato::trace_view
