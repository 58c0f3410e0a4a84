#include "query/search/candidates.h"

#include "query/search/prefilter.h"

namespace rubato::query::search {

CandidateFilter::CandidateFilter(const traceql::Plan* plan, uint64_t start_unix_nano, uint64_t end_unix_nano)
    : plan_(plan), start_(start_unix_nano), end_(end_unix_nano) {
  if (plan_ == nullptr) return;
  prefilter_ = BuildPrefilter(*plan_, PrefilterOptions{.whole_traces = true});
  if (prefilter_) {
    prefilter_->start_unix_nano = start_;
    prefilter_->end_unix_nano = end_;
  }
}

Candidates CandidateFilter::For(const store::block::BlockReader& block, uint32_t row_group) const {
  Candidates c;
  if (!prefilter_) return c;
  // A read or scan error leaves every trace a candidate: decoding then meets
  // the same damage and reports it, naming block, row group and column.
  auto page = block.ReadIndexPage(row_group);
  if (!page.ok()) return c;
  auto traces = store::block::ScanRowGroup(block, row_group, *page, *prefilter_);
  if (!traces.ok()) return c;
  c.all = false;
  c.traces = std::move(traces).value();
  c.page = std::move(page).value();
  return c;
}

Result<store::block::DecodedRowGroup> CandidateFilter::Read(const store::block::BlockReader& block,
                                                            uint32_t row_group, const Candidates& candidates) const {
  if (candidates.all) return block.ReadRowGroup(row_group);
  if (candidates.page) return block.ReadTraces(row_group, *candidates.page, candidates.traces);
  return block.ReadTraces(row_group, candidates.traces);
}

}  // namespace rubato::query::search
