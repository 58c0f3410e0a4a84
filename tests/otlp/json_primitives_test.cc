// Building blocks of the JSON codecs: base64 and UTF-8 error offsets.
#include <gtest/gtest.h>

#include <string>

#include "otlp/base64.h"
#include "otlp/utf8.h"

namespace rubato::otlp {
namespace {

std::string Encode(std::string_view in) {
  std::string out;
  Base64Encode(in, &out);
  return out;
}

// Decodes, or returns "error@<offset>".
std::string Decode(std::string_view in) {
  std::string out(Base64DecodedMaxSize(in.size()), '\0');
  Base64Result r = Base64Decode(in, out.data());
  if (!r.ok) return "error@" + std::to_string(r.error_offset);
  out.resize(r.size);
  return out;
}

TEST(JsonBase64, EncodesRfc4648Vectors) {
  EXPECT_EQ(Encode(""), "");
  EXPECT_EQ(Encode("f"), "Zg==");
  EXPECT_EQ(Encode("fo"), "Zm8=");
  EXPECT_EQ(Encode("foo"), "Zm9v");
  EXPECT_EQ(Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Encode(std::string("\xfb\xff\xbf", 3)), "+/+/");
}

struct DecodeCase {
  const char* in;
  std::string out;
};

TEST(JsonBase64, DecodesBothAlphabetsWithOrWithoutPadding) {
  const DecodeCase cases[] = {
      {"", ""},
      {"Zg==", "f"},
      {"Zg", "f"},
      {"Zm8=", "fo"},
      {"Zm8", "fo"},
      {"Zm9vYmFy", "foobar"},
      {"+/+/", "\xfb\xff\xbf"},
      {"-_-_", "\xfb\xff\xbf"},
      {"+_-/", "\xfb\xff\xbf"},
      {"Zh==", "f"},  // unused low bits are ignored
  };
  for (const DecodeCase& c : cases) EXPECT_EQ(Decode(c.in), c.out) << c.in;
}

TEST(JsonBase64, RejectsMalformedInput) {
  const DecodeCase cases[] = {
      {"Z", "error@0"},         // one character left over
      {"Zm9vY", "error@4"},
      {"Zg=", "error@2"},       // padding must complete a quantum
      {"Zg===", "error@2"},
      {"Z===", "error@1"},
      {"====", "error@0"},
      {"Zg==Zg==", "error@2"},  // padding only at the end
      {"Zm 9", "error@2"},
      {"Zm9\n", "error@3"},
      {"Zm9*", "error@3"},
      {"Zm9\xc3\xa9", "error@3"},
  };
  for (const DecodeCase& c : cases) EXPECT_EQ(Decode(c.in), c.out) << c.in;
}

TEST(JsonBase64, RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (size_t n = 0; n <= all.size(); n += 37) EXPECT_EQ(Decode(Encode(all.substr(0, n))), all.substr(0, n));
}

TEST(JsonUtf8, FindsTheFirstInvalidByte) {
  struct Case {
    std::string s;
    size_t at;
  };
  const Case cases[] = {
      {"", 0},
      {"plain ascii", 11},
      {"h\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", 12},
      {"a\xff", 1},
      {"ab\xc0\xaf", 2},            // overlong '/'
      {"\xe0\x80\xaf", 0},          // overlong, 3 bytes
      {"x\xed\xa0\x80", 1},         // surrogate U+D800
      {"\xf4\x90\x80\x80", 0},      // above U+10FFFF
      {"ok\xc3", 2},                // truncated sequence
      {"ok\xe2\x9c", 2},
      {"\xc3\xa9\x80", 2},          // stray continuation byte
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FindInvalidUtf8(c.s), c.at) << c.s;
    EXPECT_EQ(IsValidUtf8(c.s), c.at == c.s.size()) << c.s;
  }
}

}  // namespace
}  // namespace rubato::otlp
