// How many trace parts of some blocks share their trace ID with a part in
// another run: the measure compaction uses to choose between concatenating
// (cheap, keeps parts apart) and merging (joins parts, drops duplicates).
#pragma once

#include <cstdint>
#include <vector>

#include "status/status.h"
#include "store/block/block_reader.h"

namespace rubato::store {

struct SharedTraces {
  uint64_t parts = 0;   // trace parts in all runs of all inputs
  uint64_t shared = 0;  // parts whose trace ID is also in another run
};

// Reads every index page of the inputs once, in a k-way merge of their runs
// (each run's pages are in ID order), so memory is one page per run.
Result<SharedTraces> CountSharedTraces(const std::vector<const block::BlockReader*>& inputs);

}  // namespace rubato::store
