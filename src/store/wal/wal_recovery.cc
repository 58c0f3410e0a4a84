// Start-up: finding the segments, repairing a torn tail, and replay.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <filesystem>

#include "store/wal/record.h"
#include "store/wal/segment.h"
#include "store/wal/wal.h"

namespace rubato::store::wal {

Result<std::unique_ptr<Wal>> Wal::Open(const WalOptions& options) {
  if (options.dir.empty()) return Status::InvalidArgument("wal: no directory configured");
  if (options.segment_bytes < 4096) return Status::InvalidArgument("wal: segment size below 4096 bytes");
  std::error_code ec;
  std::filesystem::create_directories(options.dir, ec);
  if (ec) return Status::Unavailable("wal: create " + options.dir + ": " + ec.message());
  std::unique_ptr<Wal> wal(new Wal(options));
  if (Status st = wal->LoadSegments(); !st.ok()) return st;
  if (Status st = wal->RepairLastSegment(); !st.ok()) return st;
  return wal;
}

// Lists segments in sequence order and checks each header, so a foreign or
// future-version file stops start-up with its name rather than being skipped.
Status Wal::LoadSegments() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(options_.dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".wal.tmp")) {  // a rotation interrupted by a crash: never acknowledged anything
      Log("removing unfinished segment " + entry.path().string());
      std::filesystem::remove(entry.path(), ec);
      continue;
    }
    if (auto first = ParseSegmentName(name)) segments_.push_back({*first, entry.path().string()});
  }
  if (ec) return Status::Unavailable("wal: list " + options_.dir + ": " + ec.message());
  std::sort(segments_.begin(), segments_.end(),
            [](const SegmentName& a, const SegmentName& b) { return a.first_seq < b.first_seq; });
  for (const SegmentName& s : segments_) {
    int fd = ::open(s.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("wal open " + s.path, errno);
    char buf[kSegmentHeaderSize];
    ssize_t n = ::pread(fd, buf, sizeof buf, 0);
    ::close(fd);
    uint64_t first = 0;
    if (Status st = ParseSegmentHeader({buf, n > 0 ? static_cast<size_t>(n) : 0}, s.path, &first); !st.ok()) return st;
    if (first != s.first_seq)
      return Status::InvalidArgument("wal segment " + s.path + ": header says first sequence " + std::to_string(first));
  }
  return Status::Ok();
}

// Scans the last segment to find where appends continue, and removes a torn
// tail (a record cut short by a crash, or garbage after the last good record)
// so that new records are never followed by stale bytes.
Status Wal::RepairLastSegment() {
  if (segments_.empty()) return Status::Ok();
  const SegmentName& last = segments_.back();
  ScanResult scan;
  uint64_t size = 0;
  {  // the mapping is released before the file is changed
    auto map = MappedFile::Open(last.path);
    if (!map.ok()) return map.status();
    size = (*map)->data().size();
    scan = ScanSegment((*map)->data(), last.first_seq, [](const ScannedRecord&) {}, [](uint64_t, uint64_t) {});
  }
  next_seq_ = scan.last_seq + 1;
  written_seq_ = durable_seq_ = scan.last_seq;

  auto seg = std::make_shared<Segment>();
  seg->path = last.path;
  seg->capacity = size;
  seg->fd = ::open(last.path.c_str(), O_RDWR | O_CLOEXEC);
  if (seg->fd < 0) return ErrnoStatus("wal open " + last.path, errno);
  if (scan.tail_garbage > 0) {
    Log("torn tail in " + last.path + ": truncating " + std::to_string(scan.tail_garbage) + " byte(s) after offset " +
        std::to_string(scan.end) + " (the last " + std::to_string(scan.records) + " record(s) before it are kept)");
    open_truncated_bytes_ = scan.tail_garbage;
    // Truncating then preallocating again zeroes the tail without writing it.
    if (Status st = ops_->Truncate(seg->fd, scan.end); !st.ok()) return st;
    if (!ops_->Allocate(seg->fd, size).ok()) seg->capacity = scan.end;  // no space: the next Append rotates
    if (Status st = Sync(seg->fd); !st.ok()) return st;
  }
  active_ = std::move(seg);
  write_offset_ = durable_offset_ = scan.end;
  replay_end_ = scan.end;
  return Status::Ok();
}

Status Wal::Replay(const ReplayFn& fn, ReplayStats* stats) {
  ReplayStats local;
  ReplayStats& s = stats ? *stats : local;
  s = ReplayStats{};
  s.truncated_bytes = open_truncated_bytes_;
  std::vector<SegmentName> segments;
  uint64_t replay_end = 0;
  {
    std::lock_guard lock(mu_);
    segments = segments_;
    replay_end = replay_end_;
  }
  auto start = std::chrono::steady_clock::now();
  for (const SegmentName& seg : segments) {
    // The last segment was scanned at Open: past its records it holds only
    // zeros (checked and repaired there), so replay stops at its end.
    uint64_t limit = &seg == &segments.back() && replay_end > 0 ? replay_end : UINT64_MAX;
    auto map = MappedFile::Open(seg.path, limit);
    if (!map.ok()) return map.status();
    std::string_view data = (*map)->data();
    uint64_t first = 0;
    if (Status st = ParseSegmentHeader(data, seg.path, &first); !st.ok()) return st;
    auto on_record = [&](const ScannedRecord& r) {
      fn(r.seq, r.tenant, r.payload);
      s.bytes += r.tenant.size() + r.payload.size();
    };
    auto on_corrupt = [&](uint64_t at, uint64_t resumed) {
      Log("corrupt record in " + seg.path + " at offset " + std::to_string(at) + ": skipped " +
          std::to_string(resumed - at) + " byte(s), replay continues");
    };
    ScanResult scan = ScanSegment(data, first, on_record, on_corrupt);
    s.records += scan.records;
    s.skipped_corrupt += scan.skipped_corrupt;
    if (scan.tail_garbage > 0 && &seg != &segments.back()) {
      // Sealed segments were synced whole, so bytes after their end are damage.
      Log("corrupt data in " + seg.path + ": " + std::to_string(scan.tail_garbage) + " byte(s) after offset " +
          std::to_string(scan.end) + " ignored");
      ++s.skipped_corrupt;
    }
    ++s.segments;
  }
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::Ok();
}

}  // namespace rubato::store::wal
