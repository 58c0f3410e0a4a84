#include "model/string_arena.h"

#include <algorithm>
#include <cstring>

namespace rubato::model {

char* StringArena::Allocate(size_t n) {
  if (chunks_.empty() || chunks_.back().size - pos_ < n) {
    size_t size = std::max(kChunkSize, n);
    chunks_.push_back({std::make_unique<char[]>(size), size});
    pos_ = 0;
  }
  char* p = chunks_.back().data.get() + pos_;
  pos_ += n;
  used_total_ += n;
  return p;
}

std::string_view StringArena::Copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void StringArena::Clear() {
  if (chunks_.size() > 1) {
    // Keep the largest-used first chunk; later chunks are freed to bound memory.
    chunks_.erase(chunks_.begin() + 1, chunks_.end());
  }
  pos_ = 0;
  used_total_ = 0;
}

}  // namespace rubato::model
