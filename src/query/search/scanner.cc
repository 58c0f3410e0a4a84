#include "query/search/scanner.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "parallel/fork_join.h"
#include "query/search/candidates.h"
#include "query/search/memory_budget.h"

namespace rubato::query::search {
namespace {

// State shared by the workers of one scan.
class ScanRun {
 public:
  ScanRun(const ScanSources& s, const ScanHooks& h, const ScanLimits& l)
      : sources_(s),
        hooks_(h),
        limits_(l),
        candidates_(h.plan, s.start_unix_nano, s.end_unix_nano),
        budget_(l.memory_budget_bytes),
        block_seen_(s.blocks.size()) {}

  void Work() {
    SearchMetrics local;
    while (!no_more_units_.load(std::memory_order_relaxed)) {
      if (Interrupted()) break;
      if (hooks_.done && hooks_.done()) {
        End(ScanEnd::kDone);
        break;
      }
      size_t i = next_.fetch_add(1);
      if (i >= sources_.units.size()) break;
      const ScanUnit& u = sources_.units[i];
      uint64_t below = hooks_.stop_below ? hooks_.stop_below() : 0;
      if (below != 0 && u.newest_start < below) {
        End(ScanEnd::kStoppedEarly);
        break;
      }
      if (!budget_.Acquire(u.estimated_bytes, limits_.cancel)) continue;  // cancelled: caught above
      bool whole = u.block ? ScanRowGroup(u, &local) : ScanHead(u, &local);
      budget_.Release(u.estimated_bytes);
      local.completed_jobs += whole;
    }
    std::lock_guard lock(mu_);
    metrics_.inspected_traces += local.inspected_traces;
    metrics_.inspected_spans += local.inspected_spans;
    metrics_.inspected_bytes += local.inspected_bytes;
    metrics_.completed_jobs += local.completed_jobs;
    metrics_.row_groups_pruned += local.row_groups_pruned;
    metrics_.traces_skipped += local.traces_skipped;
    metrics_.corrupt_row_groups += local.corrupt_row_groups;
  }

  ScanEnd end() const { return end_; }
  SearchMetrics metrics() const {
    SearchMetrics m = metrics_;
    for (const auto& seen : block_seen_) m.blocks_inspected += seen.load() ? 1 : 0;
    return m;
  }

 private:
  // Cancellation and the deadline, checked between units and every few traces:
  // they abandon the units in flight too.
  bool Interrupted() {
    if (aborted_.load(std::memory_order_relaxed)) return true;
    if (limits_.cancel && limits_.cancel->load(std::memory_order_relaxed)) {
      End(ScanEnd::kCancelled);
      return true;
    }
    if (limits_.deadline && std::chrono::steady_clock::now() >= *limits_.deadline) {
      End(ScanEnd::kTimedOut);
      return true;
    }
    return false;
  }

  // An early stop or `done` only stops handing out units: those in flight are
  // newer than any left, and their traces may still rank first.
  void End(ScanEnd why) {
    std::lock_guard lock(mu_);
    const bool abort = why == ScanEnd::kCancelled || why == ScanEnd::kTimedOut;
    if (end_ == ScanEnd::kComplete || (abort && !aborted_.load())) end_ = why;  // an abort outranks an early stop
    no_more_units_.store(true);
    if (abort) aborted_.store(true);
  }

  bool Overlaps(uint64_t start, uint64_t end) const {
    return start <= sources_.end_unix_nano && end >= sources_.start_unix_nano;
  }

  // Views one piece (unless the visitor rules it out first).
  void VisitPiece(uint32_t source, const model::TraceId& id, uint64_t start, uint64_t end,
                  std::vector<traceql::TraceView::SpanAt> spans, SearchMetrics* m) {
    if (hooks_.admit && !hooks_.admit(id, start, end)) {
      ++m->traces_skipped;
      return;
    }
    ++m->inspected_traces;
    traceql::TraceView view(std::move(spans));
    hooks_.visit(view, source);
  }

  // False when interrupted before the end of the unit.
  bool ScanHead(const ScanUnit& u, SearchMetrics* m) {
    for (uint32_t i = u.head_begin; i < u.head_end; ++i) {
      if ((i & 63) == 0 && Interrupted()) return false;
      const HeadTrace& t = sources_.head[i];
      m->inspected_spans += t.spans.size();
      m->inspected_bytes += t.bytes;
      VisitPiece(0, t.id, t.start, t.end, t.spans, m);
    }
    return true;
  }

  // Drops the candidates that could not rank among the results (their
  // latest possible start, from the index's whole-ms times, is too old),
  // reading the index page if the prefilter did not.
  void NarrowByRank(const ScanUnit& u, Candidates* cand, SearchMetrics* m) {
    if (!cand->page) {
      auto page = u.block->ReadIndexPage(u.row_group);
      if (!page.ok()) return;  // decoding meets the damage and reports it
      cand->page = std::move(page).value();
    }
    const auto& traces = cand->page->traces;
    if (cand->all) {
      cand->all = false;
      cand->traces.resize(traces.size());
      for (uint32_t i = 0; i < traces.size(); ++i) cand->traces[i] = i;
    }
    size_t kept = 0;
    for (uint32_t i : cand->traces) {
      if (i >= traces.size()) continue;
      const store::block::IndexEntry& e = traces[i];
      if (hooks_.may_rank(e.id, (e.start_ms + 1) * 1'000'000 - 1)) {
        cand->traces[kept++] = i;
      } else {
        ++m->traces_skipped;
      }
    }
    cand->traces.resize(kept);
  }

