// Opening (blocks, then WAL replay), the append path, trace lookup and the
// background threads. Cuts are in trace_db_cut.cc, compaction and retention
// in trace_db_compact.cc.
#include "store/clock.h"
#include "store/trace_db.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "model/span_copy.h"
#include "otlp/protobuf_decoder.h"
#include "otlp/protobuf_encoder.h"
#include "otlp/reverse_writer.h"
#include "store/backend/local_backend.h"

namespace rubato::store {
TraceDb::TraceDb(TraceDbOptions options) : options_(std::move(options)) {}

TraceDb::~TraceDb() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (cutter_.joinable()) cutter_.join();
  if (compactor_.joinable()) compactor_.join();
}

void TraceDb::Log(const std::string& msg) const {
  if (options_.log) options_.log(msg);
  else std::fprintf(stderr, "rubato store: %s\n", msg.c_str());
}

// Files the block backend keeps open: half of what the process may open.
// From format version 3 a lookup reads every block's filter object, so a store
// of more blocks than this reopens files on every lookup.
static size_t OpenFileBudget() {
  struct rlimit lim;
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return 4096;
  return std::clamp<size_t>(lim.rlim_cur / 2, 256, 32768);
}

Result<std::unique_ptr<TraceDb>> TraceDb::Open(TraceDbOptions options) {
  std::unique_ptr<TraceDb> db(new TraceDb(std::move(options)));
  db->backend_ = std::make_unique<backend::LocalBackend>(db->options_.blocks_dir, OpenFileBudget());
  if (Status s = db->LoadBlocks(); !s.ok()) return s;
  wal::WalOptions wo;
  wo.dir = db->options_.wal_dir;
  wo.log = db->options_.log;
  wo.file_ops = db->options_.wal_file_ops;
  auto wal = wal::Wal::Open(wo);
  if (!wal.ok()) return Status(wal.status()).Prepend("WAL " + wo.dir);
  db->wal_ = std::move(wal).value();
  if (Status s = db->ReplayWal(); !s.ok()) return s;
  if (db->options_.background) {
    db->cutter_ = std::thread([d = db.get()] { d->CutterLoop(); });
    db->compactor_ = std::thread([d = db.get()] { d->CompactorLoop(); });
  }
  return db;
}

Status TraceDb::LoadBlocks() {
  auto tenants = backend_->List("");
  if (!tenants.ok()) return Status(tenants.status()).Prepend("blocks " + options_.blocks_dir);
  for (const std::string& tenant : *tenants) {
    auto ids = backend_->List(tenant);
    if (!ids.ok()) return ids.status();
    std::vector<BlockPtr> loaded;
    for (const std::string& id : *ids) {
      auto reader = block::BlockReader::Open(backend_.get(), tenant, id);
      if (reader.ok()) {
        loaded.push_back(std::move(reader).value());
      } else if (reader.status().code() == StatusCode::kNotFound) {
        // No meta.json: a cut or compaction died while writing it. Only this
        // process writes here, so it can never become visible: remove it.
        Log("removing unfinished block " + tenant + "/" + id);
        (void)backend_->DeletePrefix(tenant + "/" + id);
      } else {
        Log("skipping corrupt block " + tenant + "/" + id + ": " + reader.status().message());
        ++stats_.corrupt_blocks_at_open;
      }
    }
    // A compaction that died after writing its output but before deleting its
    // inputs leaves both visible; the output names its inputs, so drop them.
    std::unordered_set<std::string> replaced;
    for (const BlockPtr& b : loaded) replaced.insert(b->meta().compacted_from.begin(), b->meta().compacted_from.end());
    for (BlockPtr& b : loaded) {
      if (replaced.count(b->meta().block_id)) {
        Log("removing block " + tenant + "/" + b->meta().block_id + ", already compacted");
        std::string id = b->meta().block_id;
        b.reset();
        (void)DeleteBlock(tenant, id);
        continue;
      }
      uint64_t& from = replay_from_[tenant];
      from = std::max(from, b->meta().wal_seq_end);
      blocks_.Add(std::move(b));
    }
  }
  return Status::Ok();
}

uint64_t TraceDb::CutThreshold() const {
  return std::max<uint64_t>(1, std::min(options_.max_block_bytes, options_.head_memory_limit / 4));
}

