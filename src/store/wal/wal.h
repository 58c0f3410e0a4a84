// The write-ahead log: every batch is appended here and made durable before its
// request is acknowledged. Records live in preallocated segment files named by
// the first sequence number they hold; the format is docs/format/wal.md.
//
// Group commit: Append writes its record under a lock, then waits for an
// fdatasync that covers it. Whoever finds no sync running becomes the leader
// and syncs everything written so far, outside the lock, while others keep
// writing; when it finishes, one waiter leads the next round. N concurrent
// appenders therefore share syncs instead of paying one each.
//
// Failures: a write or sync error voids every record not yet durable (their
// Append calls all return Unavailable), truncates the segment back to its
// durable end, and makes the next Append start a fresh segment. Sequence
// numbers of voided records are never reused, so nothing half-written can be
// mistaken for a later record.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "status/status.h"
#include "store/wal/file_ops.h"

namespace rubato::store::wal {

struct WalOptions {
  std::string dir;                     // created if missing
  uint64_t segment_bytes = 64ull << 20;  // preallocated size of each segment
  FileOps* file_ops = nullptr;         // not owned; PosixFileOps::Default() when null
  // Where replay repairs and corruption are reported; stderr when empty.
  std::function<void(std::string_view)> log;
};

struct ReplayStats {
  uint64_t segments = 0;
  uint64_t records = 0;
  uint64_t bytes = 0;            // tenant + payload bytes handed to the callback
  uint64_t skipped_corrupt = 0;  // corrupt regions skipped (replay continued after them)
  uint64_t truncated_bytes = 0;  // torn tail removed from the last segment at Open
  double seconds = 0;
  double RecordsPerSecond() const { return seconds > 0 ? records / seconds : 0; }
  double MegabytesPerSecond() const { return seconds > 0 ? bytes / seconds / 1e6 : 0; }
};

struct WalStats {
  uint64_t appends = 0;     // acknowledged (durable) appends
  uint64_t failed_appends = 0;
  uint64_t syncs = 0;       // fdatasync calls, group commits and segment rotations alike
  uint64_t sync_nanos = 0;  // total time spent in them
  uint64_t max_sync_nanos = 0;
  uint64_t segments_created = 0;
};

class Wal {
 public:
  using ReplayFn = std::function<void(uint64_t seq, std::string_view tenant, std::string_view payload)>;

  // Lists the segments, checks their headers (InvalidArgument naming a bad
  // file) and repairs a torn tail of the last one, so appends continue cleanly.
  static Result<std::unique_ptr<Wal>> Open(const WalOptions& options);
  ~Wal();
  Wal(const Wal&) = delete;
  Wal& operator=(const Wal&) = delete;

  // Returns the record's sequence number once it is durable. Unavailable (with
  // the errno text) when the disk refused it; nothing of it is acknowledged.
  // Thread-safe. The tenant is at most 65,535 bytes.
  Result<uint64_t> Append(std::string_view tenant, std::string_view payload);

  // Calls `fn` for every good record of every segment, oldest first. The views
  // are valid only during the call. Run it before appending (start-up).
  Status Replay(const ReplayFn& fn, ReplayStats* stats);

  // Ends the segment being written (synced, trimmed to its records), so every
  // record numbered below the returned value is in a sealed segment that
  // TruncateBefore can delete once a block holds it. The next Append starts a
  // new segment. Unavailable when the sync fails (the records are voided).
  Result<uint64_t> Seal();

  // Deletes whole segments whose records all have a sequence number < seq
  // (never the segment being written). Called once a block holds them.
  Status TruncateBefore(uint64_t seq);

  // Closes the files; later Appends return Unavailable. Idempotent.
  void Close();

  WalStats stats() const;
  size_t segment_count() const;

 private:
  struct Segment;
  struct SegmentName {
    uint64_t first_seq;
    std::string path;
  };
  struct Epoch {  // how a failure ended an epoch: what was durable, and why
    uint64_t durable_seq;
    Status error;
  };

  explicit Wal(const WalOptions& options);
  Status LoadSegments();
  Status RepairLastSegment();
  Status Rotate(uint64_t record_size);  // needs mu_
  Status CreateSegment(uint64_t first_seq, uint64_t capacity);
  Status Sync(int fd);  // timed and counted
  void Fail(const Status& error);       // needs mu_
  // Waits until record `seq` written in `epoch` is durable or voided (needs lock).
  Result<uint64_t> AwaitDurable(std::unique_lock<std::mutex>& lock, uint64_t seq, uint64_t epoch);
  void Log(const std::string& msg) const;

  WalOptions options_;
  FileOps* ops_;
  mutable std::mutex mu_;
  mutable std::mutex stats_mu_;  // sync timings, also updated by leaders outside mu_
  std::condition_variable cv_;
  std::vector<SegmentName> segments_;  // oldest first; the last is the one written
  std::shared_ptr<Segment> active_;    // null: the next Append starts a segment
  uint64_t write_offset_ = 0;
  uint64_t durable_offset_ = 0;
  uint64_t next_seq_ = 1;
  uint64_t written_seq_ = 0;
  uint64_t durable_seq_ = 0;
  uint64_t epoch_ = 0;
  std::vector<Epoch> ended_epochs_;  // index = epoch number
  bool sync_running_ = false;
  bool closed_ = false;
  uint64_t open_truncated_bytes_ = 0;
  uint64_t replay_end_ = 0;  // where the last segment's records ended at Open (0: unknown)
  WalStats stats_;
};

}  // namespace rubato::store::wal
