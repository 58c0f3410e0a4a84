// Reads a JSON request body into typed fields and, when it cannot, answers
// as FastAPI does for a pydantic model: 422 with
//   {"detail":[{"type":"missing","loc":["body","quantity"],"msg":"Field required"}, ...]}
// one entry per problem, so a bad request is never a crash or a 500.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "http_json/reply.h"

namespace rubato::demo {

class RequestBody {
 public:
  // Parses `body` (copied); problems are collected, not thrown.
  explicit RequestBody(std::string_view body);

  // Each returns the field's value, or records a problem and returns a zero value.
  // Like pydantic: an integer field takes a number with no fractional part
  // (2.0); a number field takes integers. Unlike pydantic's lax mode, strings
  // are not converted to numbers and booleans are not numbers.
  std::string String(std::string_view field);
  int64_t Int(std::string_view field);
  double Number(std::string_view field);

  bool ok() const { return problems_.empty(); }
  // The 422 reply listing every problem.
  Reply ValidationError() const;

 private:
  struct Problem {
    std::string type;
    std::string field;  // "" for the body itself
    std::string msg;
  };
  // Finds the field's value; false (with the problem recorded) when there is none.
  bool Lookup(std::string_view field, simdjson::dom::element* out);
  void Add(std::string type, std::string_view field, std::string msg);

  simdjson::dom::parser parser_;
  simdjson::dom::object object_;
  bool have_object_ = false;
  std::vector<Problem> problems_;
};

}  // namespace rubato::demo
