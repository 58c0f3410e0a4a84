// JSON text of log lines: escaping, UTF-8 repair, every attribute kind.
#include "sdk/log/json_text.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace rubato::sdk::log {
namespace {

std::string Str(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string Val(const AttributeValue& v) {
  std::string out;
  AppendJsonValue(out, v);
  return out;
}

TEST(JsonTextTest, StringEscapes) {
  const std::pair<std::string, std::string> cases[] = {
      {"plain", R"("plain")"},
      {"", R"("")"},
      {"q\"b\\s/", R"("q\"b\\s/")"},
      {"a\nb\rc\td\be\ff", R"("a\nb\rc\td\be\ff")"},
      {std::string("nul\0x", 5), R"("nul\u0000x")"},
      {"\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\""},
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\""},
      {"bad\xFF", R"("bad\ufffd")"},
      {"trunc\xE2\x82", R"("trunc\ufffd\ufffd")"},
      {"overlong\xC0\xAF", R"("overlong\ufffd\ufffd")"},
      {"surrogate\xED\xA0\x80", R"("surrogate\ufffd\ufffd\ufffd")"},
      {"toobig\xF4\x90\x80\x80", R"("toobig\ufffd\ufffd\ufffd\ufffd")"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Str(in), want) << in;
}

TEST(JsonTextTest, ValuesOfEveryKind) {
  EXPECT_EQ(Val("s"), R"("s")");
  EXPECT_EQ(Val(true), "true");
  EXPECT_EQ(Val(false), "false");
  EXPECT_EQ(Val(42), "42");
  EXPECT_EQ(Val(int64_t{-9007199254740993}), "-9007199254740993");
  EXPECT_EQ(Val(9.99), "9.99");
  EXPECT_EQ(Val(0.5), "0.5");
  EXPECT_EQ(Val(std::nan("")), "null");
  EXPECT_EQ(Val(std::numeric_limits<double>::infinity()), "null");
  const std::string_view strs[] = {"a", "b\"c"};
  EXPECT_EQ(Val(std::span<const std::string_view>(strs)), R"(["a","b\"c"])");
  const bool bools[] = {true, false};
  EXPECT_EQ(Val(std::span<const bool>(bools)), "[true,false]");
  const int64_t ints[] = {1, -2};
  EXPECT_EQ(Val(std::span<const int64_t>(ints)), "[1,-2]");
  const double doubles[] = {1.5, std::nan("")};
  EXPECT_EQ(Val(std::span<const double>(doubles)), "[1.5,null]");
  EXPECT_EQ(Val(std::span<const int64_t>()), "[]");
}

}  // namespace
}  // namespace rubato::sdk::log
