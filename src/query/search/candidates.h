// Which traces of a block's row group could match a query, decided before
// the row group is decoded, and the decoding of just those: the column
// prefilter (prefilter.h → store/block/row_group_scan.h) is built once per
// scan from the plan and asked once per row group. Queries it cannot narrow
// (or tag lookups without a query) decode row groups whole.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "query/traceql/plan.h"
#include "status/status.h"
#include "store/block/block_reader.h"
#include "store/block/row_group_scan.h"

namespace rubato::query::search {

struct Candidates {
  bool all = true;               // every trace of the row group
  std::vector<uint32_t> traces;  // else these, by position in the row group's trace list (ascending)
  std::optional<store::block::IndexPage> page;  // read by the prefilter, so Read does not read it again
  bool none() const { return !all && traces.empty(); }  // the row group need not be decoded
};

class CandidateFilter {
 public:
  // `plan` may be null (tag lookups without a query): every trace. [start,
  // end] (ns, unbounded ends filled in) is the scan's range: traces outside
  // it need not be candidates. Each piece of a trace is evaluated on its own
  // (docs/search.md), so a row group's traces count as whole
  // (PrefilterOptions::whole_traces).
  CandidateFilter(const traceql::Plan* plan, uint64_t start_unix_nano, uint64_t end_unix_nano);

  // False when what the row group's index page said (once read, by any
  // search) rules every trace out: the row group need not even be read.
  bool MayMatch(const store::block::RowGroupSummary& summary) const;
  // `page`: the row group's index page if the caller read it already.
  Candidates For(const store::block::BlockReader& block, uint32_t row_group,
                 std::optional<store::block::IndexPage> page = std::nullopt) const;
  // The candidates decoded: `traces` lists exactly them (the batch may hold
  // other rows too): the whole row group for `all`, else BlockReader::ReadTraces
  // of just those traces.
  Result<store::block::DecodedRowGroup> Read(const store::block::BlockReader& block, uint32_t row_group,
                                             const Candidates& candidates) const;

 private:
  const traceql::Plan* plan_;
  uint64_t start_, end_;
  std::optional<store::block::TraceFilter> prefilter_;  // views into *plan_
};

}  // namespace rubato::query::search
