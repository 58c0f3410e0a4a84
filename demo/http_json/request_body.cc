#include "http_json/request_body.h"

#include <cmath>


namespace rubato::demo {

RequestBody::RequestBody(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    Add("missing", "", "Field required");
    return;
  }
  simdjson::dom::element root;
  if (auto e = parser_.parse(body.data(), body.size()).get(root); e != simdjson::SUCCESS) {
    Add("json_invalid", "", std::string("JSON decode error: ") + simdjson::error_message(e));
    return;
  }
  if (root.get_object().get(object_) != simdjson::SUCCESS) {
    Add("model_attributes_type", "", "Input should be a valid dictionary or object to extract fields from");
    return;
  }
  have_object_ = true;
}

void RequestBody::Add(std::string type, std::string_view field, std::string msg) {
  problems_.push_back({std::move(type), std::string(field), std::move(msg)});
}

bool RequestBody::Lookup(std::string_view field, simdjson::dom::element* out) {
  if (!have_object_) return false;  // the body's own problem is already recorded
  if (object_[field].get(*out) != simdjson::SUCCESS || out->is_null()) {
    Add("missing", field, "Field required");
    return false;
  }
  return true;
}

std::string RequestBody::String(std::string_view field) {
  simdjson::dom::element v;
  if (!Lookup(field, &v)) return {};
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) {
    Add("string_type", field, "Input should be a valid string");
    return {};
  }
  return std::string(s);
}

int64_t RequestBody::Int(std::string_view field) {
  simdjson::dom::element v;
  if (!Lookup(field, &v)) return 0;
  if (v.is_int64()) return v.get_int64().value();
  if (v.is_double()) {
    double d = v.get_double().value();
    // Beyond ±2^63 a double cannot be an int64; pydantic would take it, we refuse.
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
    if (std::trunc(d) != d) {
      Add("int_from_float", field, "Input should be a valid integer, got a number with a fractional part");
      return 0;
    }
  }
  if (v.is_uint64() || v.is_double()) {
    Add("int_parsing_size", field, "Input should be an integer between -2^63 and 2^63-1");
    return 0;
  }
  Add("int_type", field, "Input should be a valid integer");
  return 0;
}

double RequestBody::Number(std::string_view field) {
  simdjson::dom::element v;
  if (!Lookup(field, &v)) return 0;
  if (v.is_int64()) return static_cast<double>(v.get_int64().value());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64().value());
  if (v.is_double()) return v.get_double().value();
  Add("float_type", field, "Input should be a valid number");
  return 0;
}

Reply RequestBody::ValidationError() const {
  std::string out = "{\"detail\":[";
  for (size_t i = 0; i < problems_.size(); ++i) {
    const Problem& p = problems_[i];
    if (i > 0) out.push_back(',');
    out += "{\"type\":";
    AppendJsonString(&out, p.type);
    out += ",\"loc\":[\"body\"";
    if (!p.field.empty()) {
      out.push_back(',');
      AppendJsonString(&out, p.field);
    }
    out += "],\"msg\":";
    AppendJsonString(&out, p.msg);
    out.push_back('}');
  }
  out += "]}";
  return {422, std::move(out)};
}

}  // namespace rubato::demo
