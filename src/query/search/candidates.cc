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

bool CandidateFilter::MayMatch(const store::block::RowGroupSummary& summary) const {
  return !prefilter_ || store::block::MayMatchRowGroup(*prefilter_, summary);
}

Candidates CandidateFilter::For(const store::block::BlockReader& block, uint32_t row_group,
                                std::optional<store::block::IndexPage> page) const {
  Candidates c;
  c.page = std::move(page);
  if (!prefilter_) return c;
  // A read or scan error leaves every trace a candidate: decoding then meets
  // the same damage and reports it, naming block, row group and column.
  if (!c.page) {
    auto read = block.ReadIndexPage(row_group);
    if (!read.ok()) return c;
    c.page = std::move(read).value();
  }
  auto traces = store::block::ScanRowGroup(block, row_group, *c.page, *prefilter_);
  if (!traces.ok()) return c;
  c.all = false;
  c.traces = std::move(traces).value();
  return c;
}

Result<store::block::DecodedRowGroup> CandidateFilter::Read(const store::block::BlockReader& block,
                                                            uint32_t row_group, const Candidates& candidates) const {
  if (candidates.all) return block.ReadRowGroup(row_group);
  if (candidates.page) return block.ReadTraces(row_group, *candidates.page, candidates.traces);
  return block.ReadTraces(row_group, candidates.traces);
}

}  // namespace rubato::query::search
