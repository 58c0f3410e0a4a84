// Walks a parsed YAML document against the schema of known keys, filling a
// ServerConfig and reporting what it finds to a Sink.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "config/schema.h"
#include "config/server_config.h"
#include "config/typed_value.h"

namespace rubato::config {

void WalkConfig(const YAML::Node& root, ServerConfig& config, Sink& sink);

struct Suggestion {
  std::string path;        // full dotted path; "" when there is no good guess
  bool elsewhere = false;  // not a sibling: the key is probably under the wrong parent
};

// What to suggest for an unknown key `name` found in `section` (at
// `section_path`): the closest sibling by edit distance, else the one place in
// the schema where a key of exactly that name lives.
Suggestion SuggestKey(const KeyNode& section, const std::string& section_path, std::string_view name);

}  // namespace rubato::config
