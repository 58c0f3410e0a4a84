#include "config/typed_value.h"

#include "config/value_syntax.h"

namespace rubato::config {

void Sink::Add(Severity severity, const YAML::Mark& mark, std::string message) {
  // yaml-cpp counts from 0; editors and compilers count from 1.
  AddAt(severity, mark.line + 1, mark.column + 1, std::move(message));
}

void Sink::AddAt(Severity severity, int line, int column, std::string message) {
  if (severity == Severity::kError) ++errors_;
  items_.push_back(Diagnostic{severity, file_, line, column, std::move(message)});
}

std::string_view KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a single value";
    default: return "nothing";
  }
}

YAML::Mark Value::Where(bool at_key) const { return at_key || node_.IsNull() ? key_mark_ : node_.Mark(); }

void Value::Error(std::string_view message, bool at_key) {
  sink_.Add(Severity::kError, Where(at_key), path_ + ": " + std::string(message));
}

void Value::Warn(std::string_view message, bool at_key) {
  sink_.Add(Severity::kWarning, Where(at_key), path_ + ": " + std::string(message));
}

bool Value::Scalar(std::string* text) {
  if (!node_.IsScalar()) {
    Error("want a single value, got " + std::string(KindName(node_)));
    return false;
  }
  *text = node_.Scalar();
  return true;
}

bool Value::String(std::string* out) { return Scalar(out); }

// Each numeric read follows the same shape: scalar text, parse, report.
template <typename T, typename Parse>
static bool ReadParsed(Value& v, std::string* text, bool is_scalar, Parse parse, T* out) {
  if (!is_scalar) return false;
  auto r = parse(*text);
  if (!r.ok()) {
    v.Error(r.status().message());
    return false;
  }
  *out = *r;
  return true;
}

bool Value::Size(uint64_t* out) {
  std::string t;
  return ReadParsed(*this, &t, Scalar(&t), ParseSize, out);
}

bool Value::Count(uint64_t* out) {
  std::string t;
  return ReadParsed(*this, &t, Scalar(&t), ParseCount, out);
}

bool Value::Duration(config::Duration* out) {
  std::string t;
  return ReadParsed(*this, &t, Scalar(&t), ParseDuration, out);
}

bool Value::Bool(bool* out) {
  std::string t;
  return ReadParsed(*this, &t, Scalar(&t), ParseBool, out);
}

bool Value::Port(int* out) {
  std::string t;
  return ReadParsed(*this, &t, Scalar(&t), ParsePort, out);
}

bool Value::Endpoint(std::string* out) {
  std::string t;
  if (!Scalar(&t)) return false;
  Status s = CheckEndpoint(t);
  if (!s.ok()) {
    Error(s.message());
    return false;
  }
  *out = std::move(t);
  return true;
}

bool Value::OneOf(std::string* out, std::initializer_list<std::string_view> choices) {
  std::string t;
  if (!Scalar(&t)) return false;
  std::string want;
  for (std::string_view c : choices) {
    if (c == t) {
      *out = std::move(t);
      return true;
    }
    want += want.empty() ? "" : ", ";
    want += c;
  }
  Error("invalid value " + Quote(t) + " (want one of: " + want + ")");
  return false;
}

bool Value::StringList(std::vector<std::string>* out) {
  if (!node_.IsSequence()) {
    Error("want a list of values, e.g. [a, b], got " + std::string(KindName(node_)));
    return false;
  }
  std::vector<std::string> items;
  for (const YAML::Node& item : node_) {
    if (!item.IsScalar()) {
      sink_.Add(Severity::kError, item.Mark(), path_ + ": want a list of single values, got " + std::string(KindName(item)) + " in it");
      return false;
    }
    items.push_back(item.Scalar());
  }
  *out = std::move(items);
  return true;
}

bool Value::StringMap(std::map<std::string, std::string>* out) {
  if (!node_.IsMap()) {
    Error("want a map of names to values, got " + std::string(KindName(node_)));
    return false;
  }
  std::map<std::string, std::string> items;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar() || !kv.second.IsScalar()) {
      const YAML::Node& bad = kv.first.IsScalar() ? kv.second : kv.first;
      sink_.Add(Severity::kError, bad.IsNull() ? kv.first.Mark() : bad.Mark(),
                path_ + ": want name: value pairs, got " + std::string(KindName(bad)));
      return false;
    }
    items[kv.first.Scalar()] = kv.second.Scalar();
  }
  *out = std::move(items);
  return true;
}

}  // namespace rubato::config
