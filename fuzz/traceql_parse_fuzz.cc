// libFuzzer target for the TraceQL front end (src/query/traceql: lexer,
// parser, validation, regex compilation). Properties checked, aborting on a
// violation: no crash or unbounded recursion on any input; whatever parses
// has a canonical text (ToString) that parses again to the same canonical
// text; and that text compiles exactly when the original query compiles.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "query/traceql/ast.h"
#include "query/traceql/parse.h"
#include "query/traceql/plan.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view query, const std::string& detail) {
  std::fprintf(stderr, "traceql_parse_fuzz: %s\nquery: %.*s\n%s\n", what, static_cast<int>(query.size()), query.data(),
               detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rubato::query::traceql;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto plan = Plan::Compile(text);
  auto parsed = Parse(text);
  if (!parsed.ok()) {
    if (plan.ok()) Fail("Plan::Compile accepted what Parse rejected", text, parsed.status().message());
    return 0;
  }
  std::string canonical = ToString(*parsed);
  auto again = Parse(canonical);
  if (!again.ok()) Fail("canonical text does not parse", text, canonical + "\n" + again.status().message());
  std::string twice = ToString(*again);
  if (twice != canonical) Fail("canonical text is not stable", text, canonical + "\n" + twice);
  auto plan_again = Plan::Compile(canonical);
  if (plan.ok() != plan_again.ok()) {
    Fail("canonical text compiles differently", text,
         canonical + "\n" + plan.status().message() + " / " + plan_again.status().message());
  }
  return 0;
}
