#include "load/runner.h"

#include <sys/resource.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "load/acked_log.h"
#include "load/fresh_trace_ids.h"
#include "load/batch_set.h"
#include "load/dump_file.h"
#include "load/sender.h"

namespace rubato::load {
namespace {

double Seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; }

struct CpuTimes {
  double user = 0, sys = 0;
};
CpuTimes ProcessCpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return {Seconds(ru.ru_utime), Seconds(ru.ru_stime)};
}

// The batch set for a live run: generated with "now" as the base time, so
// span times start at the run's start (pre-encoding fixes them there), or
// read from a replay file and adapted to the protocol's compression.
Result<BatchSet> PrepareBatches(const LoadOptions& o) {
  BodyEncoding encoding = EncodingFor(o.protocol);
  bool gzip = BodiesGzipped(o.protocol, o.gzip);
  if (!o.replay_path.empty()) {
    Result<BatchSet> set = ReadDumpFile(o.replay_path);
    if (!set.ok()) return set;
    Status s = AdaptBatchSet(&set.value(), encoding, gzip);
    if (!s.ok()) return s.Prepend(o.replay_path);
    if (!o.acked_log_path.empty()) {  // the file holds bodies only: read the IDs out of them
      s = FillSpanKeys(&set.value());
      if (!s.ok()) return s.Prepend(o.replay_path);
    }
    return set;
  }
  return GenerateBatchSet({.seed = o.seed,
                           .batches = o.batches,
                           .batch_spans = o.batch_spans,
                           .base_time_unix_nano = UnixNanosNow(),
                           .encoding = encoding,
                           .gzip = gzip});
}

// For --fresh-trace-ids: where each body's trace IDs are, found once.
Status FindAllTraceIds(BatchSet* set) {
  set->trace_id_offsets.clear();
  for (const std::string& body : set->bodies) {
    Result<std::vector<uint32_t>> offsets = FindTraceIdOffsets(body);
    if (!offsets.ok()) return offsets.status();
    set->trace_id_offsets.push_back(std::move(offsets).value());
  }
  return Status::Ok();
}

Result<BatchSet> PrepareBatchesWithIds(const LoadOptions& o) {
  Result<BatchSet> set = PrepareBatches(o);
  if (set.ok() && o.fresh_trace_ids)
    if (Status s = FindAllTraceIds(&set.value()); !s.ok()) return s;
  return set;
}

// Prints a progress line every second until told to stop.
class ProgressPrinter {
 public:
  ProgressPrinter(const LoadStats* stats, std::ostream* out, Clock::time_point start)
      : stats_(stats), out_(out), start_(start) {
    if (out_) thread_ = std::thread([this] { Loop(); });
  }
  ~ProgressPrinter() { Stop(); }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Loop() {
    StatsSnapshot before = stats_->Snapshot();
    Clock::time_point last = start_;
    std::unique_lock<std::mutex> lock(mu_);
    for (Clock::time_point next = start_ + std::chrono::seconds(1);; next += std::chrono::seconds(1)) {
      if (cv_.wait_until(lock, next, [this] { return done_; })) return;
      Clock::time_point now = Clock::now();
      StatsSnapshot snap = stats_->Snapshot();
      *out_ << ProgressLine(std::chrono::duration<double>(now - start_).count(),
                            std::chrono::duration<double>(now - last).count(), before, snap)
            << std::flush;
      before = std::move(snap);
      last = now;
    }
  }

