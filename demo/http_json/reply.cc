#include "http_json/reply.h"

#include <cmath>

#include "otlp/json_writer.h"

namespace rubato::demo {
void AppendJsonString(std::string* out, std::string_view s) {
  otlp::JsonWriter w(out);  // a fresh writer: no comma bookkeeping across calls
  w.String(s);
}

Reply DetailReply(unsigned status, std::string_view detail) {
  return {status, JsonObject().Add("detail", detail).Take()};
}

void JsonObject::Key(std::string_view key) {
  if (out_.size() > 1) out_.push_back(',');
  AppendJsonString(&out_, key);
  out_.push_back(':');
}

JsonObject& JsonObject::Add(std::string_view key, std::string_view value) {
  Key(key);
  AppendJsonString(&out_, value);
  return *this;
}

JsonObject& JsonObject::Add(std::string_view key, int64_t value) {
  Key(key);
  out_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::Add(std::string_view key, double value) {
  Key(key);
  if (std::isfinite(value)) {
    otlp::AppendShortestDouble(value, &out_);
  } else {
    out_ += "null";  // JSON has no Infinity; Python's json would write an invalid token here
  }
  return *this;
}

std::string JsonObject::Take() {
  out_.push_back('}');
  return std::move(out_);
}

}  // namespace rubato::demo
