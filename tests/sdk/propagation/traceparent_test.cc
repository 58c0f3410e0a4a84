// traceparent, one row per rule of W3C Trace Context Level 2 (section
// "traceparent Header", "Versioning of traceparent").
#include "sdk/propagation/traceparent.h"

#include <gtest/gtest.h>

namespace rubato::sdk {
namespace {

struct Row {
  const char* rule;
  std::string header;
  bool valid;
  const char* trace_id = "";
  const char* parent_id = "";
  int flags = 0;
};

constexpr const char* kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* kParent = "00f067aa0ba902b7";

std::string Tp(std::string version, std::string trace, std::string parent, std::string flags, std::string tail = "") {
  return version + "-" + trace + "-" + parent + "-" + flags + tail;
}

TEST(TraceParentTest, ParseRules) {
  const Row rows[] = {
      {"version 00, sampled", Tp("00", kTrace, kParent, "01"), true, kTrace, kParent, 0x01},
      {"version 00, not sampled", Tp("00", kTrace, kParent, "00"), true, kTrace, kParent, 0x00},
      {"random flag (Level 2)", Tp("00", kTrace, kParent, "03"), true, kTrace, kParent, 0x03},
      {"unknown flag bits are accepted (and dropped on output)", Tp("00", kTrace, kParent, "ff"), true, kTrace,
       kParent, 0xff},
      {"flags are a bit field: 09 is sampled", Tp("00", kTrace, kParent, "09"), true, kTrace, kParent, 0x09},
      {"version 00 has exactly 55 characters: no extra field", Tp("00", kTrace, kParent, "01", "-extra"), false},
      {"version 00: nothing after the flags", Tp("00", kTrace, kParent, "01", "x"), false},
      {"higher version, same length: parsed by the 00 rules", Tp("01", kTrace, kParent, "01"), true, kTrace,
       kParent, 0x01},
      {"higher version: extra fields after a dash", Tp("cc", kTrace, kParent, "01", "-what-the-future-holds"), true,
       kTrace, kParent, 0x01},
      {"higher version: the flags may end with a lone dash", Tp("fe", kTrace, kParent, "00", "-"), true, kTrace,
       kParent, 0x00},
      {"higher version: the flags must be followed by a dash", Tp("01", kTrace, kParent, "01", "x-y"), false},
      {"higher version shorter than 55 characters", Tp("01", kTrace, kParent, "1"), false},
      {"version ff is forbidden", Tp("ff", kTrace, kParent, "01"), false},
      {"version is lower-case hex", Tp("0A", kTrace, kParent, "01"), false},
      {"version is hex", Tp("0g", kTrace, kParent, "01"), false},
      {"version is two characters and a dash", "0-" + std::string(kTrace) + "-" + kParent + "-01", false},
      {"trace-id is lower-case hex", Tp("00", "4BF92F3577B34DA6A3CE929D0E0E4736", kParent, "01"), false},
      {"parent-id is lower-case hex", Tp("00", kTrace, "00F067AA0BA902B7", "01"), false},
      {"trace-flags are lower-case hex", Tp("00", kTrace, kParent, "0A"), false},
      {"trace-id is hex", Tp("00", "4bf92f3577b34da6a3ce929d0e0e473g", kParent, "01"), false},
      {"parent-id is hex", Tp("00", kTrace, "00f067aa0ba902bz", "01"), false},
      {"trace-flags are hex", Tp("00", kTrace, kParent, "0x"), false},
      {"all-zero trace-id is invalid", Tp("00", "00000000000000000000000000000000", kParent, "01"), false},
      {"all-zero parent-id is invalid", Tp("00", kTrace, "0000000000000000", "01"), false},
      {"trace-id of 31 characters", Tp("00", "4bf92f3577b34da6a3ce929d0e0e473", kParent, "01"), false},
      {"trace-id of 33 characters", Tp("00", "4bf92f3577b34da6a3ce929d0e0e47361", kParent, "01"), false},
      {"parent-id of 15 characters", Tp("00", kTrace, "00f067aa0ba902b", "01"), false},
      {"parent-id of 17 characters", Tp("00", kTrace, "00f067aa0ba902b71", "01"), false},
      {"trace-flags of 1 character", Tp("00", kTrace, kParent, "1"), false},
      {"trace-flags of 3 characters", Tp("00", kTrace, kParent, "011"), false},
      {"fields are separated by dashes", "00_" + std::string(kTrace) + "_" + kParent + "_01", false},
      {"surrounding optional whitespace is not part of the value", " \t" + Tp("00", kTrace, kParent, "01") + " ", true,
       kTrace, kParent, 0x01},
      {"empty header", "", false},
      {"two values in one header (a combined duplicate)",
       Tp("00", kTrace, kParent, "01") + "," + Tp("00", kTrace, kParent, "01"), false},
  };
  for (const Row& row : rows) {
    std::optional<TraceParent> tp = ParseTraceParent(row.header);
    ASSERT_EQ(tp.has_value(), row.valid) << row.rule << ": " << row.header;
    if (!row.valid) continue;
    EXPECT_EQ(tp->trace_id.ToHex(), row.trace_id) << row.rule;
    EXPECT_EQ(tp->parent_id.ToHex(), row.parent_id) << row.rule;
    EXPECT_EQ(tp->trace_flags, row.flags) << row.rule;
  }
}

TEST(TraceParentTest, FormatWritesVersion00AndOnlyTheDefinedFlags) {
  SpanContext sc;
  sc.trace_id = *model::TraceId::FromHex(kTrace);
  sc.span_id = *model::SpanId::FromHex(kParent);
  const std::pair<uint8_t, const char*> rows[] = {
      {0x00, "00"}, {0x01, "01"}, {0x02, "02"}, {0x03, "03"}, {0xff, "03"}, {0x08, "00"}, {0x09, "01"}};
  for (const auto& [flags, expected] : rows) {
    sc.trace_flags = flags;
    EXPECT_EQ(FormatTraceParent(sc), Tp("00", kTrace, kParent, expected)) << int(flags);
  }
}

}  // namespace
}  // namespace rubato::sdk
