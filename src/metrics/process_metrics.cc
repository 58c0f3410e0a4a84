#include "metrics/process_metrics.h"

#include <malloc.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <string>

// jemalloc's control interface, declared weak so that this library links with
// either allocator: the symbol is non-null only when jemalloc is in the process.
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace rubato::metrics {
namespace {

uint64_t JemallocStat(const char* name) {
  size_t value = 0;
  size_t len = sizeof(value);
  return mallctl(name, &value, &len, nullptr, 0) == 0 ? value : 0;
}

}  // namespace

AllocatorBytes ReadAllocatorBytes() {
  if (mallctl != nullptr) {
    // jemalloc's statistics are a snapshot refreshed by writing "epoch".
    uint64_t epoch = 1;
    size_t len = sizeof(epoch);
    mallctl("epoch", &epoch, &len, &epoch, len);
    return {"jemalloc", JemallocStat("stats.allocated"), JemallocStat("stats.resident")};
  }
  struct mallinfo2 info = mallinfo2();
  return {"glibc", info.uordblks + info.hblkhd, info.arena + info.hblkhd};
}

uint64_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

void RegisterProcessMetrics(Registry* registry) {
  registry->AddGaugeFunc("process_resident_memory_bytes", "Resident memory size in bytes.", {},
                         [] { return static_cast<int64_t>(ResidentBytes()); });
  const Labels labels = {{"allocator", std::string(ReadAllocatorBytes().allocator)}};
  registry->AddGaugeFunc("rubato_allocator_allocated_bytes", "Bytes in live heap allocations.", labels,
                         [] { return static_cast<int64_t>(ReadAllocatorBytes().allocated); });
  registry->AddGaugeFunc("rubato_allocator_held_bytes",
                         "Bytes the allocator holds from the system, in use or kept after frees.", labels,
                         [] { return static_cast<int64_t>(ReadAllocatorBytes().held); });
}

}  // namespace rubato::metrics
