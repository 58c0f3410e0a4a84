#include "store/compaction.h"

#include <algorithm>
#include <map>

#include "store/block/block_writer.h"

namespace rubato::store {

std::vector<std::string> PlanCompaction(const std::vector<block::BlockMeta>& blocks, const CompactionPolicy& policy) {
  uint64_t window = std::max<uint64_t>(1, static_cast<uint64_t>(policy.window.count()));
  // (window, level) → blocks
  std::map<std::pair<uint64_t, uint32_t>, std::vector<const block::BlockMeta*>> groups;
  for (const block::BlockMeta& m : blocks) groups[{m.max_time / window, m.compaction_level}].push_back(&m);
  for (auto& [key, group] : groups) {
    if (group.size() < 2) continue;
    std::sort(group.begin(), group.end(), [](const auto* a, const auto* b) { return a->spans < b->spans; });
    std::vector<std::string> picked;
    uint64_t spans = 0, traces = 0;
    const uint32_t max_inputs = key.second == 0 ? policy.max_level0_inputs : policy.max_inputs;
    for (const block::BlockMeta* m : group) {
      if (picked.size() == max_inputs) break;
      if (spans + m->spans > policy.max_output_spans || traces + m->traces > policy.max_output_traces) break;
      picked.push_back(m->block_id);
      spans += m->spans;
      traces += m->traces;
    }
    if (picked.size() >= 2) return picked;
  }
  return {};
}

namespace {

// One input's position: its current row group and the next trace in it.
struct Cursor {
  const block::BlockReader* reader;
  uint32_t next_group = 0;
  block::DecodedRowGroup group;
  size_t trace = 0;

  // Loads row groups until one has a trace left; false at the end of the block.
  Result<bool> Ready() {
    while (trace >= group.traces.size()) {
      if (next_group >= reader->row_group_count()) return false;
      auto g = reader->ReadRowGroup(next_group++);
      if (!g.ok()) return g.status();
      group = std::move(g).value();
      trace = 0;
    }
    return true;
  }
  const model::TraceId& id() const { return group.traces[trace].id; }
};

}  // namespace

Result<CompactionOutput> CompactBlocks(backend::Backend* backend, const std::string& tenant,
                                       const std::vector<const block::BlockReader*>& inputs, int zstd_level) {
  block::BlockWriterOptions wo;
  wo.backend = backend;
  wo.tenant = tenant;
  wo.zstd_level = zstd_level;
  CompactionOutput out;
  std::vector<Cursor> cursors;
  for (const block::BlockReader* r : inputs) {
    cursors.push_back(Cursor{r, 0, {}, 0});
    wo.compaction_level = std::max(wo.compaction_level, r->meta().compaction_level + 1);
    wo.wal_seq_end = std::max(wo.wal_seq_end, r->meta().wal_seq_end);
    wo.compacted_from.push_back(r->meta().block_id);
    out.input_spans += r->meta().spans;
  }
  block::BlockWriter writer(wo);
  std::vector<block::SpanRef> refs;
  while (true) {
    const model::TraceId* next = nullptr;
    for (Cursor& c : cursors) {
      auto ready = c.Ready();
      if (!ready.ok()) return ready.status();
      if (*ready && (next == nullptr || c.id() < *next)) next = &c.id();
    }
    if (next == nullptr) break;
    model::TraceId id = *next;
    refs.clear();
    for (Cursor& c : cursors) {
      if (c.trace >= c.group.traces.size() || c.id() != id) continue;
      const block::TraceEntry& t = c.group.traces[c.trace];
      for (uint32_t r = 0; r < t.span_count; ++r) refs.push_back({&c.group.batch, t.first_row + r});
      ++c.trace;
    }
    if (Status s = writer.AddTrace(refs); !s.ok()) return s;
  }
  auto meta = writer.Finish();
  if (!meta.ok()) return meta.status();
  out.meta = std::move(meta).value();
  return out;
}

}  // namespace rubato::store
