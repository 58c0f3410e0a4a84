// Helpers shared by the block tests: a temporary folder, a LocalBackend on it,
// and canonical (comparable) forms of span sets.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/batch.h"
#include "model/span_copy.h"
#include "store/backend/local_backend.h"
#include "store/block/block_writer.h"
#include "store/block/row_group.h"

namespace rubato::store::block::testing_support {

// A fresh folder removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("rubato_block_test_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A block of `batches` for `tenant`, in row groups of `row_group_spans`.
inline Result<BlockMeta> WriteTestBlock(backend::Backend* backend, const std::string& tenant,
                                        const std::vector<const model::Batch*>& batches, uint32_t row_group_spans,
                                        uint32_t format_version = 3) {
  BlockWriterOptions o;
  o.backend = backend;
  o.tenant = tenant;
  o.row_group_spans = row_group_spans;
  o.format_version = format_version;
  return WriteBlock(o, batches);
}

inline bool SpanLess(const model::Span& x, const model::Span& y) {
  if (x.trace_id != y.trace_id) return x.trace_id < y.trace_id;
  if (x.start_time_unix_nano != y.start_time_unix_nano) return x.start_time_unix_nano < y.start_time_unix_nano;
  return x.span_id < y.span_id;
}

// Spans in block order, each with its own copied resource and scope, so two
// batches compare equal whatever resources and scopes they shared.
inline void AppendCanonical(const std::vector<SpanRef>& refs, model::Batch* out) {
  std::vector<SpanRef> sorted = refs;
  std::sort(sorted.begin(), sorted.end(), [](const SpanRef& a, const SpanRef& b) { return SpanLess(a.span(), b.span()); });
  for (const SpanRef& r : sorted) {
    uint32_t i = r.index;
    model::CopySpans(*r.batch, std::span<const uint32_t>(&i, 1), out);
  }
}

inline std::vector<SpanRef> AllOf(const model::Batch& b) {
  std::vector<SpanRef> refs;
  for (uint32_t i = 0; i < b.spans.size(); ++i) refs.push_back({&b, i});
  return refs;
}

}  // namespace rubato::store::block::testing_support
