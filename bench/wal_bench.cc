// WAL append throughput with group commit: 400 KB records (a large OTLP
// batch), 1 and 8 appending threads, every Append durable (fdatasync).
// Reports appends/s and fdatasyncs/s; run on the disk the WAL will use.
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "store/wal/crc32c.h"
#include "store/wal/wal.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace {

using rubato::store::wal::Wal;

std::string g_dir;
std::unique_ptr<Wal> g_wal;
std::mutex g_mu;

void BM_WalAppend(benchmark::State& state) {
  const std::string payload(400 << 10, 'x');
  if (state.thread_index() == 0) {
    g_dir = (std::filesystem::temp_directory_path() / "rubato-wal-bench").string();
    std::filesystem::remove_all(g_dir);
    g_wal = std::move(Wal::Open({.dir = g_dir, .segment_bytes = 64ull << 20, .file_ops = nullptr, .log = {}})).value();
  }
  for (auto _ : state) {
    auto seq = g_wal->Append("bench", payload);
    if (!seq.ok()) state.SkipWithError(seq.status().message().c_str());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(payload.size()));
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    auto s = g_wal->stats();
    state.counters["syncs/s"] = benchmark::Counter(static_cast<double>(s.syncs), benchmark::Counter::kIsRate);
    state.counters["appends/sync"] = static_cast<double>(s.appends) / static_cast<double>(s.syncs);
    state.counters["sync_us"] = s.sync_nanos / 1e3 / static_cast<double>(s.syncs);
    g_wal.reset();
    std::filesystem::remove_all(g_dir);
  }
}
BENCHMARK(BM_WalAppend)->Threads(1)->Threads(8)->UseRealTime()->MinTime(2.0);

// The record checksum of a 1,024-span request (~390 KB), outside the lock of
// every Append. Crc32c runs three independent lanes of the crc32 instruction.
void BM_Crc32c(benchmark::State& state) {
  std::string payload(390 << 10, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 2654435761u >> 13);
  for (auto _ : state) benchmark::DoNotOptimize(rubato::store::wal::Crc32c(0, payload));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(payload.size()));
}
BENCHMARK(BM_Crc32c);

#if defined(__x86_64__)
// For comparison: one dependency chain of crc32 instructions (what Crc32c
// did before the three-lane loop).
__attribute__((target("sse4.2"))) uint32_t OneChainCrc32c(const std::string& s) {
  uint64_t c = 0xFFFFFFFFu;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t v;
    std::memcpy(&v, s.data() + i, 8);
    c = _mm_crc32_u64(c, v);
  }
  uint32_t c32 = static_cast<uint32_t>(c);
  for (; i < s.size(); ++i) c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(s[i]));
  return ~c32;
}

void BM_Crc32cOneChain(benchmark::State& state) {
  std::string payload(390 << 10, '\0');
  for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 2654435761u >> 13);
  if (OneChainCrc32c(payload) != rubato::store::wal::Crc32c(0, payload)) state.SkipWithError("CRCs differ");
  for (auto _ : state) benchmark::DoNotOptimize(OneChainCrc32c(payload));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(payload.size()));
}
BENCHMARK(BM_Crc32cOneChain);
#endif

}  // namespace

BENCHMARK_MAIN();
