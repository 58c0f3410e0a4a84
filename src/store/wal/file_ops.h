// The few file operations the WAL must be able to fail on purpose: writes,
// syncs, preallocation and truncation. Tests substitute an implementation that
// counts syncs or injects ENOSPC/EIO; production uses PosixFileOps. Opening,
// reading (mmap), listing and unlinking stay plain POSIX calls in the WAL.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <span>
#include <string>

#include "status/status.h"

namespace rubato::store::wal {

class FileOps {
 public:
  virtual ~FileOps() = default;
  // Writes all of `iov` at `offset` (short writes are continued).
  virtual Status Write(int fd, std::span<const iovec> iov, uint64_t offset) = 0;
  // fdatasync: data and the metadata needed to read it back.
  virtual Status Sync(int fd) = 0;
  // Reserves [0, size) so later writes within it cannot hit ENOSPC.
  virtual Status Allocate(int fd, uint64_t size) = 0;
  virtual Status Truncate(int fd, uint64_t size) = 0;
};

class PosixFileOps : public FileOps {
 public:
  Status Write(int fd, std::span<const iovec> iov, uint64_t offset) override;
  Status Sync(int fd) override;
  Status Allocate(int fd, uint64_t size) override;
  Status Truncate(int fd, uint64_t size) override;
  static PosixFileOps* Default();
};

// Unavailable("<what>: <strerror(err)>"): disk trouble is retryable by definition.
Status ErrnoStatus(std::string_view what, int err);

}  // namespace rubato::store::wal
