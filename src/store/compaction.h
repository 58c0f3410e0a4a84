// Compaction: which blocks of a tenant to combine, and how. Inputs that share
// few traces are concatenated (block_concat.h: a byte copy, each input a run
// of the output); otherwise they are merged — a k-way merge of the inputs'
// runs in trace-ID order that joins each trace's parts and drops duplicate
// spans (the block writer keeps the first of each span ID), whose memory is
// about one decoded row group per run plus the output's.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "status/status.h"
#include "store/backend/backend.h"
#include "store/block/block_meta.h"
#include "store/block/block_reader.h"

namespace rubato::store {

struct CompactionPolicy {
  std::chrono::nanoseconds window = std::chrono::hours(1);  // blocks are merged within one window
  uint32_t max_inputs = 8;
  // Level-0 blocks are small (one cut each) and many: merging more of them at
  // once saves a whole rewrite of every span (each level rewrites each span
  // once). Their row groups are small too, so a wide merge stays in memory
  // bounds (one decoded row group per input).
  uint32_t max_level0_inputs = 32;
  // A group (window, level) is compacted once it holds this many blocks, or
  // once its oldest block has waited `cycle`. Compacting every pair as soon as
  // it existed made a binary tree of rewrites under full load: each span was
  // copied about 5 times. A fan-in of 16, then 4, copies it about twice.
  uint32_t min_level0_inputs = 16;
  uint32_t min_inputs = 4;
  std::chrono::nanoseconds cycle = std::chrono::seconds(30);  // compactor.compaction.compaction_cycle
  uint64_t max_output_spans = 20'000'000;
  uint64_t max_output_traces = 6'000'000;  // compactor.compaction.max_compaction_objects
  // A concatenation's runs: each costs a bloom check per lookup (and 1 % of
  // a page read), so blocks stop growing by concatenation here.
  uint32_t max_concat_runs = 64;
  // A merge decodes one row group per input run at a time: this bounds its memory.
  uint32_t max_merge_runs = 8;
  // Merge (join parts, drop duplicates) when at least this fraction of the
  // inputs' trace parts share their ID with another part; else concatenate.
  double merge_shared_fraction = 0.01;
};

// The block IDs to merge next (empty: nothing to do). Blocks are grouped by
// the window their newest span falls in and by level; the first group that is
// ready (policy.min_*inputs, or policy.cycle waited by its oldest block at
// `now_ns`) is merged, smallest blocks first.
std::vector<std::string> PlanCompaction(const std::vector<block::BlockMeta>& blocks, const CompactionPolicy& policy,
                                        uint64_t now_ns);

struct CompactionOutput {
  block::BlockMeta meta;
  uint64_t input_spans = 0;
  bool merged = false;  // false: concatenated
};

// Combines `inputs` (one tenant) into one new block, written through
// `backend` with meta.json last; the inputs are not touched. When the first
// inputs that fit policy.max_merge_runs share traces
// (policy.merge_shared_fraction), merges those only; else concatenates all.
// The output's meta.compacted_from names the inputs it replaces.
Result<CompactionOutput> CompactBlocks(backend::Backend* backend, const std::string& tenant,
                                       const std::vector<const block::BlockReader*>& inputs, int zstd_level,
                                       const CompactionPolicy& policy);
// The merge alone (output: one run).
Result<CompactionOutput> MergeBlocks(backend::Backend* backend, const std::string& tenant,
                                     const std::vector<const block::BlockReader*>& inputs, int zstd_level);

}  // namespace rubato::store
