#include "store/backend/local_backend.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace rubato::store::backend {
namespace {

// Disk trouble on the write path is retryable by definition (the WAL still
// holds the data), so it is Unavailable and carries the OS's words for it.
Status WriteError(const std::string& what, int err) {
  return Status::Unavailable(what + ": " + std::strerror(err));
}
Status ReadError(const std::string& what, int err) { return Status::Internal(what + ": " + std::strerror(err)); }

// Keys come from tenant IDs and block IDs, which come from the network in the
// end: a key must never name anything outside the root.
Status CheckKey(std::string_view key, bool allow_empty) {
  if (key.empty()) {
    return allow_empty ? Status::Ok() : Status::InvalidArgument("backend: empty key");
  }
  auto bad = [&](const char* why) {
    return Status::InvalidArgument("backend: bad key \"" + std::string(key) + "\": " + why);
  };
  if (key.front() == '/') return bad("starts with '/'");
  if (key.back() == '/') return bad("ends with '/'");
  if (key.find("..") != std::string_view::npos) return bad("contains \"..\"");
  if (key.find("//") != std::string_view::npos) return bad("has an empty component");
  if (key.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
  if (key == "." || key.starts_with("./") || key.find("/./") != std::string_view::npos || key.ends_with("/.")) {
    return bad("has a '.' component");
  }
  return Status::Ok();
}

std::string ParentOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : (slash == 0 ? std::string("/") : path.substr(0, slash));
}

// A new or removed directory entry is durable only once its folder is synced.
Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return WriteError(dir + ": open folder", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : WriteError(dir + ": fsync folder", err);
}

// Creates the missing folders of `path` (the root too, on first use), syncing
// the parent of each one created so that the new path survives a crash.
Status MakeParents(const std::string& path) {
  std::vector<std::string> missing;
  for (std::string dir = ParentOf(path); dir.size() > 1; dir = ParentOf(dir)) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) break;
    missing.push_back(dir);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) return WriteError(*it + ": mkdir", errno);
    if (Status s = SyncDir(ParentOf(*it)); !s.ok()) return s;
  }
  return Status::Ok();
}

Status WriteAll(int fd, const std::string& path, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return WriteError(path + ": write", errno);
    if (w == 0) return WriteError(path + ": write", EIO);
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status PreadAll(int fd, const std::string& what, char* p, uint64_t offset, uint64_t n) {
  while (n > 0) {
    ssize_t r = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return ReadError(what + ": read", errno);
    if (r == 0) return Status::Internal(what + ": short read at offset " + std::to_string(offset));
    p += r;
    offset += static_cast<uint64_t>(r);
    n -= static_cast<uint64_t>(r);
  }
  return Status::Ok();
}

// Streams to the final path through a buffer (the block writer appends many
// small column chunks). Not closed → the partial file is removed, the local
// equivalent of an abandoned multipart upload.
class LocalObjectWriter : public ObjectWriter {
 public:
  static constexpr size_t kBuffer = 1 << 20;

  LocalObjectWriter(std::string path, int fd) : path_(std::move(path)), fd_(fd) { buf_.reserve(kBuffer); }
  ~LocalObjectWriter() override {
    if (fd_ >= 0) ::close(fd_);
    if (!closed_) ::unlink(path_.c_str());
  }

  Status Append(std::string_view bytes) override {
    if (!failed_.ok()) return failed_;
    if (closed_) return Status::InvalidArgument(path_ + ": append after close");
    written_ += bytes.size();
    if (buf_.size() + bytes.size() <= kBuffer) {
      buf_.append(bytes);
      return Status::Ok();
    }
    if (Status s = Flush(); !s.ok()) return s;
    if (bytes.size() >= kBuffer) return Fail(WriteAll(fd_, path_, bytes.data(), bytes.size()));
    buf_.append(bytes);
    return Status::Ok();
  }

  Status Close() override {
    if (!failed_.ok()) return failed_;
    if (closed_) return Status::Ok();
    if (Status s = Flush(); !s.ok()) return s;
    if (::fdatasync(fd_) != 0) return Fail(WriteError(path_ + ": fdatasync", errno));
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return Fail(WriteError(path_ + ": close", errno));
    if (Status s = SyncDir(ParentOf(path_)); !s.ok()) return Fail(s);
    closed_ = true;
    return Status::Ok();
  }

  uint64_t bytes_written() const override { return written_; }

 private:
  Status Flush() {
    Status s = WriteAll(fd_, path_, buf_.data(), buf_.size());
    buf_.clear();
    return Fail(std::move(s));
  }
  Status Fail(Status s) {
    if (!s.ok()) failed_ = s;
    return s;
  }

  std::string path_;
  int fd_;
  std::string buf_;
  uint64_t written_ = 0;
  bool closed_ = false;
  Status failed_;
};

}  // namespace

