#include "otlp/reverse_writer.h"

#include <algorithm>

namespace rubato::otlp {

ReverseWriter::ReverseWriter(size_t initial_capacity)
    : begin_(std::make_unique<char[]>(initial_capacity)), capacity_(initial_capacity) {
  end_ = begin_.get() + capacity_;
  head_ = end_;
}

void ReverseWriter::Grow(size_t need) {
  size_t used = size();
  size_t capacity = std::max(capacity_ * 2, used + need + 1024);
  auto bigger = std::make_unique<char[]>(capacity);
  char* new_end = bigger.get() + capacity;
  std::memcpy(new_end - used, head_, used);
  begin_ = std::move(bigger);
  capacity_ = capacity;
  end_ = new_end;
  head_ = new_end - used;
}

}  // namespace rubato::otlp
