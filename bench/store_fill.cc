// Fills a data directory through the storage engine, as `rubato serve` would
// store what it receives, but without the network in between:
//   bench_store_fill <data dir> <spans> [seed]
// Batches of the standard workload (new trace IDs throughout, stamped now) are
// appended to a TraceDb with its cutter and compactor threads running; an
// Unavailable (head full) is retried after 1 ms, as a client would. Prints the
// engine's progress every 10 s and the sustained rate at the end. Used to
// build the 100 M-span store for the trace-by-ID benchmark. Not a test.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "store/trace_db.h"
#include "workload/generator.h"

namespace {

long RssMb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10) / 1024;
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <data dir> <spans> [seed]\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  uint64_t target = std::strtoull(argv[2], nullptr, 10);
  rubato::store::TraceDbOptions o;
  o.blocks_dir = dir + "/blocks";
  o.wal_dir = dir + "/wal";
  o.max_compacted_block_spans = 20'000'000;
  o.max_compaction_inputs = 16;  // fewer rewrites to reach 20 M-span blocks (the server keeps 8: less memory)
  auto db = rubato::store::TraceDb::Open(o);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.status().message().c_str());
    return 1;
  }
  rubato::workload::Options wo;
  wo.seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  wo.base_time_unix_nano = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  rubato::workload::Generator gen(wo);
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now(), last = start;
  uint64_t spans = 0, retries = 0;
  while (spans < target) {
    auto batch = std::make_shared<rubato::model::Batch>();
    gen.Next(batch.get());
    size_t n = batch->spans.size();
    while (true) {
      rubato::Status s = (*db)->Append("single-tenant", batch);
      if (s.ok()) break;
      if (s.code() != rubato::StatusCode::kUnavailable) {
        std::fprintf(stderr, "append: %s\n", s.message().c_str());
        return 1;
      }
      ++retries;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    spans += n;
    if (Clock::now() - last >= std::chrono::seconds(10)) {
      last = Clock::now();
      auto st = (*db)->stats();
      auto bt = (*db)->block_totals();
      double secs = std::chrono::duration<double>(last - start).count();
      std::printf("[%5.0fs] %llu spans (%.0f/s), head %.1f MB, %llu blocks (%llu spans, %.2f B/span), "
                  "%llu compactions, %llu head-full retries, RSS %ld MB\n",
                  secs, (unsigned long long)spans, spans / secs, (*db)->head_bytes() / 1e6,
                  (unsigned long long)bt.blocks, (unsigned long long)bt.spans,
                  bt.spans ? double(bt.bytes) / double(bt.spans) : 0.0, (unsigned long long)st.compactions,
                  (unsigned long long)retries, RssMb());
      std::fflush(stdout);
    }
  }
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  auto st = (*db)->stats();
  std::printf("done: %llu spans in %.1f s = %.0f spans/s sustained; cuts %llu (%.1f s), compactions %llu "
              "(%llu spans in %.1f s = %.0f spans/s), RSS %ld MB\n",
              (unsigned long long)spans, secs, spans / secs, (unsigned long long)st.cuts, st.cut_nanos / 1e9,
              (unsigned long long)st.compactions, (unsigned long long)st.compacted_spans, st.compaction_nanos / 1e9,
              st.compaction_nanos ? st.compacted_spans / (st.compaction_nanos / 1e9) : 0.0, RssMb());
  // Settle: cut what is left in the head and compact until nothing is left
  // to merge, timing the compaction alone (the background threads still run,
  // so this thread and the compactor share the work).
  auto settle = Clock::now();
  if (rubato::Status s = (*db)->CutBlocks(false); !s.ok()) std::fprintf(stderr, "cut: %s\n", s.message().c_str());
  for (bool did = true; did;) {
    if (rubato::Status s = (*db)->CompactOnce(&did); !s.ok()) {
      std::fprintf(stderr, "compact: %s\n", s.message().c_str());
      break;
    }
  }
  auto st2 = (*db)->stats();
  auto bt = (*db)->block_totals();
  std::printf("settled in %.1f s: %llu blocks, %llu spans, %.2f B/span; compactions %llu (%llu spans in %.1f s "
              "= %.0f spans/s of compactor time), RSS %ld MB\n",
              std::chrono::duration<double>(Clock::now() - settle).count(), (unsigned long long)bt.blocks,
              (unsigned long long)bt.spans, bt.spans ? double(bt.bytes) / double(bt.spans) : 0.0,
              (unsigned long long)st2.compactions, (unsigned long long)st2.compacted_spans,
              st2.compaction_nanos / 1e9,
              st2.compaction_nanos ? st2.compacted_spans / (st2.compaction_nanos / 1e9) : 0.0, RssMb());
  return 0;
}
