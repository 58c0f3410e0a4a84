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
    // Replace the chunks by one that holds everything this round used: a
    // reused arena then stops allocating once it has seen its largest batch,
    // and memory stays bounded by that batch.
    size_t size = std::max(used_total_, kChunkSize);
    chunks_.clear();
    chunks_.push_back({std::make_unique<char[]>(size), size});
  }
  pos_ = 0;
  used_total_ = 0;
}

}  // namespace rubato::model
