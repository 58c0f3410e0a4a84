// Concatenation: the cheap compaction. The inputs' row groups and index pages
// are copied byte for byte into one block whose runs are the inputs' runs
// (docs/format/block.md, "Runs"), and one striped filter is built over all
// runs from the inputs' index pages. No row group is decoded or recompressed,
// so it costs a copy of ~24 bytes per span where a merge
// decodes and re-encodes every span; what it does not do is join a trace's
// parts or drop duplicate spans across inputs (readers do both), so
// compaction merges instead when inputs share many traces (compaction.h).
#pragma once

#include <string>
#include <vector>

#include "status/status.h"
#include "store/backend/backend.h"
#include "store/block/block_meta.h"
#include "store/block/block_reader.h"

namespace rubato::store::block {

// Writes one block from `inputs` (one tenant, at least two) through
// `backend`, meta.json last (it names the inputs in compactedFrom). The inputs
// are not touched. The output's level is one more than the highest input's.
// `format_version` 3 (the default) builds the striped filter; 2 copies the
// inputs' bloom filters as older releases did (tests make such blocks; every
// input must then be of version 1 or 2).
Result<BlockMeta> ConcatBlocks(backend::Backend* backend, const std::string& tenant,
                               const std::vector<const BlockReader*>& inputs, uint32_t format_version = 3);

}  // namespace rubato::store::block
