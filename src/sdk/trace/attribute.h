// Attribute values as the API accepts them: views, copied into the span's own
// storage on SetAttribute, so callers may pass temporaries.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace rubato::sdk {

class AttributeValue {
 public:
  enum class Kind : uint8_t { kString, kBool, kInt, kDouble, kStringArray, kBoolArray, kIntArray, kDoubleArray };

  AttributeValue(const char* s) : kind_(Kind::kString), str_(s) {}            // NOLINT: implicit by design
  AttributeValue(std::string_view s) : kind_(Kind::kString), str_(s) {}       // NOLINT
  AttributeValue(const std::string& s) : kind_(Kind::kString), str_(s) {}     // NOLINT
  AttributeValue(bool b) : kind_(Kind::kBool), bool_(b) {}                    // NOLINT
  AttributeValue(int i) : kind_(Kind::kInt), int_(i) {}                       // NOLINT
  AttributeValue(int64_t i) : kind_(Kind::kInt), int_(i) {}                   // NOLINT
  AttributeValue(uint32_t i) : kind_(Kind::kInt), int_(i) {}                  // NOLINT
  AttributeValue(double d) : kind_(Kind::kDouble), double_(d) {}              // NOLINT
  AttributeValue(std::span<const std::string_view> a) : kind_(Kind::kStringArray), strs_(a) {}  // NOLINT
  AttributeValue(std::span<const bool> a) : kind_(Kind::kBoolArray), bools_(a) {}              // NOLINT
  AttributeValue(std::span<const int64_t> a) : kind_(Kind::kIntArray), ints_(a) {}             // NOLINT
  AttributeValue(std::span<const double> a) : kind_(Kind::kDoubleArray), doubles_(a) {}        // NOLINT

  Kind kind() const { return kind_; }
  std::string_view string() const { return str_; }
  bool boolean() const { return bool_; }
  int64_t integer() const { return int_; }
  double dbl() const { return double_; }
  std::span<const std::string_view> strings() const { return strs_; }
  std::span<const bool> bools() const { return bools_; }
  std::span<const int64_t> integers() const { return ints_; }
  std::span<const double> doubles() const { return doubles_; }

 private:
  Kind kind_;
  union {
    std::string_view str_;
    bool bool_;
    int64_t int_;
    double double_;
    std::span<const std::string_view> strs_;
    std::span<const bool> bools_;
    std::span<const int64_t> ints_;
    std::span<const double> doubles_;
  };
};

struct Attribute {
  std::string_view key;
  AttributeValue value;
};

}  // namespace rubato::sdk
