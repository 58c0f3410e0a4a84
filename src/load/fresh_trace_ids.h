// Fresh trace IDs per pass: `rubato load --fresh-trace-ids` sends its
// pre-encoded batches over and over, and without this every pass would repeat
// the first pass's traces (a store would deduplicate them, or refuse them as
// too large). Each pass rewrites the first 8 bytes of every trace ID (spans'
// and links') in a copy of the body, so pass n sends traces no other pass sent.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "status/status.h"

namespace rubato::load {

// Byte offsets of every trace ID (Span.trace_id and Span.links[].trace_id) in
// an ExportTraceServiceRequest. InvalidArgument if the body does not parse.
Result<std::vector<uint32_t>> FindTraceIdOffsets(std::string_view body);

// Writes into *out the body with each trace ID's first 8 bytes XORed with a
// mix of `pass` (pass 0 leaves the body unchanged). Reuses *out's capacity.
void RewriteTraceIds(std::string_view body, std::span<const uint32_t> offsets, uint64_t pass,
                     std::string* out);

// Moves a body that RewriteTraceIds wrote for pass `from` to pass `to`, in
// place: only the trace IDs' 8 bytes are written.
void RepassTraceIds(std::span<const uint32_t> offsets, uint64_t from, uint64_t to, char* body);

// One mutable copy of each body, kept at the pass it was last sent for and
// moved to the next pass in place (RepassTraceIds). A copy of the body per
// request, as RewriteTraceIds makes, wrote every byte sent once more: 13 % of
// the load generator's CPU at 32 requests in flight. Thread-safe.
class FreshBodies {
 public:
  FreshBodies(const std::vector<std::string>& bodies, const std::vector<std::vector<uint32_t>>& offsets);

  // The batch's body rewritten for `pass`, owned by the caller until
  // Release(batch); null when another request holds it (the caller then
  // makes its own copy with RewriteTraceIds). The address of a batch's body
  // never changes.
  const std::string* Acquire(size_t batch, uint64_t pass);
  void Release(size_t batch);

 private:
  struct Body {
    std::string bytes;
    uint64_t pass = 0;
    std::atomic<bool> busy{false};
  };
  const std::vector<std::vector<uint32_t>>& offsets_;
  std::vector<std::unique_ptr<Body>> bodies_;
};

}  // namespace rubato::load
