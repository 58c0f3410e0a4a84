// Where blocks live: named, immutable objects with ranged reads. The local
// filesystem implements it now; S3-compatible object storage is the next
// implementation, so nothing here relies on rename, append to an existing
// object, or directory listings being consistent with in-flight writes.
// A block becomes visible when its meta.json object exists (written last).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "status/status.h"

namespace rubato::store::backend {

// Streams one large object (S3: a multipart upload). Nothing of it is visible
// before Close returns Ok; an object abandoned without Close is not visible.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual Status Append(std::string_view bytes) = 0;
  // Makes the object durable and visible. Unavailable on an I/O error.
  virtual Status Close() = 0;
  virtual uint64_t bytes_written() const = 0;
};

// Keys are '/'-separated paths such as "<tenant>/<block-id>/data".
class Backend {
 public:
  virtual ~Backend() = default;
  // Writes a whole object durably (fsync'd before Ok). Objects are never modified.
  virtual Status Put(std::string_view key, std::string_view bytes) = 0;
  virtual Result<std::unique_ptr<ObjectWriter>> Create(std::string_view key) = 0;
  // NotFound when absent; Internal on an I/O error.
  virtual Result<std::string> Read(std::string_view key) = 0;
  // Exactly `length` bytes at `offset`; Internal when the object is shorter.
  virtual Result<std::string> ReadRange(std::string_view key, uint64_t offset, uint64_t length) = 0;
  // A hint that ReadRange(key, offset, length) follows soon: a caller about
  // to make many small reads (a trace lookup reads one filter stripe per
  // block) announces them all first, so that their I/O overlaps.
  virtual void WillRead(std::string_view key, uint64_t offset, uint64_t length) {}
  // The names directly under `prefix` ("" lists tenants, "<tenant>" its blocks).
  virtual Result<std::vector<std::string>> List(std::string_view prefix) = 0;
  // Removes one object; Ok when it was already gone.
  virtual Status Delete(std::string_view key) = 0;
  // Removes whatever is left under a prefix once its objects are deleted (local folders).
  virtual Status DeletePrefix(std::string_view prefix) = 0;
};

}  // namespace rubato::store::backend