LocalBackend::OpenFile::~OpenFile() {
  if (fd >= 0) ::close(fd);
}

LocalBackend::LocalBackend(std::string root, size_t max_open_files)
    : root_(std::move(root)), max_open_files_(std::max<size_t>(1, max_open_files)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

LocalBackend::~LocalBackend() = default;

std::string LocalBackend::PathOf(std::string_view key) const {
  std::string p = root_;
  if (!key.empty()) {
    p.push_back('/');
    p.append(key);
  }
  return p;
}

Status LocalBackend::Put(std::string_view key, std::string_view bytes) {
  if (Status s = CheckKey(key, false); !s.ok()) return s;
  std::string path = PathOf(key);
  Evict(key, false);  // a rewritten key must not be read through a stale size
  if (Status s = MakeParents(path); !s.ok()) return s;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return WriteError(path + ": open", errno);
  Status s = WriteAll(fd, path, bytes.data(), bytes.size());
  if (s.ok() && ::fdatasync(fd) != 0) s = WriteError(path + ": fdatasync", errno);
  if (::close(fd) != 0 && s.ok()) s = WriteError(path + ": close", errno);
  if (s.ok()) s = SyncDir(ParentOf(path));
  if (!s.ok()) ::unlink(path.c_str());  // a failed Put leaves no object (nor its space used)
  return s;
}

Result<std::unique_ptr<ObjectWriter>> LocalBackend::Create(std::string_view key) {
  if (Status s = CheckKey(key, false); !s.ok()) return s;
  std::string path = PathOf(key);
  Evict(key, false);
  if (Status s = MakeParents(path); !s.ok()) return s;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return WriteError(path + ": open", errno);
  return std::unique_ptr<ObjectWriter>(new LocalObjectWriter(std::move(path), fd));
}

Result<std::string> LocalBackend::Read(std::string_view key) {
  if (Status s = CheckKey(key, false); !s.ok()) return s;
  std::string path = PathOf(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::NotFound(path + ": no such object");
    return ReadError(path + ": open", errno);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = ReadError(path + ": stat", errno);
    ::close(fd);
    return s;
  }
  std::string out(static_cast<size_t>(st.st_size), '\0');
  Status s = PreadAll(fd, path, out.data(), 0, out.size());
  ::close(fd);
  if (!s.ok()) return s;
  return out;
}

Result<LocalBackend::FilePtr> LocalBackend::Acquire(const std::string& key) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.lru);
      return it->second.file;
    }
  }
  // Opened outside the lock: a slow open must not stall readers of other objects.
  std::string path = PathOf(key);
  auto file = std::make_shared<OpenFile>();
  file->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::NotFound(path + ": no such object");
    return ReadError(path + ": open", errno);
  }
  struct stat st;
  if (::fstat(file->fd, &st) != 0) return ReadError(path + ": stat", errno);
  file->size = static_cast<uint64_t>(st.st_size);

  std::lock_guard lock(mu_);
  auto [it, inserted] = cache_.try_emplace(key);
  if (!inserted) {  // another thread opened it meanwhile: share theirs, ours closes
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second.file;
  }
  lru_.push_front(key);
  it->second = {file, lru_.begin()};
  while (cache_.size() > max_open_files_) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  return FilePtr(file);
}