Status TraceDb::Append(std::string_view tenant, std::shared_ptr<const model::Batch> batch, std::string_view encoded) {
  if (head_.bytes() >= options_.head_memory_limit && !AwaitHeadSpace()) {
    std::lock_guard lock(stats_mu_);
    ++stats_.refused_head_full;
    return Status::Unavailable("storage: the head is full while blocks are being written; retry shortly");
  }
  // The request as received when the caller has it (a protobuf request
  // accepted whole): re-encoding costs ~0.17 µs a span, about 6 % of the
  // server's CPU per span under full load. Otherwise (JSON, or spans dropped)
  // one payload form, whatever the request's.
  std::string_view payload = encoded;
  if (payload.empty()) {
    thread_local otlp::ReverseWriter writer(1 << 20);
    otlp::EncodeProtobuf(*batch, &writer);
    payload = writer.view();
  }
  gate_.Enter();
  Result<uint64_t> seq = wal_->Append(tenant, payload);
  if (seq.ok()) head_.Append(tenant, std::move(batch), *seq, NowUnixNanos());
  gate_.Exit();
  if (!seq.ok()) return seq.status();  // Unavailable: the client retries; nothing was acknowledged
  if (head_.bytes() >= CutThreshold()) loop_cv_.notify_all();
  return Status::Ok();
}

// Backpressure as latency first: a cut frees the head within a few hundred
// ms, and a client told to retry would wait longer (OTLP clients honour a 1 s
// RetryInfo) than the cut takes. Only a head still full after that is refused.
bool TraceDb::AwaitHeadSpace() {
  std::unique_lock lock(space_mu_);
  return space_cv_.wait_for(lock, std::chrono::milliseconds(500),
                            [&] { return head_.bytes() < options_.head_memory_limit; });
}

void TraceDb::MarkTruncated(std::string_view tenant, const model::TraceId& id) { head_.MarkTruncated(tenant, id); }

Result<FoundTrace> TraceDb::FindTrace(std::string_view tenant, const model::TraceId& id, TimeRange range) const {
  FoundTrace found;
  std::vector<model::Batch> parts(1);
  head_.CollectTrace(tenant, id, &parts[0], &found.truncated);
  std::vector<BlockPtr> blocks = blocks_.Snapshot(tenant);
  auto may_hold = [&](const block::BlockReader& b) {
    const block::BlockMeta& m = b.meta();
    return !(id < m.min_trace_id || m.max_trace_id < id) && range.Overlaps(m.min_time, m.max_time);
  };
  // Each block's filter is one small read: started all at once, a cold
  // lookup waits for the slowest of them rather than for their sum.
  for (const BlockPtr& b : blocks) {
    if (may_hold(*b)) b->WillLookUp(id);
  }
  for (const BlockPtr& b : blocks) {
    if (!may_hold(*b)) continue;
    const block::BlockMeta& m = b->meta();
    auto part = b->FindTrace(id);
    if (part.ok()) {
      parts.push_back(std::move(part).value());
    } else if (part.status().code() != StatusCode::kNotFound && blocks_.Contains(tenant, m.block_id)) {
      // Reported (once per block) and skipped: the rest of the trace is still worth answering.
      std::lock_guard lock(stats_mu_);
      ++stats_.corrupt_block_reads;
      if (reported_corrupt_.insert(m.block_id).second)
        Log("block " + std::string(tenant) + "/" + m.block_id + " is corrupt, skipped on read: " +
            part.status().message());
    }
  }
  // The same span can be in the head and a block, or in two blocks, between
  // a cut or compaction and the removal of what it replaced: keep one. The
  // head answers in arrival order, grouped as the requests were (what OTLP
  // clients and Tempo's own answers look like); a block's part follows in
  // block order (by start time), so a trace's span order can change when it
  // moves from the head into a block — the same spans, resources and scopes.
  struct Pick {
    uint32_t part, span;
  };
  std::unordered_set<model::SpanId, model::IdHash> seen;
  std::vector<Pick> picks;
  for (uint32_t p = 0; p < parts.size(); ++p) {
    for (uint32_t i = 0; i < parts[p].spans.size(); ++i) {
      const model::Span& s = parts[p].spans[i];
      if (range.Overlaps(s.start_time_unix_nano, s.end_time_unix_nano) && seen.insert(s.span_id).second)
        picks.push_back({p, i});
    }
  }
  std::vector<uint32_t> run;
  for (size_t i = 0; i < picks.size(); ++i) {  // consecutive spans of one part are copied together
    run.push_back(picks[i].span);
    if (i + 1 == picks.size() || picks[i + 1].part != picks[i].part) {
      model::CopySpans(parts[picks[i].part], run, &found.batch);
      run.clear();
    }
  }
  if (found.batch.spans.empty()) return Status::NotFound("trace not found");
  return found;
}

