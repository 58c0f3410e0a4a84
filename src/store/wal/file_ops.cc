#include "store/wal/file_ops.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace rubato::store::wal {

Status ErrnoStatus(std::string_view what, int err) {
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(err);
  return Status::Unavailable(std::move(msg));
}

Status PosixFileOps::Write(int fd, std::span<const iovec> iov_in, uint64_t offset) {
  std::vector<iovec> iov(iov_in.begin(), iov_in.end());
  size_t i = 0;
  while (i < iov.size()) {
    ssize_t n = ::pwritev(fd, iov.data() + i, static_cast<int>(iov.size() - i), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("wal write", errno);
    }
    if (n == 0) return ErrnoStatus("wal write", EIO);
    offset += static_cast<uint64_t>(n);
    // Drop the fully written buffers and advance into a partly written one.
    for (auto left = static_cast<size_t>(n); left > 0 && i < iov.size();) {
      size_t take = std::min(left, iov[i].iov_len);
      iov[i].iov_base = static_cast<char*>(iov[i].iov_base) + take;
      iov[i].iov_len -= take;
      left -= take;
      if (iov[i].iov_len == 0) ++i;
    }
    while (i < iov.size() && iov[i].iov_len == 0) ++i;
  }
  return Status::Ok();
}

Status PosixFileOps::Sync(int fd) {
  if (::fdatasync(fd) != 0) return ErrnoStatus("wal fdatasync", errno);
  return Status::Ok();
}

Status PosixFileOps::Allocate(int fd, uint64_t size) {
  // posix_fallocate returns the error instead of setting errno.
  int err = ::posix_fallocate(fd, 0, static_cast<off_t>(size));
  if (err != 0) return ErrnoStatus("wal preallocate", err);
  return Status::Ok();
}

Status PosixFileOps::Truncate(int fd, uint64_t size) {
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) return ErrnoStatus("wal truncate", errno);
  return Status::Ok();
}

PosixFileOps* PosixFileOps::Default() {
  static PosixFileOps ops;
  return &ops;
}

}  // namespace rubato::store::wal
