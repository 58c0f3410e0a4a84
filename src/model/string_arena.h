// A bump allocator for strings a Batch must own but that are not in its
// request buffer (unescaped JSON strings, strings built by the SDK).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace rubato::model {

class StringArena {
 public:
  StringArena() = default;
  StringArena(StringArena&&) noexcept = default;
  StringArena& operator=(StringArena&&) noexcept = default;

  // Copies s into the arena; the view stays valid until Clear() or destruction.
  std::string_view Copy(std::string_view s);
  // Reserves n writable bytes.
  char* Allocate(size_t n);
  // Forgets every string but keeps the first chunk for reuse.
  void Clear();
  size_t bytes_used() const { return used_total_; }

 private:
  static constexpr size_t kChunkSize = 64 * 1024;
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Chunk> chunks_;
  size_t pos_ = 0;  // within chunks_.back()
  size_t used_total_ = 0;
};

}  // namespace rubato::model
