#include "model/ids.h"

#include <gtest/gtest.h>

namespace rubato::model {
namespace {

struct HexCase {
  const char* input;
  bool ok;
  const char* canonical;  // lowercase form when ok; error substring when not
};

TEST(TraceIdTest, ParseTable) {
  const HexCase cases[] = {
      {"5b8aa5a2d2c872e8321cf37308d69df2", true, "5b8aa5a2d2c872e8321cf37308d69df2"},
      {"5B8AA5A2D2C872E8321CF37308D69DF2", true, "5b8aa5a2d2c872e8321cf37308d69df2"},
      {"5b8AA5a2d2c872e8321cf37308d69dF2", true, "5b8aa5a2d2c872e8321cf37308d69df2"},
      {"00000000000000000000000000000000", true, "00000000000000000000000000000000"},
      {"5b8aa5a2d2c872e8321cf37308d69df", false, "32 hex digits, got 31"},
      {"5b8aa5a2d2c872e8321cf37308d69df20", false, "32 hex digits, got 33"},
      {"", false, "got 0"},
      {"5b8aa5a2d2c872e8321cf37308d69dg2", false, "non-hex character at position 30"},
      {"xb8aa5a2d2c872e8321cf37308d69df2", false, "non-hex character at position 0"},
      {"5b8aa5a2d2c872e8321cf37308d69d 2", false, "non-hex character at position 30"},
  };
  for (const auto& c : cases) {
    auto r = TraceId::FromHex(c.input);
    ASSERT_EQ(r.ok(), c.ok) << c.input;
    if (c.ok) {
      EXPECT_EQ(r->ToHex(), c.canonical);
    } else {
      EXPECT_NE(r.status().message().find(c.canonical), std::string::npos) << r.status().message();
    }
  }
}

TEST(SpanIdTest, ParseTable) {
  const HexCase cases[] = {
      {"051581bf3cb55c13", true, "051581bf3cb55c13"},
      {"051581BF3CB55C13", true, "051581bf3cb55c13"},
      {"051581bf3cb55c1", false, "16 hex digits, got 15"},
      {"051581bf3cb55c1z", false, "position 15"},
  };
  for (const auto& c : cases) {
    auto r = SpanId::FromHex(c.input);
    ASSERT_EQ(r.ok(), c.ok) << c.input;
    if (c.ok) {
      EXPECT_EQ(r->ToHex(), c.canonical);
    } else {
      EXPECT_NE(r.status().message().find(c.canonical), std::string::npos) << r.status().message();
    }
  }
}

TEST(IdTest, BytesAndZero) {
  auto id = SpanId::FromBytes(std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->ToHex(), "0102030405060708");
  EXPECT_FALSE(id->IsZero());
  EXPECT_TRUE(SpanId().IsZero());
  EXPECT_FALSE(SpanId::FromBytes("1234567").ok());
  EXPECT_EQ(SpanId::FromBytes("1234567").status().message(), "id must be 8 bytes, got 7");
}

}  // namespace
}  // namespace rubato::model
