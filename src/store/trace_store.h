// The store interface every backend implements (in memory now; WAL and
// columnar blocks next): append a batch, get a trace by ID, iterate traces.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/batch.h"
#include "status/status.h"
#include "store/backend/backend.h"

namespace rubato::store {

namespace block {
class BlockReader;
}

struct TimeRange {
  uint64_t start_unix_nano = 0;
  uint64_t end_unix_nano = UINT64_MAX;
  bool Overlaps(uint64_t start, uint64_t end) const { return start <= end_unix_nano && end >= start_unix_nano; }
};

// One trace gathered from everything stored, in a batch that owns its bytes.
struct FoundTrace {
  model::Batch batch;
  bool truncated = false;  // some spans were refused by a per-trace limit
};

// What a search reads, taken at one instant: the head's batches (shared, never
// modified) and the visible blocks. Taken head first, then blocks, so a cut
// finishing in between shows its spans twice (search merges by span ID),
// never not at all.
struct SearchSnapshot {
  std::vector<std::shared_ptr<const model::Batch>> head;
  std::vector<std::shared_ptr<const block::BlockReader>> blocks;
};

class TraceStore {
 public:
  virtual ~TraceStore() = default;
  // Stores a decoded, validated batch. Unavailable means "retry later".
  // `encoded`, when not empty, is an OTLP protobuf request that decodes to
  // exactly `batch` (the request as received, when nothing was dropped): the
  // store may log it as is instead of encoding the batch again.
  virtual Status Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch,
                        std::string_view encoded = {}) = 0;
  // Records that spans of this trace were refused, so answers can say it is partial.
  virtual void MarkTruncated(std::string_view tenant, const model::TraceId& id) = 0;
  // NotFound when no span of the trace overlaps `range`.
  virtual Result<FoundTrace> FindTrace(std::string_view tenant, const model::TraceId& id, TimeRange range) const = 0;
  // Visits the ID of every stored trace of a tenant (for search, later issues).
  virtual void ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const = 0;
  // Everything stored for a tenant, for search and tag lookups (src/query/search/).
  virtual SearchSnapshot TakeSearchSnapshot(std::string_view tenant) const = 0;
  // Where the blocks' objects are (search stores tag catalogs next to them);
  // null for a store without blocks.
  virtual backend::Backend* block_backend() const { return nullptr; }
};

}  // namespace rubato::store