  // When the results are full, a row group none of whose traces could rank
  // (the index's start times are all too old) is done without reading a
  // column: true then. Otherwise *page holds the index page, if read.
  bool NoneCouldRank(const ScanUnit& u, std::optional<store::block::IndexPage>* page, SearchMetrics* m) {
    if (!hooks_.may_rank || !hooks_.stop_below || hooks_.stop_below() == 0) return false;
    // Known from an earlier read of the page: skip it without reading. No ID
    // is at hand, so the zero ID (first among equal starts) stands for them
    // all; a held trace's piece here is merged later (CompletePieces).
    if (auto seen = u.block->CachedSummary(u.row_group);
        seen && !hooks_.may_rank(model::TraceId{}, (seen->latest_start_ms + 1) * 1'000'000 - 1)) {
      m->inspected_spans += seen->rows;
      ++m->row_groups_pruned;
      return true;
    }
    auto read = u.block->ReadIndexPage(u.row_group);
    if (!read.ok()) return false;  // decoding meets the damage and reports it
    for (const store::block::IndexEntry& e : read->traces) {
      if (hooks_.may_rank(e.id, (e.start_ms + 1) * 1'000'000 - 1)) {
        *page = std::move(read).value();
        return false;
      }
    }
    m->inspected_spans += read->rows;
    m->traces_skipped += read->traces.size();
    ++m->row_groups_pruned;
    return true;
  }

  bool ScanRowGroup(const ScanUnit& u, SearchMetrics* m) {
    if (auto seen = u.block->CachedSummary(u.row_group); seen && !candidates_.MayMatch(*seen)) {
      m->inspected_spans += seen->rows;  // ruled out by the index, as a page read would
      ++m->row_groups_pruned;
      return true;
    }
    std::optional<store::block::IndexPage> page;
    if (NoneCouldRank(u, &page, m)) return true;
    Candidates cand = candidates_.For(*u.block, u.row_group, std::move(page));
    if (hooks_.may_rank && !cand.none()) NarrowByRank(u, &cand, m);
    // Spans the prefilter tested on their columns, or the index ruled out by
    // time, count as inspected, decoded or not.
    if (cand.page) m->inspected_spans += cand.page->rows;
    if (cand.none()) {
      ++m->row_groups_pruned;
      return true;
    }
    auto rg = candidates_.Read(*u.block, u.row_group, cand);
    if (!rg.ok()) {  // a corrupt row group is skipped, and counted
      ++m->corrupt_row_groups;
      return true;
    }
    block_seen_[u.block_index].store(true, std::memory_order_relaxed);
    m->inspected_bytes += u.stored_bytes;
    if (!cand.page) m->inspected_spans += rg->batch.spans.size();
    for (uint32_t t = 0; t < rg->traces.size(); ++t) {
      if ((t & 63) == 0 && Interrupted()) return false;
      const store::block::TraceEntry& e = rg->traces[t];
      if (!Overlaps(e.start, e.end)) continue;
      std::vector<traceql::TraceView::SpanAt> spans(e.span_count);
      for (uint32_t r = 0; r < e.span_count; ++r) spans[r] = {&rg->batch, e.first_row + r};
      VisitPiece(sources_.SourceOf(u.block_index, u.row_group), e.id, e.start, e.end, std::move(spans), m);
    }
    return true;
  }

  const ScanSources& sources_;
  const ScanHooks& hooks_;
  const ScanLimits& limits_;
  const CandidateFilter candidates_;  // the prefilter, built once for the scan
  MemoryBudget budget_;
  std::vector<std::atomic<bool>> block_seen_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> no_more_units_{false}, aborted_{false};
  std::mutex mu_;
  ScanEnd end_ = ScanEnd::kComplete;
  SearchMetrics metrics_;
};

}  // namespace

ScanEnd Scan(const ScanSources& sources, const ScanHooks& hooks, const ScanLimits& limits, SearchMetrics* metrics) {
  metrics->total_blocks += static_cast<uint32_t>(sources.blocks.size());
  metrics->total_jobs += static_cast<uint32_t>(sources.units.size());
  metrics->total_block_bytes += sources.total_block_bytes;
  metrics->blocks_pruned_by_time += sources.blocks_pruned_by_time;
  metrics->blocks_pruned_by_values += sources.blocks_pruned_by_values;
  ScanRun run(sources, hooks, limits);
  parallel::ForkJoin(parallel::ThreadsFor(sources.units.size(), limits.threads), [&run](unsigned) { run.Work(); });
  SearchMetrics m = run.metrics();
  metrics->inspected_traces += m.inspected_traces;
  metrics->inspected_spans += m.inspected_spans;
  metrics->inspected_bytes += m.inspected_bytes;
  metrics->completed_jobs += m.completed_jobs;
  metrics->row_groups_pruned += m.row_groups_pruned;
  metrics->traces_skipped += m.traces_skipped;
  metrics->corrupt_row_groups += m.corrupt_row_groups;
  metrics->blocks_inspected += m.blocks_inspected;
  metrics->stopped_early = run.end() == ScanEnd::kStoppedEarly;

  return run.end();
}

}  // namespace rubato::query::search
