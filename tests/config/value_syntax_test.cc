// The value syntax alone: sizes, counts, Go durations, YAML 1.1 booleans,
// ports, endpoints, and the edit distance behind "did you mean".
#include "config/value_syntax.h"

#include <gtest/gtest.h>

#include <limits>

namespace rubato::config {
namespace {

template <typename T>
struct Case {
  const char* text;
  bool ok;
  T value;            // when ok
  const char* error;  // the whole message when not
};

template <typename T, typename Parse>
void RunTable(const std::vector<Case<T>>& cases, Parse parse) {
  for (const Case<T>& c : cases) {
    auto r = parse(c.text);
    ASSERT_EQ(r.ok(), c.ok) << '"' << c.text << "\" " << r.status().message();
    if (c.ok) {
      EXPECT_EQ(*r, c.value) << c.text;
    } else {
      EXPECT_EQ(r.status().message(), c.error) << c.text;
    }
  }
}

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

TEST(ValueSyntaxTest, Sizes) {
  RunTable<uint64_t>(
      {
          {"0", true, 0, ""},
          {"1000000", true, 1'000'000, ""},
          {"1_000_000", true, 1'000'000, ""},  // YAML 1.1, as in the seed's tempo.yml
          {"+5", true, 5, ""},
          {"0x10", true, 16, ""},
          {"0b101", true, 5, ""},
          {"0o17", true, 15, ""},
          {"18446744073709551615", true, kMax, ""},
          {"64MiB", true, 64ull << 20, ""},
          {"1GB", true, 1'000'000'000, ""},
          {"1.5 GiB", true, 3ull << 29, ""},
          {"500kb", true, 500'000, ""},
          {"2Ki", true, 2048, ""},
          {"10B", true, 10, ""},
          {"1_000KB", true, 1'000'000, ""},
          {"+1MB", true, 1'000'000, ""},
          {"16EB", false, 0, "invalid size \"16EB\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
          {"", false, 0, "invalid size \"\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
          {"MiB", false, 0, "invalid size \"MiB\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
          {"1.5", false, 0, "invalid size \"1.5\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
          {"1.0000001KB", false, 0, "invalid size \"1.0000001KB\": not a whole number of bytes"},
          {"-1", false, 0, "invalid size \"-1\": must not be negative"},
          {"-1KB", false, 0, "invalid size \"-1KB\": must not be negative"},
          {"18446744073709551616", false, 0, "invalid size \"18446744073709551616\": too large"},
          {"16385PiB", false, 0, "invalid size \"16385PiB\": too large"},
          {"007", false, 0, "invalid size \"007\": a leading zero makes YAML read it as octal; drop the zero (or write 0o... for octal)"},
          {"0x", false, 0, "invalid size \"0x\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
          {"_1", false, 0, "invalid size \"_1\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
          {"1 2", false, 0, "invalid size \"1 2\" (want bytes, e.g. 1_000_000, 64MiB or 1GB)"},
      },
      ParseSize);
}

TEST(ValueSyntaxTest, Counts) {
  RunTable<uint64_t>(
      {
          {"10000", true, 10'000, ""},
          {"10_000", true, 10'000, ""},
          {"0", true, 0, ""},
          {"-0", true, 0, ""},
          {"10k", false, 0, "invalid number \"10k\" (want a whole number, e.g. 10000)"},
          {"-3", false, 0, "invalid number \"-3\": must not be negative"},
          {"1.0", false, 0, "invalid number \"1.0\" (want a whole number, e.g. 10000)"},
      },
      ParseCount);
}

TEST(ValueSyntaxTest, Durations) {
  using std::chrono::hours;
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  using std::chrono::minutes;
  using std::chrono::nanoseconds;
  using std::chrono::seconds;
  const char* kWant = "want e.g. 30s, 5m, 1h";
  (void)kWant;
  RunTable<Duration>(
      {
          {"0", true, Duration(0), ""},
          {"0s", true, Duration(0), ""},
          {"-0s", true, Duration(0), ""},
          {"500ms", true, milliseconds(500), ""},
          {"10s", true, seconds(10), ""},
          {"5m", true, minutes(5), ""},
          {"24h", true, hours(24), ""},
          {"1h30m", true, minutes(90), ""},
          {"1.5h", true, minutes(90), ""},
          {".5s", true, milliseconds(500), ""},
          {"1h2m3s4ms5us6ns", true, hours(1) + minutes(2) + seconds(3) + milliseconds(4) + microseconds(5) + nanoseconds(6), ""},
          {"3\xC2\xB5s", true, microseconds(3), ""},
          {"3\xCE\xBCs", true, microseconds(3), ""},
          {"+5s", true, seconds(5), ""},
          {"2562047h", true, hours(2562047), ""},
          {"2562048h", false, Duration(0), "invalid duration \"2562048h\" (too large; want e.g. 30s, 5m, 1h)"},
          {"", false, Duration(0), "invalid duration \"\" (want e.g. 30s, 5m, 1h)"},
          {"5", false, Duration(0), "invalid duration \"5\" (missing unit; want e.g. 30s, 5m, 1h)"},
          {"5m3", false, Duration(0), "invalid duration \"5m3\" (missing unit; want e.g. 30s, 5m, 1h)"},
          {"5 minutes", false, Duration(0), "invalid duration \"5 minutes\" (want e.g. 30s, 5m, 1h)"},
          {"5M", false, Duration(0), "invalid duration \"5M\" (want e.g. 30s, 5m, 1h)"},
          {"1d", false, Duration(0), "invalid duration \"1d\" (Go durations have no \"d\", use h; want e.g. 30s, 5m, 1h)"},
          {"2w", false, Duration(0), "invalid duration \"2w\" (Go durations have no \"w\", use h; want e.g. 30s, 5m, 1h)"},
          {"-5m", false, Duration(0), "invalid duration \"-5m\": must not be negative"},
          {".s", false, Duration(0), "invalid duration \".s\" (want e.g. 30s, 5m, 1h)"},
          {"1.2.3s", false, Duration(0), "invalid duration \"1.2.3s\" (want e.g. 30s, 5m, 1h)"},
      },
      ParseDuration);
}

TEST(ValueSyntaxTest, Booleans) {
  RunTable<bool>(
      {
          {"true", true, true, ""},   {"True", true, true, ""}, {"yes", true, true, ""}, {"on", true, true, ""},
          {"Y", true, true, ""},      {"false", true, false, ""}, {"NO", true, false, ""}, {"off", true, false, ""},
          {"1", false, false, "invalid boolean \"1\" (want true or false)"},
          {"tRUE", false, false, "invalid boolean \"tRUE\" (want true or false)"},
      },
      ParseBool);
}

TEST(ValueSyntaxTest, Ports) {
  RunTable<int>(
      {
          {"0", true, 0, ""},
          {"3200", true, 3200, ""},
          {"65535", true, 65535, ""},
          {"65536", false, 0, "invalid port \"65536\" (want 0 to 65535)"},
          {"-1", false, 0, "invalid port \"-1\" (want 0 to 65535)"},
          {"http", false, 0, "invalid port \"http\" (want 0 to 65535)"},
      },
      ParsePort);
}

TEST(ValueSyntaxTest, Endpoints) {
  for (const char* ok : {"0.0.0.0:4317", "localhost:4318", "127.0.0.1:0", "[::1]:4317", "[::]:4317", ":4317", "tempo:65535"}) {
    EXPECT_TRUE(CheckEndpoint(ok).ok()) << ok << ": " << CheckEndpoint(ok).message();
  }
  struct Bad {
    const char* text;
    const char* error;
  } bad[] = {
      {"4317", "invalid endpoint \"4317\" (no port; want host:port, e.g. 0.0.0.0:4317)"},
      {"localhost:", "invalid endpoint \"localhost:\" (port must be 0 to 65535; want host:port, e.g. 0.0.0.0:4317)"},
      {"localhost:65536", "invalid endpoint \"localhost:65536\" (port must be 0 to 65535; want host:port, e.g. 0.0.0.0:4317)"},
      {"localhost:http", "invalid endpoint \"localhost:http\" (port must be 0 to 65535; want host:port, e.g. 0.0.0.0:4317)"},
      {"::1:4317", "invalid endpoint \"::1:4317\" (put IPv6 addresses in brackets, e.g. [::1]:4317; want host:port, e.g. 0.0.0.0:4317)"},
      {"http://x:1", "invalid endpoint \"http://x:1\" (put IPv6 addresses in brackets, e.g. [::1]:4317; want host:port, e.g. 0.0.0.0:4317)"},
      {"a b:1", "invalid endpoint \"a b:1\" (want host:port, e.g. 0.0.0.0:4317)"},
      {"[]:1", "invalid endpoint \"[]:1\" (want host:port, e.g. 0.0.0.0:4317)"},
  };
  for (const Bad& b : bad) EXPECT_EQ(CheckEndpoint(b.text).message(), b.error) << b.text;
}

TEST(ValueSyntaxTest, QuoteEscapesAndShortens) {
  EXPECT_EQ(Quote("5m"), "\"5m\"");
  EXPECT_EQ(Quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quote(std::string_view("a\0b\n", 4)), "\"a\\x00b\\x0a\"");
  EXPECT_EQ(Quote(std::string(100, 'x')), "\"" + std::string(60, 'x') + "...\"");
}

TEST(ValueSyntaxTest, EditDistance) {
  EXPECT_EQ(EditDistance("distributer", "distributor"), 1u);
  EXPECT_EQ(EditDistance("sevrer", "server"), 1u);  // a swap counts once
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("ingester", "ingester"), 0u);
  EXPECT_EQ(EditDistance("max_blok_bytes", "max_block_bytes"), 1u);
}

}  // namespace
}  // namespace rubato::config
