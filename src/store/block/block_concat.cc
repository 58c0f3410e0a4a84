#include "store/block/block_concat.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <span>

#include "store/block/block_writer.h"
#include "store/block/format.h"
#include "store/block/index.h"
#include "store/block/striped_filter.h"

namespace rubato::store::block {
namespace {

// Copies are streamed in pieces of this size: memory stays flat whatever the block size.
constexpr uint64_t kCopyPiece = 4 << 20;

Status CopyRange(backend::Backend* backend, const std::string& key, uint64_t begin, uint64_t end,
                 backend::ObjectWriter* out) {
  for (uint64_t at = begin; at < end; at += kCopyPiece) {
    auto bytes = backend->ReadRange(key, at, std::min(kCopyPiece, end - at));
    if (!bytes.ok()) return bytes.status();
    if (Status s = out->Append(*bytes); !s.ok()) return s;
  }
  return Status::Ok();
}

// The output's meta.json fields that follow from the inputs' alone.
BlockMeta CombinedMeta(const std::string& tenant, const std::vector<const BlockReader*>& inputs,
                       uint32_t version) {
  BlockMeta m;
  m.version = version;
  m.block_id = NewBlockId();
  m.tenant = tenant;
  m.min_time = UINT64_MAX;
  m.min_trace_id = inputs.front()->meta().min_trace_id;
  m.max_trace_id = inputs.front()->meta().max_trace_id;
  std::set<std::string> dedicated;
  for (const BlockReader* r : inputs) {
    const BlockMeta& in = r->meta();
    m.min_time = std::min(m.min_time, in.min_time);
    m.max_time = std::max(m.max_time, in.max_time);
    m.min_trace_id = std::min(m.min_trace_id, in.min_trace_id);
    m.max_trace_id = std::max(m.max_trace_id, in.max_trace_id);
    m.traces += in.traces;  // trace parts: a trace in two inputs counts twice
    m.spans += in.spans;
    m.row_groups += in.row_groups;
    m.compaction_level = std::max(m.compaction_level, in.compaction_level + 1);
    m.wal_seq_end = std::max(m.wal_seq_end, in.wal_seq_end);
    m.compacted_from.push_back(in.block_id);
    dedicated.insert(in.dedicated_columns.begin(), in.dedicated_columns.end());
  }
  m.dedicated_columns.assign(dedicated.begin(), dedicated.end());
  m.created_at = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  return m;
}

// An input's runs as the output sees them: data shifted by where its bytes
// land, (version 2) bloom filters by where its filter lands.
void AddRuns(const BlockMeta& in, uint64_t data_delta, uint64_t bloom_at, std::vector<RunMeta>* out) {
  if (in.runs.empty()) {
    out->push_back({in.row_groups, data_delta, bloom_at, in.bloom_bytes});
    return;
  }
  for (const RunMeta& r : in.runs) out->push_back({r.row_groups, r.data_shift + data_delta, r.bloom_offset + bloom_at, r.bloom_bytes});
}

// The filter hashes of every trace part of `in`, per run, appended to
// `runs` (one entry per run): read from its index pages, whatever its version.
Status CollectFilterHashes(const BlockReader& in, std::vector<std::vector<uint64_t>>* runs) {
  const size_t first = runs->size();
  runs->resize(first + in.run_count());
  for (uint32_t g = 0; g < in.row_group_count(); ++g) {
    auto page = in.ReadIndexPage(g);
    if (!page.ok()) return page.status();
    std::vector<uint64_t>& out = (*runs)[first + in.run_of(g)];
    for (const IndexEntry& e : page->traces) out.push_back(TraceFilterHash(e.id));
  }
  return Status::Ok();
}

std::string BuildFilter(const std::vector<std::vector<uint64_t>>& runs) {
  std::vector<uint64_t> counts;
  for (const auto& r : runs) counts.push_back(r.size());
  StripedFilterBuilder b(counts);
  for (uint32_t r = 0; r < runs.size(); ++r) {
    for (uint64_t h : runs[r]) b.Add(r, h);
  }
  return std::move(b).Finish();
}

}  // namespace

Result<BlockMeta> ConcatBlocks(backend::Backend* backend, const std::string& tenant,
                               const std::vector<const BlockReader*>& inputs, uint32_t format_version) {
  if (inputs.size() < 2) return Status::InvalidArgument("concatenation needs at least two blocks");
  if (format_version != 2 && format_version != 3) {
    return Status::InvalidArgument("concatenation writes format version 2 or 3");
  }
  for (const BlockReader* r : inputs) {
    if (format_version == 2 && r->meta().version == 3) {
      return Status::InvalidArgument("a version-2 concatenation cannot take a version-3 block");
    }
  }
  BlockMeta meta = CombinedMeta(tenant, inputs, format_version);
  const std::string prefix = tenant + "/" + meta.block_id + "/";
  auto data = backend->Create(prefix + "data");
  if (!data.ok()) return data.status();
  auto index = backend->Create(prefix + "index");
  if (!index.ok()) return index.status();
  std::string header(kDataMagic, 4);
  header.push_back(static_cast<char>(kFormatVersion));
  header.append(3, '\0');
  if (Status s = (*data)->Append(header); !s.ok()) return s;
  if (Status s = (*index)->Append(IndexHeader()); !s.ok()) return s;

  PageDirectory directory;
  std::string bloom;
  std::vector<std::vector<uint64_t>> hashes;  // version 3: per output run
  for (const BlockReader* r : inputs) {
    const BlockMeta& in = r->meta();
    const std::string in_prefix = tenant + "/" + in.block_id + "/";
    // Bytes after the 8-byte header land at the output's current end, so its
    // data offsets (absolute in the input) move by end − 8.
    AddRuns(in, (*data)->bytes_written() - 8, bloom.size(), &meta.runs);
    if (format_version == 3) {
      for (RunMeta& run : std::span(meta.runs).last(r->run_count())) run.bloom_offset = run.bloom_bytes = 0;
    }
    if (Status s = CopyRange(backend, in_prefix + "data", 8, in.data_bytes, data->get()); !s.ok()) return s;
    const PageDirectory& pages = r->page_directory();
    uint64_t pages_end = pages.offset(pages.size() - 1) + pages.length(pages.size() - 1);
    if (Status s = CopyRange(backend, in_prefix + "index", kIndexHeaderBytes, pages_end, index->get()); !s.ok())
      return s;
    for (size_t p = 0; p < pages.size(); ++p) directory.Add(pages.first_trace(p), pages.length(p));
    if (format_version == 3) {
      if (Status s = CollectFilterHashes(*r, &hashes); !s.ok()) return s;
      continue;
    }
    auto in_bloom = backend->Read(in_prefix + "bloom");
    if (!in_bloom.ok()) return in_bloom.status();
    bloom += *in_bloom;
  }
  if (format_version == 3) bloom = BuildFilter(hashes);
  if (Status s = (*index)->Append(directory.EncodeTail()); !s.ok()) return s;
  // Same order as BlockWriter: data, index and bloom durable before meta.json.
  if (Status s = (*data)->Close(); !s.ok()) return s;
  if (Status s = (*index)->Close(); !s.ok()) return s;
  if (Status s = backend->Put(prefix + "bloom", bloom); !s.ok()) return s;
  meta.data_bytes = (*data)->bytes_written();
  meta.index_bytes = (*index)->bytes_written();
  meta.bloom_bytes = bloom.size();
  if (Status s = backend->Put(prefix + "meta.json", meta.ToJson()); !s.ok()) return s;
  return meta;
}

}  // namespace rubato::store::block
