// The process's own memory in /metrics: resident memory as Prometheus's
// client libraries name it, and what the allocator holds, so that an RSS that
// grows can be told apart from data that grows (docs/performance.md).
#pragma once

#include <cstdint>
#include <string_view>

#include "metrics/registry.h"

namespace rubato::metrics {

// What the malloc in use reports. jemalloc when the binary links it (the
// server does), else glibc's mallinfo2.
struct AllocatorBytes {
  std::string_view allocator;  // "jemalloc" or "glibc"
  uint64_t allocated = 0;      // in live allocations
  uint64_t held = 0;           // taken from the system and not returned (resident for jemalloc)
};
AllocatorBytes ReadAllocatorBytes();

// Resident set size from /proc/self/statm; 0 when unreadable.
uint64_t ResidentBytes();

// Registers process_resident_memory_bytes, rubato_allocator_allocated_bytes and
// rubato_allocator_held_bytes (labelled with the allocator).
void RegisterProcessMetrics(Registry* registry);

}  // namespace rubato::metrics
