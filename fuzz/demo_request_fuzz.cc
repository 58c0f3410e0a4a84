// Fuzzes the demo services' JSON request bodies (demo/http_json/request_body):
// arbitrary bytes read with each service's fields. Properties checked: the
// outcome is either values that match the body's own fields, or a 422 whose
// body is valid JSON {"detail":[{"type","loc":["body",field?],"msg"}...]}
// naming only the fields asked for, one problem per field at most.
#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http_json/request_body.h"

namespace {

using rubato::demo::RequestBody;

enum class Kind { kString, kInt, kNumber };
struct Field {
  std::string_view name;
  Kind kind;
};

// What each service reads (demo/*/main.cc, order_service.cc, inventory_service.cc).
const std::vector<std::vector<Field>> kServices = {
    {{"item", Kind::kString}, {"quantity", Kind::kInt}, {"price", Kind::kNumber}},  // order
    {{"quantity", Kind::kInt}},                                                     // inventory
    {{"item", Kind::kString}, {"amount", Kind::kNumber}},                           // payment
    {{"order_id", Kind::kString}, {"item", Kind::kString}},                         // notification
};

void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "demo_request_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

// The 422 body must be JSON of the documented shape, naming only asked fields.
void CheckValidationError(const RequestBody& body, const std::vector<Field>& fields) {
  rubato::demo::Reply reply = body.ValidationError();
  if (reply.status != 422) Fail("validation error is not 422", reply.json);
  simdjson::dom::parser parser;
  simdjson::dom::array detail;
  if (parser.parse(reply.json)["detail"].get_array().get(detail) != simdjson::SUCCESS) {
    Fail("422 body is not {\"detail\":[...]}", reply.json);
  }
  size_t problems = 0;
  for (simdjson::dom::element p : detail) {
    ++problems;
    std::string_view type, msg, where;
    simdjson::dom::array loc;
    if (p["type"].get_string().get(type) || p["msg"].get_string().get(msg) || p["loc"].get_array().get(loc) ||
        type.empty() || msg.empty()) {
      Fail("a problem lacks type, msg or loc", reply.json);
    }
    if (loc.at(0).get_string().get(where) || where != "body") Fail("loc does not start with \"body\"", reply.json);
    if (loc.size() == 2) {
      std::string_view name;
      bool asked = false;
      if (loc.at(1).get_string().get(name)) Fail("loc[1] is not a string", reply.json);
      for (const Field& f : fields) asked = asked || f.name == name;
      if (!asked) Fail("a problem names a field nobody asked for", reply.json);
    } else if (loc.size() != 1) {
      Fail("loc has more than two parts", reply.json);
    }
  }
  if (problems == 0 || problems > fields.size() + 1) Fail("wrong number of problems", reply.json);
}

// On success, each value must be what the body holds under that name.
void CheckValues(std::string_view input, const std::vector<Field>& fields, const std::vector<std::string>& strings,
                 const std::vector<int64_t>& ints, const std::vector<double>& numbers) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(input.data(), input.size()).get_object().get(obj)) Fail("accepted a body that is no object", input);
  size_t si = 0, ii = 0, ni = 0;
  for (const Field& f : fields) {
    simdjson::dom::element v;
    if (obj[f.name].get(v) || v.is_null()) Fail("accepted a body missing a field", input);
    if (f.kind == Kind::kString) {
      std::string_view s;
      if (v.get_string().get(s) || s != strings[si++]) Fail("string field differs from the body", input);
    } else if (f.kind == Kind::kInt) {
      int64_t got = ints[ii++];
      bool same = (v.is_int64() && v.get_int64().value() == got) ||
                  (v.is_double() && v.get_double().value() == static_cast<double>(got));
      if (!same) Fail("int field differs from the body", input);
    } else {
      double got = numbers[ni++];
      if (!std::isfinite(got)) Fail("number field is not finite", input);
      bool same = (v.is_int64() && static_cast<double>(v.get_int64().value()) == got) ||
                  (v.is_uint64() && static_cast<double>(v.get_uint64().value()) == got) ||
                  (v.is_double() && v.get_double().value() == got);
      if (!same) Fail("number field differs from the body", input);
    }
  }
}

void CheckService(std::string_view input, const std::vector<Field>& fields) {
  RequestBody body(input);
  std::vector<std::string> strings;
  std::vector<int64_t> ints;
  std::vector<double> numbers;
  for (const Field& f : fields) {
    if (f.kind == Kind::kString) strings.push_back(body.String(f.name));
    if (f.kind == Kind::kInt) ints.push_back(body.Int(f.name));
    if (f.kind == Kind::kNumber) numbers.push_back(body.Number(f.name));
  }
  if (body.ok()) {
    CheckValues(input, fields, strings, ints, numbers);
  } else {
    CheckValidationError(body, fields);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const auto& fields : kServices) CheckService(input, fields);
  return 0;
}
