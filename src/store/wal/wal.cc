// The append path: record writes under the lock, group-committed syncs outside
// it, segment rotation and failure handling. Open/Replay are in wal_recovery.cc.
#include "store/wal/wal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>

#include "store/wal/record.h"
#include "store/wal/segment.h"

namespace rubato::store::wal {

Wal::Wal(const WalOptions& options)
    : options_(options), ops_(options.file_ops ? options.file_ops : PosixFileOps::Default()) {}

Wal::~Wal() { Close(); }

void Wal::Log(const std::string& msg) const {
  if (options_.log) options_.log(msg);
  else std::fprintf(stderr, "rubato wal: %s\n", msg.c_str());
}

Status Wal::Sync(int fd) {
  auto start = std::chrono::steady_clock::now();
  Status st = ops_->Sync(fd);
  auto ns = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
  std::lock_guard stats_lock(stats_mu_);
  ++stats_.syncs;
  stats_.sync_nanos += ns;
  stats_.max_sync_nanos = std::max(stats_.max_sync_nanos, ns);
  return st;
}

Result<uint64_t> Wal::Append(std::string_view tenant, std::string_view payload) {
  if (tenant.size() > kMaxTenantSize) return Status::InvalidArgument("wal: tenant longer than 65535 bytes");
  uint64_t size = kRecordHeaderSize + tenant.size() + payload.size();
  if (size > UINT32_MAX - kSegmentHeaderSize) return Status::InvalidArgument("wal: record larger than 4 GiB");
  uint32_t body_crc = BodyCrc(tenant, payload);  // the costly pass, outside the lock

  std::unique_lock lock(mu_);
  if (closed_) return Status::Unavailable("wal: closed");
  if (!active_ || write_offset_ + size > active_->capacity) {
    if (Status st = Rotate(size); !st.ok()) {
      ++stats_.failed_appends;
      return st;
    }
  }
  uint64_t seq = next_seq_++;  // burned even if the write fails: never reused
  char header[kRecordHeaderSize];
  EncodeRecordHeader(header, static_cast<uint32_t>(size), ExtendCrcWithSeq(body_crc, seq), seq,
                     static_cast<uint16_t>(tenant.size()));
  iovec iov[3] = {{header, sizeof header},
                  {const_cast<char*>(tenant.data()), tenant.size()},
                  {const_cast<char*>(payload.data()), payload.size()}};
  if (Status st = ops_->Write(active_->fd, iov, write_offset_); !st.ok()) {
    Fail(st);
    ++stats_.failed_appends;
    return st;
  }
  write_offset_ += size;
  written_seq_ = seq;
  replay_end_ = 0;  // the end found at Open no longer bounds the last segment
  return AwaitDurable(lock, seq, epoch_);
}

Result<uint64_t> Wal::AwaitDurable(std::unique_lock<std::mutex>& lock, uint64_t seq, uint64_t epoch) {
  while (true) {
    if (epoch != epoch_) {  // a failure ended our epoch: durable only if synced before it
      const Epoch& e = ended_epochs_[epoch];
      if (seq <= e.durable_seq) break;
      ++stats_.failed_appends;
      return e.error;
    }
    if (durable_seq_ >= seq) break;
    if (closed_) return Status::Unavailable("wal: closed before the record was synced");
    if (sync_running_) {
      cv_.wait(lock);
      continue;
    }
    // Lead a group commit: sync everything written so far, outside the lock.
    sync_running_ = true;
    std::shared_ptr<Segment> segment = active_;
    uint64_t target_seq = written_seq_, target_offset = write_offset_;
    lock.unlock();
    Status st = Sync(segment->fd);
    lock.lock();
    sync_running_ = false;
    if (epoch == epoch_) {
      if (!st.ok()) {
        Fail(st);
      } else {
        durable_seq_ = std::max(durable_seq_, target_seq);
        if (segment == active_) durable_offset_ = std::max(durable_offset_, target_offset);
      }
    }
    cv_.notify_all();
  }
  ++stats_.appends;
  return seq;
}

void Wal::Fail(const Status& error) {
  Log("write or sync failed, " + std::to_string(written_seq_ - durable_seq_) +
      " unsynced record(s) refused: " + error.message());
  ended_epochs_.push_back({durable_seq_, error});
  ++epoch_;
  written_seq_ = durable_seq_;
  if (active_) {
    // Cut the unacknowledged bytes off, so no replay can ever see them; the
    // next Append starts a new segment (which needs space, hence may fail).
    if (Status st = ops_->Truncate(active_->fd, durable_offset_); st.ok()) {
      (void)ops_->Sync(active_->fd);
    } else {
      Log("could not truncate " + active_->path + ": " + st.message());
    }
    active_.reset();
  }
  cv_.notify_all();
}

Status Wal::Rotate(uint64_t record_size) {
  if (active_ && written_seq_ > durable_seq_) {
    // Seal the full segment: what is written there becomes durable now, so
    // group-commit leaders only ever need to sync the active segment.
    if (Status st = Sync(active_->fd); !st.ok()) {
      Fail(st);
      return st;
    }
    durable_seq_ = written_seq_;
    cv_.notify_all();
  }
  uint64_t capacity = std::max(options_.segment_bytes, kSegmentHeaderSize + record_size);
  return CreateSegment(next_seq_, capacity);
}

Result<uint64_t> Wal::Seal() {
  std::unique_lock lock(mu_);
  if (closed_) return Status::Unavailable("wal: closed");
  cv_.wait(lock, [&] { return !sync_running_; });  // a leader may be syncing the active segment
  if (!active_ || write_offset_ == kSegmentHeaderSize) return next_seq_;
  if (written_seq_ > durable_seq_) {
    if (Status st = Sync(active_->fd); !st.ok()) {
      Fail(st);
      return st;
    }
    durable_seq_ = written_seq_;
    cv_.notify_all();
  }
  // Give back the preallocated space a sealed segment will never use.
  if (ops_->Truncate(active_->fd, write_offset_).ok()) (void)ops_->Sync(active_->fd);
  active_.reset();
  return next_seq_;
}

// Written under a temporary name and renamed once its header and preallocation
// are durable: a crash never leaves a segment without a valid header.
Status Wal::CreateSegment(uint64_t first_seq, uint64_t capacity) {
  std::string path = SegmentPath(options_.dir, first_seq);
  std::string tmp = path + ".tmp";
  auto seg = std::make_shared<Segment>();
  seg->path = path;
  seg->capacity = capacity;
  seg->fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (seg->fd < 0) return ErrnoStatus("wal create " + tmp, errno);
  std::string header = EncodeSegmentHeader(first_seq);
  iovec iov{header.data(), header.size()};
  Status st = ops_->Allocate(seg->fd, capacity);
  if (st.ok()) st = ops_->Write(seg->fd, {&iov, 1}, 0);
  if (st.ok()) st = Sync(seg->fd);
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = ErrnoStatus("wal rename " + tmp, errno);
  if (st.ok()) st = SyncDir(options_.dir);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  active_ = std::move(seg);
  segments_.push_back({first_seq, path});
  write_offset_ = durable_offset_ = kSegmentHeaderSize;
  ++stats_.segments_created;
  return Status::Ok();
}

Status Wal::TruncateBefore(uint64_t seq) {
  std::lock_guard lock(mu_);
  size_t drop = 0;
  // Segment i holds sequence numbers below segment i+1's first one.
  while (drop + 1 < segments_.size() && segments_[drop + 1].first_seq <= seq) {
    if (::unlink(segments_[drop].path.c_str()) != 0 && errno != ENOENT)
      return ErrnoStatus("wal unlink " + segments_[drop].path, errno);
    ++drop;
  }
  if (drop == 0) return Status::Ok();
  segments_.erase(segments_.begin(), segments_.begin() + static_cast<ptrdiff_t>(drop));
  return SyncDir(options_.dir);
}

void Wal::Close() {
  std::unique_lock lock(mu_);
  closed_ = true;
  cv_.wait(lock, [&] { return !sync_running_; });
  active_.reset();
}

WalStats Wal::stats() const {
  std::scoped_lock lock(mu_, stats_mu_);
  return stats_;
}

size_t Wal::segment_count() const {
  std::lock_guard lock(mu_);
  return segments_.size();
}

}  // namespace rubato::store::wal
