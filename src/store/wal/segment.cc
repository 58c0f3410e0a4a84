#include "store/wal/segment.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <algorithm>
#include <cstdio>

namespace rubato::store::wal {

Wal::Segment::~Segment() {
  if (fd >= 0) ::close(fd);
}

Result<std::unique_ptr<MappedFile>> MappedFile::Open(const std::string& path, uint64_t limit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open " + path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("stat " + path, err);
  }
  std::unique_ptr<MappedFile> m(new MappedFile);
  m->size_ = static_cast<size_t>(std::min<uint64_t>(static_cast<uint64_t>(st.st_size), limit));
  if (m->size_ > 0) {
    m->addr_ = ::mmap(nullptr, m->size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m->addr_ == MAP_FAILED) {
      int err = errno;
      m->addr_ = nullptr;
      ::close(fd);
      return ErrnoStatus("mmap " + path, err);
    }
    ::madvise(m->addr_, m->size_, MADV_SEQUENTIAL);
  }
  ::close(fd);  // the mapping stays valid without the descriptor
  return m;
}

MappedFile::~MappedFile() {
  if (addr_) ::munmap(addr_, size_);
}

std::string SegmentPath(const std::string& dir, uint64_t first_seq) {
  char name[32];
  std::snprintf(name, sizeof name, "%020" PRIu64 ".wal", first_seq);
  return dir + "/" + name;
}

std::optional<uint64_t> ParseSegmentName(std::string_view name) {
  if (name.size() != 24 || name.substr(20) != ".wal") return std::nullopt;
  uint64_t v = 0;
  for (char c : name.substr(0, 20)) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open " + dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus("fsync " + dir, err);
  return Status::Ok();
}

}  // namespace rubato::store::wal
