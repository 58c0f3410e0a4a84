// Turning YAML nodes into typed fields, with a Diagnostic at the node's place
// in the file when the value does not fit.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.h"
#include "config/server_config.h"

namespace rubato::config {

// Collects the diagnostics of one load, all naming the same file.
class Sink {
 public:
  explicit Sink(std::string file) : file_(std::move(file)) {}

  void Add(Severity severity, const YAML::Mark& mark, std::string message);
  // line and column are 1-based; 0 means "the whole file".
  void AddAt(Severity severity, int line, int column, std::string message);

  bool has_errors() const { return errors_ > 0; }
  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& items() { return items_; }

 private:
  std::string file_;
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

// One YAML value and the dotted key path that leads to it. Each typed read
// stores into *out and returns true, or reports "path: why" at the value's
// position and returns false, leaving *out (the default) untouched.
class Value {
 public:
  Value(const YAML::Node& node, const YAML::Mark& key_mark, std::string path, Sink& sink)
      : node_(node), key_mark_(key_mark), path_(std::move(path)), sink_(sink) {}

  const YAML::Node& node() const { return node_; }
  const std::string& path() const { return path_; }

  bool String(std::string* out);
  bool Size(uint64_t* out);
  bool Count(uint64_t* out);
  bool Duration(config::Duration* out);
  bool Bool(bool* out);
  bool Port(int* out);
  bool Endpoint(std::string* out);
  bool OneOf(std::string* out, std::initializer_list<std::string_view> choices);
  bool StringList(std::vector<std::string>* out);
  bool StringMap(std::map<std::string, std::string>* out);

  // "path: message" at the value, or at the key when `at_key` (for messages
  // about a whole section) or when the value is empty (yaml-cpp places an
  // empty value on the next line).
  void Error(std::string_view message, bool at_key = false);
  void Warn(std::string_view message, bool at_key = false);

 private:
  bool Scalar(std::string* text);  // a single value, or an error naming what came instead
  YAML::Mark Where(bool at_key) const;

  const YAML::Node& node_;
  YAML::Mark key_mark_;
  std::string path_;
  Sink& sink_;
};

// "a map", "a list", "a single value", "nothing": what a node is, for messages.
std::string_view KindName(const YAML::Node& node);

}  // namespace rubato::config
