// Internal to the WAL: an open segment file, a read-only mapping of a file,
// and segment naming. Not part of the WAL's interface.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "status/status.h"
#include "store/wal/wal.h"

namespace rubato::store::wal {

// Closes its descriptor when the last holder lets go: a group-commit leader
// keeps the segment alive while it syncs outside the lock, even if a failure
// or a rotation has meanwhile replaced it.
struct Wal::Segment {
  std::string path;
  int fd = -1;
  uint64_t capacity = 0;  // preallocated size; records never extend the file
  ~Segment();
};

// A whole file mapped read-only, for scanning without copying.
class MappedFile {
 public:
  // Maps at most the first `limit` bytes (a replay knows where the last
  // segment's records end and need not read its preallocated zeros).
  static Result<std::unique_ptr<MappedFile>> Open(const std::string& path, uint64_t limit = UINT64_MAX);
  ~MappedFile();
  std::string_view data() const { return {static_cast<const char*>(addr_), size_}; }

 private:
  MappedFile() = default;
  void* addr_ = nullptr;
  size_t size_ = 0;
};

// "<dir>/<first_seq as 20 digits>.wal", so names sort in sequence order.
std::string SegmentPath(const std::string& dir, uint64_t first_seq);
// The first sequence number from a segment file name, or nullopt for other files.
std::optional<uint64_t> ParseSegmentName(std::string_view name);
// Makes renames and unlinks in `dir` durable.
Status SyncDir(const std::string& dir);

}  // namespace rubato::store::wal