  const LoadStats* stats_;
  std::ostream* out_;
  Clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

Result<Report> RunLoad(const LoadOptions& o, std::ostream* progress, std::atomic<bool>* stop) {
  if (Status s = Validate(o); !s.ok()) return s;
  std::string endpoint = o.endpoint.empty() ? DefaultEndpoint(o.protocol) : o.endpoint;
  if (o.protocol != Protocol::kGrpc)
    if (auto t = ParseHttpEndpoint(endpoint); !t.ok()) return t.status();
  Result<BatchSet> prepared = PrepareBatchesWithIds(o);
  if (!prepared.ok()) return prepared.status();
  const BatchSet& set = *prepared;

  LoadOptions resolved = o;
  resolved.endpoint = endpoint;
  std::unique_ptr<Sender> sender =
      o.protocol == Protocol::kGrpc ? MakeGrpcSender(resolved, set) : MakeHttpSender(resolved, set);
  if (Status s = sender->Connect(o.connect_timeout); !s.ok()) return s;
  std::unique_ptr<AckedLog> acked_log;
  if (!o.acked_log_path.empty()) {
    auto opened = AckedLog::Open(o.acked_log_path, set);
    if (!opened.ok()) return opened.status();
    acked_log = std::move(opened).value();
  }

  // The clock starts here: everything costly is done.
  std::atomic<bool> never{false};
  LoadStats stats;
  LatencyHistogram latencies;
  uint32_t largest = 0;
  for (uint32_t n : set.span_counts) largest = std::max(largest, n);
  CpuTimes cpu0 = ProcessCpu();
  Clock::time_point start = Clock::now();
  Pacer pacer(o.rate, largest, start);
  SendContext ctx;
  ctx.options = &resolved;
  ctx.batches = &set;
  ctx.pacer = &pacer;
  ctx.stats = &stats;
  ctx.deadline = start + std::chrono::duration_cast<Clock::duration>(o.duration);
  ctx.stop = stop ? stop : &never;
  ctx.acked_log = acked_log.get();
  {
    ProgressPrinter printer(&stats, o.progress ? progress : nullptr, start);
    sender->Run(&ctx, &latencies);
  }
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  CpuTimes cpu1 = ProcessCpu();

  Report r;
  r.protocol = std::string(ProtocolName(o.protocol));
  r.endpoint = endpoint;
  r.concurrency = o.concurrency;
  r.target_rate = o.rate;
  r.duration_s = std::chrono::duration<double>(o.duration).count();
  r.elapsed_s = elapsed;
  r.gzip = o.gzip;
  r.source = o.replay_path.empty() ? "generated (seed " + std::to_string(o.seed) + ")" : "replay " + o.replay_path;
  r.distinct_batches = static_cast<uint32_t>(set.bodies.size());
  r.bytes_per_span = static_cast<double>(set.TotalBytes()) / static_cast<double>(std::max<uint64_t>(1, set.TotalSpans()));
  r.stats = stats.Snapshot();
  r.cpu_user_s = cpu1.user - cpu0.user;
  r.cpu_sys_s = cpu1.sys - cpu0.sys;
  r.first_error = stats.first_error();
  if (acked_log) {
    Status closed = acked_log->Close();  // everything acknowledged is in the file from here on
    r.acked_log = o.acked_log_path;
    r.acked_spans_logged = acked_log->spans();
    if (!closed.ok()) r.acked_log_error = closed.message();
  }
  Finish(&r, latencies);
  return r;
}

Result<std::string> DumpBatches(const LoadOptions& o) {
  if (Status s = Validate(o); !s.ok()) return s;
  BatchSet set = GenerateBatchSet({.seed = o.seed,
                                   .batches = o.batches,
                                   .batch_spans = o.batch_spans,
                                   .base_time_unix_nano = UnixNanosNow(),
                                   .encoding = EncodingFor(o.protocol),
                                   .gzip = BodiesGzipped(o.protocol, o.gzip)});
  if (Status s = WriteDumpFile(set, o.dump_path); !s.ok()) return s;
  return "wrote " + std::to_string(set.bodies.size()) + " batches, " + std::to_string(set.TotalSpans()) + " spans, " +
         std::to_string(set.TotalBytes()) + " bytes of " +
         (set.encoding == BodyEncoding::kJson ? "OTLP/JSON" : "OTLP protobuf") + (set.gzip ? " (gzip)" : "") + " to " +
         o.dump_path;
}

}  // namespace rubato::load
