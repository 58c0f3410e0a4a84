// ByteBuffer: bytes appended back to back, capacity kept across clear().
// What std::string would do for a SpanRecord's strings, with one branch per
// append instead of the checks and terminator std::string maintains.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace rubato::sdk {

class ByteBuffer {
 public:
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }

  void clear() { size_ = 0; }
  // Frees the memory too.
  void release() {
    data_.reset();
    size_ = capacity_ = 0;
  }
  void reserve(size_t n) {
    if (n > capacity_) Reallocate(n);
  }
  void append(const char* p, size_t n) {
    if (n > capacity_ - size_) Reallocate(std::max(capacity_ * 2, size_ + n));
    if (n != 0) std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
  // Counts n bytes the caller wrote past the end, within capacity.
  void commit(size_t n) { size_ += n; }
  void swap(ByteBuffer& other) {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

 private:
  void Reallocate(size_t n) {
    std::unique_ptr<char[]> bigger(new char[n]);
    if (size_ != 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace rubato::sdk
