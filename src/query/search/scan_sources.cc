#include "query/search/scan_sources.h"

#include <algorithm>
#include <unordered_map>

namespace rubato::query::search {
namespace {

void GroupHead(ScanSources* s) {
  std::unordered_map<model::TraceId, uint32_t, model::IdHash> index;
  uint64_t spans = 0;
  for (const auto& batch : s->snapshot.head) {
    const uint64_t per_span = batch->spans.empty() ? 0 : batch->buffer().size() / batch->spans.size();
    for (uint32_t i = 0; i < batch->spans.size(); ++i) {
      const model::Span& span = batch->spans[i];
      auto [it, added] = index.emplace(span.trace_id, static_cast<uint32_t>(s->head.size()));
      if (added) {
        s->head.push_back({span.trace_id, span.start_time_unix_nano, span.end_time_unix_nano, 0, {}});
      }
      HeadTrace& t = s->head[it->second];
      t.start = std::min(t.start, span.start_time_unix_nano);
      t.end = std::max(t.end, span.end_time_unix_nano);
      t.spans.push_back({batch.get(), i});
      t.bytes += per_span;
      ++spans;
    }
  }
  s->head_bytes = spans * sizeof(traceql::TraceView::SpanAt) + s->head.size() * (sizeof(HeadTrace) + 32);
  std::erase_if(s->head, [&](const HeadTrace& t) { return !(t.start <= s->end_unix_nano && t.end >= s->start_unix_nano); });
  std::sort(s->head.begin(), s->head.end(), [](const HeadTrace& a, const HeadTrace& b) {
    return a.start != b.start ? a.start > b.start : a.id < b.id;
  });
}

}  // namespace

ScanSources PrepareSources(store::SearchSnapshot snapshot, uint64_t start_unix_nano, uint64_t end_unix_nano,
                           const std::function<bool(const store::block::BlockReader&)>& may_match) {
  ScanSources s;
  s.snapshot = std::move(snapshot);
  s.start_unix_nano = start_unix_nano;
  s.end_unix_nano = end_unix_nano == 0 ? UINT64_MAX : end_unix_nano;
  GroupHead(&s);
  for (uint32_t b = 0; b < s.head.size(); b += kHeadTracesPerUnit) {
    ScanUnit u;
    u.head_begin = b;
    u.head_end = std::min<uint32_t>(b + kHeadTracesPerUnit, static_cast<uint32_t>(s.head.size()));
    u.newest_start = s.head[b].start;
    for (uint32_t i = u.head_begin; i < u.head_end; ++i) u.estimated_bytes += s.head[i].spans.size() * 64;
    s.units.push_back(u);
  }
  for (const auto& block : s.snapshot.blocks) {
    const auto& m = block->meta();
    if (!(m.min_time <= s.end_unix_nano && m.max_time >= s.start_unix_nano)) {
      ++s.blocks_pruned_by_time;
      continue;
    }
    s.blocks.push_back(block.get());
    s.total_block_bytes += m.total_bytes();
  }
  std::stable_sort(s.blocks.begin(), s.blocks.end(), [](const auto* a, const auto* b) {
    return a->meta().max_time > b->meta().max_time;
  });
  uint32_t next_source = 1;
  for (uint32_t bi = 0; bi < s.blocks.size(); ++bi) {
    const auto* block = s.blocks[bi];
    s.first_source.push_back(next_source);
    next_source += block->run_count();
    if (may_match && !may_match(*block)) {
      ++s.blocks_pruned_by_values;
      continue;
    }
    const uint32_t groups = block->row_group_count();
    const uint64_t spans_per_group = groups ? (block->meta().spans + groups - 1) / groups : 0;
    // A concatenation's later runs hold later data: they go first.
    for (uint32_t run = block->run_count(); run-- > 0;) {
      auto [first, end] = block->run_row_groups(run);
      for (uint32_t g = first; g < end; ++g) {
        ScanUnit u;
        u.block = block;
        u.block_index = bi;
        u.row_group = g;
        u.newest_start = block->meta().max_time;
        u.estimated_bytes = spans_per_group * kDecodedBytesPerSpan;
        u.stored_bytes = block->meta().data_bytes / groups;
        s.units.push_back(u);
      }
    }
  }
  std::stable_sort(s.units.begin(), s.units.end(),
                   [](const ScanUnit& a, const ScanUnit& b) { return a.newest_start > b.newest_start; });
  return s;
}

}  // namespace rubato::query::search
