#include "test_request.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace rubato::examples {
namespace {

// The deepest [ / { nesting outside strings. Checked before parsing, because
// both rapidjson's DOM parser and its writer recurse once per level.
int NestingDepth(std::string_view json) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string Serialize(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

Status BadElement(size_t index, std::string_view problem) {
  return Status::InvalidArgument("element [" + std::to_string(index) + "]: " + std::string(problem));
}

}  // namespace

Result<std::vector<Callback>> ParseTestRequest(std::string_view body) {
  if (NestingDepth(body) > kMaxDepth) {
    return Status::InvalidArgument("the body nests deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseFullPrecisionFlag>(body.data(), body.size());
  if (doc.HasParseError()) {
    return Status::InvalidArgument("malformed JSON at offset " + std::to_string(doc.GetErrorOffset()) + ": " +
                                   rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsArray()) return Status::InvalidArgument("the body must be a JSON array of {\"url\", \"arguments\"}");
  std::vector<Callback> callbacks;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const rapidjson::Value& element = doc[i];
    if (!element.IsObject()) return BadElement(i, "not an object");
    auto url = element.FindMember("url");
    if (url == element.MemberEnd() || !url->value.IsString()) return BadElement(i, "\"url\" must be a string");
    auto arguments = element.FindMember("arguments");
    if (arguments == element.MemberEnd()) return BadElement(i, "\"arguments\" is missing");
    callbacks.push_back({std::string(url->value.GetString(), url->value.GetStringLength()), Serialize(arguments->value)});
  }
  return callbacks;
}

}  // namespace rubato::examples
