// Backend on a local filesystem: one file per object under a root folder.
// Put writes and fdatasyncs the file and its folder; ranged reads use pread on
// file descriptors cached per object (objects are immutable, so a cached fd
// never goes stale until Delete).
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "store/backend/backend.h"

namespace rubato::store::backend {

class LocalBackend : public Backend {
 public:
  explicit LocalBackend(std::string root, size_t max_open_files = 256);
  ~LocalBackend() override;

  Status Put(std::string_view key, std::string_view bytes) override;
  Result<std::unique_ptr<ObjectWriter>> Create(std::string_view key) override;
  Result<std::string> Read(std::string_view key) override;
  Result<std::string> ReadRange(std::string_view key, uint64_t offset, uint64_t length) override;
  void WillRead(std::string_view key, uint64_t offset, uint64_t length) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;
  Status Delete(std::string_view key) override;
  Status DeletePrefix(std::string_view prefix) override;

  const std::string& root() const { return root_; }
  // Descriptors currently cached for ranged reads (tests, metrics).
  size_t open_files() const;

 private:
  // One open object: shared so that a reader keeps using its descriptor while
  // another thread evicts it from the cache (closed when the last user drops it).
  struct OpenFile {
    int fd = -1;
    uint64_t size = 0;  // objects are immutable, so the size at open time holds
    ~OpenFile();
  };
  using FilePtr = std::shared_ptr<const OpenFile>;
  struct CacheEntry {
    FilePtr file;
    std::list<std::string>::iterator lru;  // position in lru_ (front: most recent)
  };

  std::string PathOf(std::string_view key) const;
  Result<FilePtr> Acquire(const std::string& key);
  void Evict(std::string_view key_or_prefix, bool prefix);

  std::string root_;
  size_t max_open_files_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;                           // guarded by mu_
  std::unordered_map<std::string, CacheEntry> cache_;    // guarded by mu_
};

}  // namespace rubato::store::backend
