// The tree of config keys Rubato knows: Tempo's shape, with what each key does
// here (read into ServerConfig, accepted but not implemented yet, or kept for
// later). The loader walks a YAML document against it; docs/config.md is the
// same list for people.
#pragma once

#include <string>
#include <vector>

#include "config/server_config.h"
#include "config/typed_value.h"

namespace rubato::config {

enum class Kind : unsigned char {
  kSection,    // a map of known keys
  kLeaf,       // a value read by `set`
  kList,       // a list of maps, each with the keys in `children`
  kOpaque,     // any value, not looked into
  kMisplaced,  // a key Tempo reads elsewhere: warned about, with `hint`
};

enum class Support : unsigned char {
  kImplemented,
  kNotImplemented,  // accepted so Tempo configs load; a notice says it has no effect
  kKept,            // accepted and kept in ServerConfig for a later feature; a notice says so
};

// Reads a leaf into the config; for a section, runs when the key is present
// (even with an empty value); for a list, runs before each item. Returns false
// after reporting a problem through the Value.
using Setter = bool (*)(Value& value, ServerConfig& config);

struct KeyNode {
  std::string name;  // a trailing '*' matches every key with that prefix
  Kind kind = Kind::kSection;
  Support support = Support::kImplemented;
  Setter set = nullptr;
  Setter after = nullptr;  // sections and list items: runs once their keys are read
  int group = 0;           // siblings of different non-zero groups exclude each other
  std::string hint;        // kMisplaced: the path where the key belongs
  std::vector<KeyNode> children;
};

// The names of the groups, for messages: Tempo's two exclusive forms of
// `overrides`.
inline constexpr const char* kGroupNames[] = {"", "nested", "legacy flat"};

// The root: a section whose children are the top-level keys.
const KeyNode& Schema();

}  // namespace rubato::config
