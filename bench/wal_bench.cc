// WAL append throughput with group commit: 400 KB records (a large OTLP
// batch), 1 and 8 appending threads, every Append durable (fdatasync).
// Reports appends/s and fdatasyncs/s; run on the disk the WAL will use.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "store/wal/wal.h"

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

}  // namespace

BENCHMARK_MAIN();
