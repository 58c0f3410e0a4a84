// IdMap: an open-addressing hash map keyed by a TraceId or SpanId, for the
// ingest hot path (the head's trace index, the limiter's live traces).
// std::unordered_map allocates a node per key and chases a pointer per
// lookup; this keeps keys and values in one flat array (linear probing,
// backward-shift deletion, no tombstones), so an insert allocates nothing
// except when the table doubles.
//
// The hash mixes every byte of the ID: IDs made by tests or by tools that
// count (00…01, 00…02) differ only in their last bytes, where IdHash (the
// first 8 bytes) would send them all to one slot.
//
// An empty slot is one whose key is all zero (the invalid ID); the all-zero
// key itself, should it be inserted, lives in a slot of its own beside the
// table. Slots are thus just key and value (32 bytes for the limiter's).
//
// Pointers returned by Find/Insert are valid until the next Insert or Erase.
#pragma once

#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "model/ids.h"

namespace rubato::model {

template <typename K>
inline uint64_t MixId(const K& id) {
  uint64_t lo;
  std::memcpy(&lo, id.bytes.data(), 8);
  uint64_t hi = 0;
  if constexpr (K::kSize >= 16) std::memcpy(&hi, id.bytes.data() + 8, 8);
  uint64_t h = (lo ^ (hi * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

// Id::IsZero, a word at a time (it is on every probe of an IdMap).
template <typename K>
inline bool IsZeroKey(const K& id) {
  static_assert(K::kSize % 8 == 0);
  uint64_t any = 0;
  for (size_t i = 0; i < K::kSize; i += 8) {
    uint64_t w;
    std::memcpy(&w, id.bytes.data() + i, 8);
    any |= w;
  }
  return any == 0;
}

template <typename K, typename V>
class IdMap {
 public:
  struct Slot {
    K key;  // all zero: empty
    V value;
    bool used() const { return !IsZeroKey(key); }
  };

  size_t size() const { return size_ + (has_zero_ ? 1 : 0); }
  bool empty() const { return size() == 0; }

  V* Find(const K& key) {
    if (IsZeroKey(key)) return has_zero_ ? &zero_value_ : nullptr;
    if (size_ == 0) return nullptr;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used()) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  const V* Find(const K& key) const { return const_cast<IdMap*>(this)->Find(key); }
  // Starts loading the key's first slot into the cache, for a lookup soon after.
  void Prefetch(const K& key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Home(key)]);
  }
  bool Contains(const K& key) const { return Find(key) != nullptr; }

  // The key's value, value-initialized and inserted when absent; second is
  // true when it was inserted.
  std::pair<V*, bool> Insert(const K& key) {
    if (IsZeroKey(key)) {
      bool inserted = !has_zero_;
      if (inserted) zero_value_ = V();
      has_zero_ = true;
      return {&zero_value_, inserted};
    }
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used()) {
        s.key = key;
        s.value = V();
        ++size_;
        return {&s.value, true};
      }
      if (s.key == key) return {&s.value, false};
    }
  }

  // Removes the key; false when it was absent.
  bool Erase(const K& key) {
    if (IsZeroKey(key)) {
      bool had = has_zero_;
      has_zero_ = false;
      zero_value_ = V();
      return had;
    }
    if (size_ == 0) return false;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used()) return false;
      if (s.key == key) {
        EraseIndex(i);
        return true;
      }
    }
  }

  void Clear() {
    slots_.clear();
    mask_ = 0;
    size_ = 0;
    has_zero_ = false;
    zero_value_ = V();
  }

  // fn(const K&, const V&) for every entry, in no particular order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (has_zero_) fn(K(), zero_value_);
    for (const Slot& s : slots_)
      if (s.used()) fn(s.key, s.value);
  }

 private:
  size_t Home(const K& key) const { return static_cast<size_t>(MixId(key)) & mask_; }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    size_t n = old.empty() ? 16 : old.size() * 2;
    slots_.assign(n, Slot());
    mask_ = n - 1;
    for (Slot& s : old) {
      if (!s.used()) continue;
      size_t i = Home(s.key);
      while (slots_[i].used()) i = (i + 1) & mask_;
      slots_[i] = std::move(s);
    }
  }

  // Backward-shift deletion: entries after the hole that may live in it move
  // back, so lookups never need tombstones.
  void EraseIndex(size_t hole) {
    for (size_t j = (hole + 1) & mask_; slots_[j].used(); j = (j + 1) & mask_) {
      size_t home = Home(slots_[j].key);
      // The entry at j may fill the hole when the hole is no further from its
      // home than j is (cyclically).
      if (((j - home) & mask_) >= ((j - hole) & mask_)) {
        slots_[hole] = std::move(slots_[j]);
        hole = j;
      }
    }
    slots_[hole].key = K();
    slots_[hole].value = V();
    --size_;
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;  // in slots_
  bool has_zero_ = false;
  V zero_value_{};
};

}  // namespace rubato::model
