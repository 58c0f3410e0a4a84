// RecordArray: a growable array of trivially copyable entries whose append is
// inline (std::vector's emplace_back stays an out-of-line call in the span
// recording path, with its growth logic). Capacity is kept across clear(),
// as a SpanRecord reuses its storage from span to span.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <utility>

namespace rubato::sdk {

template <typename T>
class RecordArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  uint32_t size() const { return size_; }
  uint32_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T& back() { return data_[size_ - 1]; }

  void clear() { size_ = 0; }
  // Frees the memory too.
  void release() {
    data_.reset();
    size_ = capacity_ = 0;
  }
  void reserve(uint32_t n) {
    if (n > capacity_) Reallocate(n);
  }
  // A new entry, value-initialized.
  T& emplace_back() {
    if (size_ == capacity_) [[unlikely]] Grow();
    T* slot = &data_[size_++];
    new (slot) T();
    return *slot;
  }
  void push_back(const T& v) { emplace_back() = v; }
  void swap(RecordArray& other) {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

 private:
  [[gnu::noinline]] void Grow() { Reallocate(std::max<uint32_t>(capacity_ * 2, 4)); }
  void Reallocate(uint32_t n) {
    std::unique_ptr<T[]> bigger(new T[n]);
    if (size_ != 0) std::memcpy(static_cast<void*>(bigger.get()), data_.get(), sizeof(T) * size_);
    data_ = std::move(bigger);
    capacity_ = n;
  }

  std::unique_ptr<T[]> data_;
  uint32_t size_ = 0;
  uint32_t capacity_ = 0;
};

}  // namespace rubato::sdk
