// W3C Baggage: parsing and serializing, one row per rule of the spec
// ("Definition", "key", "value", "property", "Limits").
#include "sdk/propagation/baggage_codec.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

using Entries = std::vector<BaggageEntry>;

std::string Show(const Entries& entries) {
  std::string s;
  for (const BaggageEntry& e : entries) s += "[" + e.name + "|" + e.value + "|" + e.properties + "]";
  return s;
}

struct ParseRow {
  const char* rule;
  std::string header;
  Entries expected;
};

TEST(BaggageTest, ParseRules) {
  const ParseRow rows[] = {
      {"the spec's example, with properties and whitespace",
       "key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue",
       {{"key1", "value1", ";property1;property2"}, {"key2", "value2", ""},
        {"key3", "value3", ";propertyKey=propertyValue"}}},
      {"values are percent-decoded", "userId=alice,serverNode=DF%2028,isProduction=false",
       {{"userId", "alice", ""}, {"serverNode", "DF 28", ""}, {"isProduction", "false", ""}}},
      {"percent-decoding yields UTF-8", "city=M%C3%BCnchen", {{"city", "M\xc3\xbcnchen", ""}}},
      {"leading and trailing whitespace of key and value is trimmed", "\t userId \t=\t alice \t",
       {{"userId", "alice", ""}}},
      {"a value may contain '='", "k=a=b==", {{"k", "a=b==", ""}}},
      {"a value may be empty", "k=", {{"k", "", ""}}},
      {"property whitespace is trimmed", "k=v ; p1 = x ;p2 ", {{"k", "v", ";p1=x;p2"}}},
      {"keys are RFC 7230 tokens", "a!#$%&'*+-.^_`|~Z9=v", {{"a!#$%&'*+-.^_`|~Z9", "v", ""}}},
      {"a key with a space is skipped, the rest kept", "my key=v,ok=1", {{"ok", "1", ""}}},
      {"a key with a separator is skipped", "k(1)=v,ok=1", {{"ok", "1", ""}}},
      {"an empty key is skipped", "=v,ok=1", {{"ok", "1", ""}}},
      {"a member without '=' is skipped", "novalue,ok=1", {{"ok", "1", ""}}},
      {"a value with a space is skipped", "k=a b,ok=1", {{"ok", "1", ""}}},
      {"a value with a double quote is skipped", "k=\"v\",ok=1", {{"ok", "1", ""}}},
      {"a value with a backslash is skipped", "k=a\\b,ok=1", {{"ok", "1", ""}}},
      {"bad percent-encoding is skipped", "k=%zz,j=%4,ok=1", {{"ok", "1", ""}}},
      {"a malformed property drops its member", "k=v;bad key=1,ok=1", {{"ok", "1", ""}}},
      {"empty members are skipped", ",k=v,,", {{"k", "v", ""}}},
      {"duplicate keys are kept in order", "k=1,k=2", {{"k", "1", ""}, {"k", "2", ""}}},
  };
  for (const ParseRow& row : rows) {
    Entries parsed = ParseBaggage(row.header);
    EXPECT_EQ(Show(parsed), Show(row.expected)) << row.rule;
  }
}

TEST(BaggageTest, ParseKeepsAtMost64Members) {
  std::string header;
  for (int i = 0; i < 70; ++i) header += (i ? "," : "") + ("k" + std::to_string(i) + "=v");
  Entries parsed = ParseBaggage(header);
  ASSERT_EQ(parsed.size(), 64u);
  EXPECT_EQ(parsed.back().name, "k63");
}

TEST(BaggageTest, ParseKeepsAtMost8192Bytes) {
  // Members of 1000 bytes ("kN=" + value): eight fit with their commas (8007 bytes), a ninth would not.
  std::string header;
  for (int i = 0; i < 10; ++i) header += (i ? "," : "") + ("k" + std::to_string(i) + "=" + std::string(997, 'v'));
  Entries parsed = ParseBaggage(header);
  ASSERT_EQ(parsed.size(), 8u);
  EXPECT_EQ(parsed.back().name, "k7");
}

struct SerializeRow {
  const char* rule;
  Entries entries;
  std::string expected;
};

TEST(BaggageTest, SerializeRules) {
  const SerializeRow rows[] = {
      {"plain members", {{"userId", "alice", ""}, {"isProduction", "false", ""}}, "userId=alice,isProduction=false"},
      {"space, comma, semicolon, backslash, quote and '%' are encoded", {{"k", "DF 28,a;b\\c\"d%", ""}},
       "k=DF%2028%2Ca%3Bb%5Cc%22d%25"},
      {"non-ASCII bytes are encoded", {{"city", "M\xc3\xbcnchen", ""}}, "city=M%C3%BCnchen"},
      {"'=' and other baggage-octets stay as they are", {{"k", "a=b/c?d", ""}}, "k=a=b/c?d"},
      {"properties are kept", {{"k", "v", ";p1;p2=x"}}, "k=v;p1;p2=x"},
      {"properties given without the leading ';'", {{"k", "v", "p1"}}, "k=v;p1"},
      {"a name that is not a token is skipped", {{"bad name", "v", ""}, {"ok", "1", ""}}, "ok=1"},
      {"nothing to send", {}, ""},
  };
  for (const SerializeRow& row : rows) EXPECT_EQ(SerializeBaggage(row.entries), row.expected) << row.rule;
}

TEST(BaggageTest, SerializeDropsMembersPastTheLimits) {
  Entries many;
  for (int i = 0; i < 70; ++i) many.push_back({"k" + std::to_string(i), "v", ""});
  Entries back = ParseBaggage(SerializeBaggage(many));
  ASSERT_EQ(back.size(), 64u);
  EXPECT_EQ(back.back().name, "k63");

  Entries big = {{"a", std::string(5000, 'x'), ""}, {"b", std::string(5000, 'y'), ""}, {"c", "small", ""}};
  std::string header = SerializeBaggage(big);
  EXPECT_EQ(header, "a=" + std::string(5000, 'x') + ",c=small");  // b would pass 8192 bytes: dropped whole
}

TEST(BaggageTest, RoundTrip) {
  Entries entries = {{"user", "alice smith", ";ttl=30"}, {"emoji", "\xf0\x9f\x8e\xb5", ""}, {"empty", "", ""}};
  EXPECT_EQ(Show(ParseBaggage(SerializeBaggage(entries))), Show(entries));
}

}  // namespace
}  // namespace rubato::sdk
