#include "store/wal/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace rubato::store::wal {
namespace {

struct Vector {
  std::string input;
  uint32_t crc;
};

// Check values from RFC 3720 (iSCSI), appendix B.4, and the CRC catalogue.
TEST(Crc32cTest, KnownVectors) {
  const Vector vectors[] = {
      {"", 0},
      {"123456789", 0xE3069283},
      {std::string(32, '\0'), 0x8A9136AA},
      {std::string(32, '\xFF'), 0x62A8AB43},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(Crc32c(0, v.input), v.crc) << v.input.size();
    EXPECT_EQ(Crc32cPortable(0, v.input.data(), v.input.size()), v.crc);
  }
  std::string ascending(32, '\0');
  for (int i = 0; i < 32; ++i) ascending[i] = static_cast<char>(i);
  EXPECT_EQ(Crc32c(0, ascending), 0x46DD794Eu);
}

TEST(Crc32cTest, HardwareAndPortableAgreeAtEveryLengthAndAlignment) {
  std::mt19937_64 rng(7);
  std::string data(1024 + 16, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t align = 0; align < 8; ++align)
    for (size_t n = 0; n <= 1024; n += (n < 64 ? 1 : 37)) {
      uint32_t p = Crc32cPortable(0, data.data() + align, n);
      EXPECT_EQ(Crc32c(0, data.data() + align, n), p);
      if (HaveHardwareCrc32c()) {
        EXPECT_EQ(Crc32cHardware(0, data.data() + align, n), p);
      }
    }
}

// Large inputs take the three-lane hardware loop (blocks of 12 KiB): every
// path through it must agree with the table version.
TEST(Crc32cTest, HardwareAndPortableAgreeOnLargeInputs) {
  std::mt19937_64 rng(11);
  std::string data(200'000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t n : {12287u, 12288u, 12289u, 12288u * 2 + 7, 100'003u, 199'990u}) {
    for (size_t align : {0u, 3u}) {
      uint32_t p = Crc32cPortable(0, data.data() + align, n);
      EXPECT_EQ(Crc32c(0, data.data() + align, n), p) << n;
      if (HaveHardwareCrc32c()) {
        EXPECT_EQ(Crc32cHardware(0, data.data() + align, n), p) << n;
        EXPECT_EQ(Crc32cHardware(0x12345678, data.data() + align, n),
                  Crc32cPortable(0x12345678, data.data() + align, n)) << n;
      }
    }
  }
  // A known value (computed bit by bit elsewhere): 36,864 bytes of 0..255 repeating.
  std::string ascending(36'864, '\0');
  for (size_t i = 0; i < ascending.size(); ++i) ascending[i] = static_cast<char>(i);
  EXPECT_EQ(Crc32c(0, ascending), 0x163C3CB3u);
}

TEST(Crc32cTest, ExtendingEqualsOnePass) {
  std::string s = "the quick brown fox jumps over the lazy dog, twice over";
  for (size_t cut = 0; cut <= s.size(); ++cut)
    EXPECT_EQ(Crc32c(Crc32c(0, s.substr(0, cut)), s.substr(cut)), Crc32c(0, s));
}

}  // namespace
}  // namespace rubato::store::wal
