// Helpers for the WAL tests: a temporary directory, a FileOps that counts
// syncs and injects failures, and replay into a vector.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/wal/wal.h"

namespace rubato::store::wal::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rubato-wal-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Counts syncs; fails writes, syncs or preallocation with a chosen errno.
// A failing write first writes half its bytes, like a real partial write.
class FaultyOps : public PosixFileOps {
 public:
  std::atomic<uint64_t> syncs{0};
  std::atomic<int> write_errno{0}, sync_errno{0}, allocate_errno{0};
  std::atomic<int64_t> fail_sync_after{-1};
  std::atomic<int> sync_delay_us{0};  // models a disk's sync latency on tmpfs too  // >= 0: the sync after this many more succeeds fails once

  Status Write(int fd, std::span<const iovec> iov, uint64_t offset) override {
    if (int err = write_errno.load()) {
      std::string bytes;
      for (const iovec& v : iov) bytes.append(static_cast<const char*>(v.iov_base), v.iov_len);
      iovec half{bytes.data(), bytes.size() / 2};
      (void)PosixFileOps::Write(fd, {&half, 1}, offset);
      return ErrnoStatus("wal write", err);
    }
    return PosixFileOps::Write(fd, iov, offset);
  }
  Status Sync(int fd) override {
    ++syncs;
    if (int us = sync_delay_us.load()) std::this_thread::sleep_for(std::chrono::microseconds(us));
    if (int err = sync_errno.load()) return ErrnoStatus("wal fdatasync", err);
    if (fail_sync_after.load() >= 0 && fail_sync_after.fetch_sub(1) == 0) return ErrnoStatus("wal fdatasync", EIO);
    return PosixFileOps::Sync(fd);
  }
  Status Allocate(int fd, uint64_t size) override {
    if (int err = allocate_errno.load()) return ErrnoStatus("wal preallocate", err);
    return PosixFileOps::Allocate(fd, size);
  }
};

struct Rec {
  uint64_t seq;
  std::string tenant, payload;
  bool operator==(const Rec&) const = default;
};

inline std::vector<Rec> ReplayAll(Wal& wal, ReplayStats* stats = nullptr) {
  std::vector<Rec> out;
  Status st = wal.Replay([&](uint64_t seq, std::string_view t, std::string_view p) {
    out.push_back({seq, std::string(t), std::string(p)});
  }, stats);
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

inline std::vector<std::string> SegmentFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A payload whose bytes depend on `n` everywhere, including zeros and 0xFF.
inline std::string Payload(uint64_t n, size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((n * 131 + i * 7) % 256);
  return s;
}

// Opens a WAL in `dir` with quiet logging; a failure is reported and gives null.
inline std::unique_ptr<Wal> OpenOrDie(const std::string& dir, uint64_t segment_bytes = 8192,
                                      FileOps* ops = nullptr) {
  auto wal = Wal::Open({.dir = dir, .segment_bytes = segment_bytes, .file_ops = ops, .log = [](std::string_view) {}});
  EXPECT_TRUE(wal.ok()) << wal.status().message();
  return wal.ok() ? std::move(wal).value() : nullptr;
}

}  // namespace rubato::store::wal::testing