void LocalBackend::Evict(std::string_view key, bool prefix) {
  std::lock_guard lock(mu_);
  if (!prefix) {
    auto it = cache_.find(std::string(key));
    if (it == cache_.end()) return;
    lru_.erase(it->second.lru);
    cache_.erase(it);
    return;
  }
  for (auto it = cache_.begin(); it != cache_.end();) {
    std::string_view k = it->first;
    if (k == key || (k.starts_with(key) && k[key.size()] == '/')) {
      lru_.erase(it->second.lru);
      it = cache_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t LocalBackend::open_files() const {
  std::lock_guard lock(mu_);
  return cache_.size();
}

Result<std::string> LocalBackend::ReadRange(std::string_view key, uint64_t offset, uint64_t length) {
  if (Status s = CheckKey(key, false); !s.ok()) return s;
  std::string k(key);
  auto file = Acquire(k);
  if (!file.ok()) return file.status();
  const OpenFile& f = **file;
  // Checked before allocating: a corrupt length must not become a huge buffer.
  if (offset > f.size || length > f.size - offset) {
    return Status::Internal(PathOf(key) + ": short read: " + std::to_string(length) + " bytes at " +
                            std::to_string(offset) + " of a " + std::to_string(f.size) + "-byte object");
  }
  std::string out(length, '\0');
  if (Status s = PreadAll(f.fd, PathOf(key), out.data(), offset, length); !s.ok()) return s;
  return out;
}

// The kernel starts reading pages not yet cached and returns at once.
void LocalBackend::WillRead(std::string_view key, uint64_t offset, uint64_t length) {
  if (!CheckKey(key, false).ok()) return;
  auto file = Acquire(std::string(key));
  if (!file.ok()) return;
  (void)::posix_fadvise((*file)->fd, static_cast<off_t>(offset), static_cast<off_t>(length), POSIX_FADV_WILLNEED);
}

Result<std::vector<std::string>> LocalBackend::List(std::string_view prefix) {
  if (Status s = CheckKey(prefix, true); !s.ok()) return s;
  std::string path = PathOf(prefix);
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    // Object stores have no folders: an empty prefix simply lists nothing.
    if (errno == ENOENT || errno == ENOTDIR) return std::vector<std::string>{};
    return ReadError(path + ": list", errno);
  }
  std::vector<std::string> names;
  errno = 0;
  while (dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return ReadError(path + ": list", err);
  std::sort(names.begin(), names.end());
  return names;
}

Status LocalBackend::Delete(std::string_view key) {
  if (Status s = CheckKey(key, false); !s.ok()) return s;
  Evict(key, false);
  std::string path = PathOf(key);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::Ok();
    return WriteError(path + ": unlink", errno);
  }
  // Deleting meta.json is what hides a block; it must not come back after a crash.
  return SyncDir(ParentOf(path));
}

Status LocalBackend::DeletePrefix(std::string_view prefix) {
  if (prefix.empty()) return Status::InvalidArgument("backend: DeletePrefix needs a prefix (refusing to empty the root)");
  if (Status s = CheckKey(prefix, false); !s.ok()) return s;
  Evict(prefix, true);
  std::string path = PathOf(prefix);
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return Status::Unavailable(path + ": remove: " + ec.message());
  std::string parent = ParentOf(path);
  struct stat st;
  // The parent may be gone too (another DeletePrefix): nothing left to sync.
  if (::stat(parent.c_str(), &st) != 0) return Status::Ok();
  return SyncDir(parent);
}

}  // namespace rubato::store::backend
