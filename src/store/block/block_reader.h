// Reads one block (docs/format/block.md): meta.json, index and bloom are read
// once at Open; FindTrace fetches only the row group holding the trace.
#pragma once

#include <memory>
#include <string>

#include "model/batch.h"
#include "status/status.h"
#include "store/block/bloom.h"
#include "store/block/index.h"

namespace rubato::store::block {

class BlockReader {
 public:
  // NotFound when `path` has no meta.json (not a block, or one still being
  // written); Internal when a file is corrupt. Errors name the block.
  static Result<std::unique_ptr<BlockReader>> Open(const std::string& path);
  ~BlockReader();

  bool MayContain(const model::TraceId& id) const { return bloom_.MayContain(id); }
  // The trace's spans in a Batch that owns its bytes; NotFound when absent.
  Result<model::Batch> FindTrace(const model::TraceId& id) const;

  const std::string& path() const { return path_; }
  const BlockIndex& index() const { return index_; }

 private:
  BlockReader(std::string path, int fd, BlockIndex index, Bloom bloom)
      : path_(std::move(path)), fd_(fd), index_(std::move(index)), bloom_(std::move(bloom)) {}
  Result<std::string> ReadRange(uint64_t offset, uint64_t length) const;

  std::string path_;
  int fd_;
  BlockIndex index_;
  Bloom bloom_;
};

}  // namespace rubato::store::block
