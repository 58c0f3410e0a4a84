// Trace-by-ID latency over a real data directory (issue 4's benchmark):
//   bench_trace_by_id <blocks dir> <wal dir> [lookups]
// Opens the store as `rubato serve` would (blocks, then WAL replay into the
// head), picks random stored trace IDs, then times TraceDb::FindTrace for
// them: cold (page cache dropped first, when permitted) and warm (the same IDs
// again), plus absent IDs. Prints p50/p99/max in milliseconds. Not a test.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <unistd.h>

#include "store/backend/local_backend.h"
#include "store/block/block_reader.h"
#include "store/trace_db.h"

namespace {

using Clock = std::chrono::steady_clock;
using rubato::model::TraceId;

struct Sample {
  std::vector<double> ms;
  void Print(const char* what) {
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))]; };
    std::printf("%-28s n=%zu  p50 %.3f ms  p99 %.3f ms  max %.3f ms\n", what, ms.size(), at(0.5), at(0.99),
                ms.back());
  }
};

bool DropCaches() {
  ::sync();
  std::ofstream f("/proc/sys/vm/drop_caches");
  if (!f) return false;
  f << "3\n";
  return static_cast<bool>(f.flush());
}

std::vector<TraceId> PickIds(const std::string& blocks_dir, size_t n, std::mt19937_64& rng) {
  rubato::store::backend::LocalBackend backend(blocks_dir);
  std::vector<std::unique_ptr<rubato::store::block::BlockReader>> blocks;
  auto tenants = backend.List("");  // kept: a range-for over .value() of a temporary would dangle
  if (!tenants.ok()) return {};
  for (const auto& tenant : *tenants) {
    auto block_ids = backend.List(tenant);
    if (!block_ids.ok()) continue;
    for (const auto& id : *block_ids) {
      auto r = rubato::store::block::BlockReader::Open(&backend, tenant, id);
      if (r.ok()) blocks.push_back(std::move(r).value());
    }
  }
  std::vector<TraceId> ids;
  if (blocks.empty()) return ids;
  while (ids.size() < n) {
    auto& b = blocks[rng() % blocks.size()];
    auto rg = b->ReadRowGroup(static_cast<uint32_t>(rng() % b->row_group_count()));
    if (!rg.ok() || rg->traces.empty()) continue;
    for (int k = 0; k < 4 && ids.size() < n; ++k) ids.push_back(rg->traces[rng() % rg->traces.size()].id);
  }
  std::shuffle(ids.begin(), ids.end(), rng);
  return ids;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <blocks dir> <wal dir> [lookups]\n", argv[0]);
    return 2;
  }
  size_t n = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2000;
  std::mt19937_64 rng(42);
  std::vector<TraceId> ids = PickIds(argv[1], n, rng);
  if (ids.empty()) {
    std::fprintf(stderr, "no blocks under %s\n", argv[1]);
    return 1;
  }
  bool dropped = DropCaches();
  rubato::store::TraceDbOptions o;
  o.blocks_dir = argv[1];
  o.wal_dir = argv[2];
  o.background = false;
  o.log = [](std::string_view) {};
  auto t0 = Clock::now();
  auto db = rubato::store::TraceDb::Open(o);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.status().message().c_str());
    return 1;
  }
  double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  auto totals = (*db)->block_totals();
  std::printf("store: %llu blocks, %llu spans, %.1f MB; head %llu spans; open %.0f ms; page cache %s\n",
              static_cast<unsigned long long>(totals.blocks), static_cast<unsigned long long>(totals.spans),
              totals.bytes / 1e6, static_cast<unsigned long long>((*db)->head_spans()), open_ms,
              dropped ? "dropped before the cold pass" : "NOT dropped (not permitted): cold = first touch");
  uint64_t spans = 0;
  auto run = [&](const std::vector<TraceId>& which, const char* what) {
    Sample s;
    for (const TraceId& id : which) {
      auto start = Clock::now();
      auto found = (*db)->FindTrace("single-tenant", id, {});
      s.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (found.ok()) spans += found->batch.spans.size();
    }
    s.Print(what);
  };
  run(ids, "present, cold");
  run(ids, "present, warm");
  std::vector<TraceId> absent(ids.size());
  for (auto& id : absent)
    for (auto& byte : id.bytes) byte = static_cast<uint8_t>(rng());
  run(absent, "absent");
  std::printf("spans returned: %llu\n", static_cast<unsigned long long>(spans));
  return 0;
}
