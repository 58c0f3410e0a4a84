#include "config/loader.h"

#include <set>
#include <vector>

#include "config/value_syntax.h"

namespace rubato::config {
namespace {

std::string Join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

bool IsWildcard(const KeyNode& n) { return !n.name.empty() && n.name.back() == '*'; }

const KeyNode* FindChild(const KeyNode& section, std::string_view name) {
  for (const KeyNode& c : section.children) {
    if (c.name == name) return &c;
  }
  for (const KeyNode& c : section.children) {
    if (IsWildcard(c) && name.substr(0, c.name.size() - 1) == std::string_view(c.name).substr(0, c.name.size() - 1)) {
      return &c;
    }
  }
  return nullptr;
}

// Short names get less slack, or "port" would suggest "path".
size_t MaxTypos(std::string_view name) { return name.size() <= 4 ? 1 : name.size() <= 10 ? 2 : 3; }

// Every place a key of exactly this name is known, keys Rubato reads first:
// "max_block_bytes" means ingester's, not the compactor's that it only accepts.
void FindEverywhere(const KeyNode& node, const std::string& path, std::string_view name,
                    std::vector<std::string>* read, std::vector<std::string>* accepted) {
  for (const KeyNode& c : node.children) {
    if (c.name == name && c.kind != Kind::kMisplaced) {
      (c.kind == Kind::kOpaque ? accepted : read)->push_back(Join(path, c.name));
    }
    FindEverywhere(c, Join(path, c.name) + (c.kind == Kind::kList ? "[]" : ""), name, read, accepted);
  }
}

class Walker {
 public:
  Walker(ServerConfig& config, Sink& sink) : config_(config), sink_(sink) {}

  // `quiet`: inside a subtree already announced as not implemented, so its
  // keys get no notice of their own.
  void Section(const KeyNode& schema, const YAML::Node& map, const std::string& path, bool quiet) {
    if (map.IsNull()) return;  // "server:" with nothing under it: all defaults
    if (!map.IsMap()) {
      std::string where = path.empty() ? "the top level" : path;
      sink_.Add(Severity::kError, map.Mark(), where + ": want a map of settings, got " + std::string(KindName(map)));
      return;
    }
    std::set<std::string, std::less<>> seen;
    const KeyNode* first_grouped = nullptr;
    std::string first_grouped_path;
    for (const auto& kv : map) {
      const YAML::Node& key = kv.first;
      if (!key.IsScalar()) {
        std::string where = path.empty() ? "the top level" : path;
        sink_.Add(Severity::kError, key.Mark(), where + ": a key must be a single value, got " + std::string(KindName(key)));
        continue;
      }
      std::string full = Join(path, key.Scalar());
      // Tempo reads its config strictly, where a repeated key is an error.
      if (!seen.insert(key.Scalar()).second) {
        sink_.Add(Severity::kError, key.Mark(), "duplicate key " + Quote(full));
        continue;
      }
      const KeyNode* node = FindChild(schema, key.Scalar());
      if (node == nullptr) {
        UnknownKey(schema, path, key, full);
        continue;
      }
      if (node->group != 0) {
        if (first_grouped == nullptr) {
          first_grouped = node;
          first_grouped_path = full;
        } else if (first_grouped->group != node->group) {
          sink_.Add(Severity::kError, key.Mark(),
                    "cannot mix " + Quote(first_grouped_path) + " (" + kGroupNames[first_grouped->group] + " form) with " +
                        Quote(full) + " (" + kGroupNames[node->group] + " form); use one form");
          continue;
        }
      }
      Key(*node, key, kv.second, full, quiet);
    }
  }

 private:
  void Key(const KeyNode& node, const YAML::Node& key, const YAML::Node& value, const std::string& path, bool quiet) {
    if (node.kind == Kind::kMisplaced) {
      sink_.Add(Severity::kWarning, key.Mark(), path + ": ignored here; Tempo reads it from " + Quote(node.hint));
      return;
    }
    if (node.support != Support::kImplemented) {
      if (!quiet && noticed_.insert(path).second) {
        sink_.Add(Severity::kNotice, key.Mark(),
                  path + (node.support == Support::kKept ? ": accepted and kept for later; not implemented yet"
                                                         : ": accepted but not implemented yet (ignored)"));
      }
      quiet = true;
    }
    Value v(value, key.Mark(), path, sink_);
    switch (node.kind) {
      case Kind::kOpaque:
      case Kind::kMisplaced:
        return;
      case Kind::kLeaf:
        if (value.IsNull()) {
          sink_.Add(Severity::kWarning, key.Mark(), path + ": no value; keeping the default");
          return;
        }
        node.set(v, config_);
        return;
      case Kind::kSection:
        if (!value.IsNull() && !value.IsMap()) return Section(node, value, path, quiet);  // reports the type
        if (node.set != nullptr) node.set(v, config_);
        Section(node, value, path, quiet);
        if (node.after != nullptr) node.after(v, config_);
        return;
      case Kind::kList:
        return List(node, value, v, path, quiet);
    }
  }

  void List(const KeyNode& node, const YAML::Node& value, Value& v, const std::string& path, bool quiet) {
    if (value.IsNull()) return;
    if (!value.IsSequence()) {
      v.Error("want a list, got " + std::string(KindName(value)));
      return;
    }
    size_t i = 0;
    for (const YAML::Node& item : value) {
      std::string item_path = path + "[" + std::to_string(i++) + "]";
      if (!item.IsMap()) {
        sink_.Add(Severity::kError, item.Mark(), item_path + ": want a map of settings, got " + std::string(KindName(item)));
        continue;
      }
      Value iv(item, item.Mark(), item_path, sink_);
      node.set(iv, config_);
      Section(node, item, item_path, quiet);
      if (node.after != nullptr) node.after(iv, config_);
    }
  }

  void UnknownKey(const KeyNode& schema, const std::string& path, const YAML::Node& key, const std::string& full) {
    std::string msg = "unknown key " + Quote(full);
    Suggestion guess = SuggestKey(schema, path, key.Scalar());
    if (!guess.path.empty()) {
      msg += " (did you mean " + Quote(guess.path) + (guess.elsewhere ? "? check the indentation)" : "?)");
    }
    sink_.Add(Severity::kWarning, key.Mark(), std::move(msg));
  }

  ServerConfig& config_;
  Sink& sink_;
  std::set<std::string> noticed_;  // each not-implemented key is announced once
};

}  // namespace

Suggestion SuggestKey(const KeyNode& section, const std::string& section_path, std::string_view name) {
  if (name.size() > 100) return {};  // no key is that long; spare the quadratic distance
  const KeyNode* best = nullptr;
  size_t best_distance = MaxTypos(name) + 1;
  for (const KeyNode& c : section.children) {
    if (IsWildcard(c)) continue;
    size_t d = EditDistance(name, c.name);
    if (d < best_distance) best_distance = d, best = &c;
  }
  if (best != nullptr) return {Join(section_path, best->name), false};
  std::vector<std::string> read, accepted;
  FindEverywhere(Schema(), "", name, &read, &accepted);
  if (read.size() == 1) return {read[0], true};
  if (read.empty() && accepted.size() == 1) return {accepted[0], true};
  return {};
}

void WalkConfig(const YAML::Node& root, ServerConfig& config, Sink& sink) {
  Walker(config, sink).Section(Schema(), root, "", false);
}

}  // namespace rubato::config