void TraceDb::ForEachTraceId(std::string_view tenant, const std::function<void(const model::TraceId&)>& fn) const {
  head_.ForEachTraceId(tenant, fn);
}

SearchSnapshot TraceDb::TakeSearchSnapshot(std::string_view tenant) const {
  SearchSnapshot snap;
  snap.head = head_.Batches(tenant);  // first: a cut that ends now leaves its spans in a block we then see
  snap.blocks = blocks_.Snapshot(tenant);
  return snap;
}

TraceDbStats TraceDb::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

void TraceDb::CutterLoop() {
  ::pthread_setname_np(::pthread_self(), "rubato-cutter");  // names it in top -H and perf
  std::unique_lock lock(loop_mu_);
  while (!stopping_) {
    loop_cv_.wait_for(lock, std::chrono::milliseconds(250));
    if (stopping_) break;
    uint64_t oldest = head_.oldest_arrival_ns();
    bool full = head_.bytes() >= CutThreshold();
    bool due = full ||
               (oldest != 0 && NowUnixNanos() - oldest >= static_cast<uint64_t>(options_.max_block_duration.count()));
    if (!due) continue;
    // A full head still gets cut: waiting would refuse every append.
    if (head_.bytes() < options_.head_memory_limit && Level0Backlog() >= options_.level0_backlog_hard) continue;
    lock.unlock();
    // A cut for size means heavy load: every trace is recent, so holding
    // active ones back would keep everything. A trace split by the cut is
    // joined by reads (and on disk when a merging compaction takes it).
    if (Status s = CutBlocks(/*hold_active=*/!full); !s.ok()) {
      Log("block cut failed (will retry): " + s.message());
      std::lock_guard slock(stats_mu_);
      ++stats_.background_errors;
    }
    lock.lock();
  }
}

// Counts as PlanCompaction groups (by the window of the newest span): a
// lone level-0 block in its window cannot be merged, and counting it could
// stall cuts for good.
uint32_t TraceDb::Level0Backlog() const {
  uint64_t window = std::max<uint64_t>(1, static_cast<uint64_t>(options_.compaction_window.count()));
  uint32_t n = 0;
  std::unordered_map<uint64_t, uint32_t> per_window;
  for (const std::string& tenant : blocks_.Tenants()) {
    per_window.clear();
    for (const BlockPtr& b : blocks_.Snapshot(tenant)) {
      if (b->meta().compaction_level == 0) ++per_window[b->meta().max_time / window];
    }
    for (const auto& [w, count] : per_window) n += count >= 2 ? count : 0;
  }
  return n;
}

void TraceDb::CompactorLoop() {
  // Compaction can lag and catch up; ingest and cuts cannot. On Linux a
  // thread's nice value is its own, so this lowers only the compactor.
  const id_t tid = static_cast<id_t>(::gettid());
  int nice = 10;
  (void)::setpriority(PRIO_PROCESS, tid, nice);
  ::pthread_setname_np(::pthread_self(), "rubato-compact");
  std::unique_lock lock(loop_mu_);
  auto next_retention = std::chrono::steady_clock::now();
  bool did = false;
  while (!stopping_) {
    if (!did) loop_cv_.wait_for(lock, std::chrono::seconds(1));  // more work may be waiting: no pause
    if (stopping_) break;
    lock.unlock();
    // Behind by more than `soft` blocks: compete with ingest as an equal, so
    // the backlog shrinks instead of growing without bound. Raising priority
    // back (lowering nice) needs CAP_SYS_NICE on Linux; without it the hard
    // bound on cuts still holds the backlog.
    int want = Level0Backlog() >= options_.level0_backlog_soft ? 0 : 10;
    if (want != nice && ::setpriority(PRIO_PROCESS, tid, want) == 0) nice = want;
    did = false;
    Status s = CompactOnce(&did);
    if (s.ok() && std::chrono::steady_clock::now() >= next_retention) {
      s = ApplyRetention(NowUnixNanos());
      next_retention = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    }
    if (!s.ok()) {
      Log("compaction or retention failed (will retry): " + s.message());
      std::lock_guard slock(stats_mu_);
      ++stats_.background_errors;
    }
    lock.lock();
  }
}

}  // namespace rubato::store
