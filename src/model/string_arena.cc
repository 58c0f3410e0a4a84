#include "model/string_arena.h"

#include <algorithm>
#include <cstring>

namespace rubato::model {

char* StringArena::Allocate(size_t n) {
  if (chunks_.empty() || chunks_.back().size - pos_ < n) {
    // Grow geometrically so that, after Clear() keeps the largest chunk, one
    // chunk holds a whole batch.
    size_t size = std::max({kChunkSize, n, used_total_ + n});
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
    // Keep only the largest chunk: a reused arena then stops allocating once
    // it has seen its largest batch, while memory stays bounded by one chunk.
    auto largest = std::max_element(chunks_.begin(), chunks_.end(),
                                    [](const Chunk& a, const Chunk& b) { return a.size < b.size; });
    std::swap(chunks_.front(), *largest);
    chunks_.erase(chunks_.begin() + 1, chunks_.end());
  }
  pos_ = 0;
  used_total_ = 0;
}

}  // namespace rubato::model
