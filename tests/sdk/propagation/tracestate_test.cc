// tracestate, one row per rule of W3C Trace Context Level 2 (section
// "tracestate Header": list, list-members, key, value, limits).
#include "sdk/propagation/tracestate.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

struct Row {
  const char* rule;
  std::string header;
  std::optional<std::string> expected;  // nullopt: the whole header is dropped
};

std::string Members(int n, const char* sep = ",") {
  std::string s;
  for (int i = 0; i < n; ++i) s += (i ? sep : "") + ("k" + std::to_string(i) + "=v");
  return s;
}

TEST(TraceStateTest, ParseRules) {
  const std::string allowed_value =
      " !\"#$%&'()*+-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
  const Row rows[] = {
      {"one member", "rojo=00f067aa0ba902b7", "rojo=00f067aa0ba902b7"},
      {"members in order", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"},
      {"optional whitespace around members is dropped", " rojo=1 ,\tcongo=2\t", "rojo=1,congo=2"},
      {"empty members are allowed and skipped", "rojo=1,,congo=2,", "rojo=1,congo=2"},
      {"whitespace-only members are allowed and skipped", "rojo=1, \t ,congo=2", "rojo=1,congo=2"},
      {"an empty header is accepted", "", ""},
      {"a header of empty members is accepted", " , ,", ""},
      {"a value keeps its leading spaces", "a=  b", "a=  b"},
      {"key: lower-case letters, digits, _ - * / @", "a0_-*/@z=1", "a0_-*/@z=1"},
      {"key: multi-tenant form tenant@system", "fw529a3039@dt=1", "fw529a3039@dt=1"},
      {"key: may start with a digit", "0vendor=1", "0vendor=1"},
      {"key: '@' anywhere after the first character (Level 2)", "foo@@bar@=1", "foo@@bar@=1"},
      {"key: 256 characters", std::string(256, 'k') + "=1", std::string(256, 'k') + "=1"},
      {"key: 257 characters is too long", std::string(257, 'k') + "=1", std::nullopt},
      {"key: no upper case", "Rojo=1", std::nullopt},
      {"key: must not start with '@'", "@rojo=1", std::nullopt},
      {"key: must not start with '_'", "_rojo=1", std::nullopt},
      {"key: no '.'", "ro.jo=1", std::nullopt},
      {"key: no space before '='", "rojo =1", std::nullopt},
      {"key: not empty", "=1", std::nullopt},
      {"value: every allowed character (space inside)", "k=a" + allowed_value, "k=a" + allowed_value},
      {"value: 256 characters", "k=" + std::string(256, 'v'), "k=" + std::string(256, 'v')},
      {"value: 257 characters is too long", "k=" + std::string(257, 'v'), std::nullopt},
      {"value: not empty", "k=", std::nullopt},
      {"value: spaces only is empty", "k=   ", std::nullopt},
      {"value: no '='", "k=a=b", std::nullopt},
      {"value: no tab", "k=a\tb", std::nullopt},
      {"value: no control character", "k=a\x01", std::nullopt},
      {"value: no DEL", "k=a\x7f", std::nullopt},
      {"value: no non-ASCII byte", "k=caf\xc3\xa9", std::nullopt},
      {"a member without '=' is invalid", "rojo=1,congo", std::nullopt},
      {"one invalid member drops the whole header", "rojo=1,Congo=2,other=3", std::nullopt},
      {"duplicate keys are invalid", "rojo=1,congo=2,rojo=3", std::nullopt},
      {"32 members", Members(32), Members(32)},
      {"33 members is too many", Members(33), std::nullopt},
      {"empty members do not count towards 32", Members(32, ", ,"), Members(32)},
  };
  for (const Row& row : rows) {
    std::optional<std::string> parsed = ParseTraceState(row.header);
    EXPECT_EQ(parsed, row.expected) << row.rule;
  }
}

}  // namespace
}  // namespace rubato::sdk
