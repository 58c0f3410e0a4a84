#include "store/block/block_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>

#include "store/block/bloom.h"
#include "store/block/chunk.h"
#include "store/block/encoding.h"
#include "store/block/index.h"

namespace rubato::store::block {
namespace {

bool SpanLess(const SpanRef& a, const SpanRef& b) {
  const model::Span& x = a.span();
  const model::Span& y = b.span();
  if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

// Writes and fsyncs a whole file; a block is only made visible once all its files are durable.
Status WriteFile(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Unavailable(path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = Status::Unavailable(path + ": " + std::strerror(errno));
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  int rc = ::fdatasync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::Unavailable(path + ": fdatasync: " + std::strerror(errno));
}

void SyncDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) { ::fsync(fd); ::close(fd); }
}

std::string Rfc3339(uint64_t ns) {
  std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09uZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<unsigned>(ns % 1'000'000'000));
  return buf;
}

struct MetaFields {
  uint64_t min_time = UINT64_MAX, max_time = 0;
  model::TraceId min_id, max_id;
};

std::string MetaJson(const BlockWriterOptions& o, const BlockInfo& info, const MetaFields& m) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string j = "{\n  \"format\": \"rubato-block\", \"version\": 1,\n";
  j += "  \"blockID\": \"" + info.block_id + "\", \"tenantID\": \"" + o.tenant + "\",\n";
  j += "  \"minTime\": \"" + Rfc3339(m.min_time) + "\", \"maxTime\": \"" + Rfc3339(m.max_time) + "\",\n";
  j += "  \"minTraceID\": \"" + m.min_id.ToHex() + "\", \"maxTraceID\": \"" + m.max_id.ToHex() + "\",\n";
  j += "  \"traces\": " + std::to_string(info.traces) + ", \"spans\": " + std::to_string(info.spans) +
       ", \"rowGroups\": " + std::to_string(info.row_groups) + ",\n";
  j += "  \"dataBytes\": " + std::to_string(info.data_bytes) + ", \"indexBytes\": " +
       std::to_string(info.index_bytes) + ", \"bloomBytes\": " + std::to_string(info.bloom_bytes) + ",\n";
  j += "  \"compactionLevel\": " + std::to_string(o.compaction_level) + ", \"createdAt\": \"" +
       Rfc3339(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()) + "\",\n";
  j += "  \"dedicatedColumns\": []\n}\n";
  return j;
}

// Where each row group ends: whole traces, cut once ~row_group_spans are reached.
std::vector<size_t> RowGroupEnds(const std::vector<SpanRef>& spans, uint32_t target) {
  std::vector<size_t> ends;
  size_t group_start = 0;
  for (size_t i = 0; i < spans.size();) {
    size_t j = i;
    while (j < spans.size() && spans[j].span().trace_id == spans[i].span().trace_id) ++j;
    if (j - group_start > target && i > group_start) {
      ends.push_back(i);
      group_start = i;
    }
    i = j;
  }
  ends.push_back(spans.size());
  return ends;
}

}  // namespace

std::string NewBlockId() {
  std::random_device rd;
  std::mt19937_64 rng((uint64_t{rd()} << 32) ^ rd());
  uint64_t hi = rng(), lo = rng();
  hi = (hi & ~0xF000ull) | 0x4000ull;             // version 4
  lo = (lo & ~(3ull << 62)) | (2ull << 62);       // variant 10
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>(hi >> 16 & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
  return buf;
}

void BlockWriter::Add(const model::Batch& batch) {
  for (uint32_t i = 0; i < batch.spans.size(); ++i) spans_.push_back({&batch, i});
}

Result<BlockInfo> BlockWriter::Finish() {
  if (spans_.empty()) return Status::InvalidArgument("block: no spans");
  std::sort(spans_.begin(), spans_.end(), SpanLess);
  BlockInfo info;
  info.block_id = NewBlockId();
  info.path = options_.root + "/" + options_.tenant + "/" + info.block_id;
  std::error_code ec;
  std::filesystem::create_directories(info.path, ec);
  if (ec) return Status::Unavailable(info.path + ": " + ec.message());

  std::string data(kDataMagic, 4);
  data.push_back(static_cast<char>(kFormatVersion));
  data.append(3, '\0');
  BlockIndex index;
  MetaFields meta;
  size_t begin = 0;
  for (size_t end : RowGroupEnds(spans_, options_.row_group_spans)) {
    EncodedRowGroup rg;
    EncodeRowGroup(std::span(spans_).subspan(begin, end - begin), &rg);
    RowGroupDir dir;
    for (int c = 0; c < kColumnCount; ++c) {
      size_t at = data.size();
      AppendChunk(kAllColumns[c], rg.columns[c], options_.zstd_level, &data);
      dir.chunks.push_back({kAllColumns[c], at, data.size() - at});
    }
    dir.first_trace = rg.traces.front().id;
    dir.last_trace = rg.traces.back().id;
    dir.min_start = UINT64_MAX;
    for (const TraceEntry& t : rg.traces) {
      dir.min_start = std::min(dir.min_start, t.start);
      dir.max_start = std::max(dir.max_start, t.start);
      meta.min_time = std::min(meta.min_time, t.start);
      meta.max_time = std::max(meta.max_time, t.end);
      uint64_t dur_ms = t.end > t.start ? (t.end - t.start + 999'999) / 1'000'000 : 0;
      index.traces.push_back({t.id, static_cast<uint32_t>(index.row_groups.size()), t.first_row,
                              t.span_count, t.start, dur_ms});
    }
    index.row_groups.push_back(std::move(dir));
    begin = end;
  }
  std::vector<model::TraceId> ids;
  for (const IndexEntry& t : index.traces) ids.push_back(t.id);
  std::string index_bytes = index.Serialize();
  std::string bloom_bytes = Bloom::Build(ids);
  meta.min_id = ids.front();
  meta.max_id = ids.back();
  info.traces = ids.size();
  info.spans = spans_.size();
  info.row_groups = index.row_groups.size();
  info.data_bytes = data.size();
  info.index_bytes = index_bytes.size();
  info.bloom_bytes = bloom_bytes.size();

  // Order matters: meta.json last, so a crash never leaves a visible partial block.
  for (auto [name, bytes] : {std::pair<const char*, std::string_view>{"data", data}, {"index", index_bytes},
                             {"bloom", bloom_bytes}}) {
    Status s = WriteFile(info.path + "/" + name, bytes);
    if (!s.ok()) return s;
  }
  SyncDir(info.path);
  Status s = WriteFile(info.path + "/meta.json", MetaJson(options_, info, meta));
  if (!s.ok()) return s;
  SyncDir(info.path);
  return info;
}

}  // namespace rubato::store::block
