// Start-up replay of the WAL into the head (TraceDb::ReplayWal).
//
// Records already in a block (sequence number below the largest walSeqEnd of
// the tenant's blocks) are skipped. Decoding is the costly part and records
// are independent, so they are decoded on every core in groups, then
// inserted in WAL order (the head relies on that order to drop cut batches).
#include <algorithm>
#include <thread>

#include "otlp/protobuf_decoder.h"
#include "parallel/fork_join.h"
#include "store/clock.h"
#include "store/trace_db.h"

namespace rubato::store {
namespace {

struct Pending {
  uint64_t seq;
  std::string tenant;
  std::string payload;
  std::shared_ptr<model::Batch> batch;
  bool ok = false;
};

// Decodes every pending record, spread over `threads` threads.
void DecodeAll(std::vector<Pending>& pending, unsigned threads) {
  parallel::ForkJoin(threads, [&](unsigned first) {
    for (size_t i = first; i < pending.size(); i += threads) {
      pending[i].batch = std::make_shared<model::Batch>();
      pending[i].ok = otlp::DecodeProtobuf(std::move(pending[i].payload), pending[i].batch.get()).ok();
    }
  });
}

}  // namespace

Status TraceDb::ReplayWal() {
  const unsigned threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  const size_t group = 16 * threads;
  wal::ReplayStats rs;
  uint64_t now = NowUnixNanos();
  std::vector<Pending> pending;
  auto flush = [&] {
    DecodeAll(pending, threads);
    for (Pending& p : pending) {
      if (!p.ok) {
        ++stats_.replay_undecodable;  // CRC-valid but unreadable: written by a newer version?
        continue;
      }
      head_.Append(p.tenant, std::move(p.batch), p.seq, now);
      ++stats_.replayed_records;
    }
    pending.clear();
  };
  auto start = std::chrono::steady_clock::now();
  Status s = wal_->Replay(
      [&](uint64_t seq, std::string_view tenant, std::string_view payload) {
        auto from = replay_from_.find(tenant);
        if (from != replay_from_.end() && seq < from->second) {
          ++stats_.replay_skipped_records;  // already in a block: a crash came between cut and WAL truncation
          return;
        }
        pending.push_back({seq, std::string(tenant), std::string(payload), nullptr});
        if (pending.size() == group) flush();
      },
      &rs);
  flush();
  stats_.replay_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) return s.Prepend("WAL replay");
  Log("WAL " + options_.wal_dir + ": replayed " + std::to_string(stats_.replayed_records) + " records (" +
      std::to_string(rs.bytes / 1000000.0) + " MB, " + std::to_string(head_.spans()) + " spans) in " +
      std::to_string(stats_.replay_seconds) + " s; " + std::to_string(stats_.replay_skipped_records) +
      " already in blocks, " + std::to_string(rs.skipped_corrupt) + " corrupt regions skipped, " +
      std::to_string(rs.truncated_bytes) + " torn-tail bytes truncated, " +
      std::to_string(stats_.replay_undecodable) + " undecodable");
  return Status::Ok();
}

}  // namespace rubato::store
