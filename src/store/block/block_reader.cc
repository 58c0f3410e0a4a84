#include "store/block/block_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "store/block/chunk.h"
#include "store/block/row_group.h"

namespace rubato::store::block {
namespace {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// meta.json is written by us; checking the format marker and version is enough
// to reject foreign folders and future versions.
Status CheckMeta(const std::string& json) {
  if (json.find("\"format\": \"rubato-block\"") == std::string::npos) return Status::Internal("meta.json: not a rubato block");
  if (json.find("\"version\": 1,") == std::string::npos) return Status::Internal("meta.json: unsupported version");
  return Status::Ok();
}

}  // namespace

BlockReader::~BlockReader() { ::close(fd_); }

Result<std::unique_ptr<BlockReader>> BlockReader::Open(const std::string& path) {
  auto meta = ReadWholeFile(path + "/meta.json");
  if (!meta.ok()) return Status::NotFound("block " + path + ": no meta.json, not a block");
  Status s = CheckMeta(*meta);
  if (!s.ok()) return s.Prepend("block " + path);
  auto index_bytes = ReadWholeFile(path + "/index");
  if (!index_bytes.ok()) return Status::Internal("block " + path + ": " + index_bytes.status().message());
  auto index = BlockIndex::Parse(*index_bytes);
  if (!index.ok()) return Status::Internal("block " + path + ": " + index.status().message());
  auto bloom_bytes = ReadWholeFile(path + "/bloom");
  if (!bloom_bytes.ok()) return Status::Internal("block " + path + ": " + bloom_bytes.status().message());
  auto bloom = Bloom::Parse(std::move(bloom_bytes).value());
  if (!bloom.ok()) return Status::Internal("block " + path + ": " + bloom.status().message());
  int fd = ::open((path + "/data").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Internal("block " + path + ": data: " + std::strerror(errno));
  return std::unique_ptr<BlockReader>(
      new BlockReader(path, fd, std::move(index).value(), std::move(bloom).value()));
}

Result<std::string> BlockReader::ReadRange(uint64_t offset, uint64_t length) const {
  std::string buf(length, '\0');
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd_, buf.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::Internal("data: short read at " + std::to_string(offset + done));
    done += static_cast<size_t>(n);
  }
  return buf;
}

Result<model::Batch> BlockReader::FindTrace(const model::TraceId& id) const {
  const IndexEntry* entry = index_.Find(id);
  if (entry == nullptr) return Status::NotFound("trace " + id.ToHex() + " not in block " + path_);
  const RowGroupDir& dir = index_.row_groups[entry->row_group];
  RawColumns raw;
  for (const ChunkRef& c : dir.chunks) {
    int slot = ColumnSlot(c.column);
    if (slot < 0) continue;  // a column this version does not know: not needed to rebuild spans
    auto stored = ReadRange(c.offset, c.length);
    if (!stored.ok()) return Status::Internal("block " + path_ + ": " + stored.status().message());
    auto decoded = DecodeChunk(c.column, *stored);
    if (!decoded.ok()) {
      return Status::Internal("block " + path_ + ", row group " + std::to_string(entry->row_group) + ": " +
                              decoded.status().message());
    }
    raw.columns[slot] = std::move(decoded).value();
  }
  model::Batch out;
  Status s = DecodeRows(raw, entry->id, entry->first_row, entry->span_count, &out);
  if (!s.ok()) return s.Prepend("block " + path_ + ", row group " + std::to_string(entry->row_group));
  return out;
}

}  // namespace rubato::store::block
