// Samplers: decisions against hand-computed trace IDs, the parent-based
// matrix, descriptions and OTEL_TRACES_SAMPLER / _ARG.
#include "sdk/trace/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace rubato::sdk {
namespace {

using D = SamplingDecision;

model::TraceId Tid(const char* hex) { return *model::TraceId::FromHex(hex); }

D Decide(const Sampler& s, const char* trace_hex, const Context& parent = Context()) {
  return s.ShouldSample(parent, Tid(trace_hex), "op", SpanKind::kInternal);
}

TEST(SamplerTest, AlwaysOnAndOff) {
  EXPECT_EQ(Decide(*AlwaysOnSampler(), "4bf92f3577b34da6a3ce929d0e0e4736"), D::kRecordAndSample);
  EXPECT_EQ(Decide(*AlwaysOffSampler(), "4bf92f3577b34da6a3ce929d0e0e4736"), D::kDrop);
  EXPECT_EQ(AlwaysOnSampler()->Description(), "AlwaysOnSampler");
  EXPECT_EQ(AlwaysOffSampler()->Description(), "AlwaysOffSampler");
}

struct RatioRow {
  double ratio;
  const char* trace_id;
  D expected;
  const char* why;
};

TEST(SamplerTest, TraceIdRatioComparesTheLow56BitsWithTheRejectionThreshold) {
  // R = bytes 9..15 of the trace ID, big-endian; sampled iff R >= T, with
  // T = (1 - ratio) * 2^56 (OTel spec, TraceIdRatioBased; W3C Level 2 randomness).
  const RatioRow rows[] = {
      {0.0, "ffffffffffffffffffffffffffffffff", D::kDrop, "ratio 0: T = 2^56 exceeds every R"},
      {1.0, "00000000000000010000000000000000", D::kRecordAndSample, "ratio 1: T = 0, even R = 0 passes"},
      {0.5, "00000000000000000080000000000000", D::kRecordAndSample, "ratio 0.5: R = 2^55 = T"},
      {0.5, "0000000000000000007fffffffffffff", D::kDrop, "ratio 0.5: R = 2^55 - 1 < T"},
      {0.5, "ffffffffffffffffff7fffffffffffff", D::kDrop, "bytes 0..8 do not count"},
      {0.25, "000000000000000000c0000000000000", D::kRecordAndSample, "ratio 0.25: T = 0xc0000000000000"},
      {0.25, "000000000000000000bfffffffffffff", D::kDrop, "ratio 0.25: R = T - 1"},
      {0.1, "000000000000000000e666666666666a", D::kRecordAndSample,
       "ratio 0.1: T = 2^56 - round(0.1 * 2^56) = 0xe6666666666666; R = T + 4"},
      {0.1, "000000000000000000e666666666665f", D::kDrop, "ratio 0.1: R = T - 7"},
      {std::ldexp(1.0, -56), "000000000000000000fffffffffffffe", D::kDrop, "ratio 2^-56: only R = 2^56 - 1"},
      {std::ldexp(1.0, -56), "000000000000000000ffffffffffffff", D::kRecordAndSample, "ratio 2^-56: R = 2^56 - 1"},
  };
  for (const RatioRow& row : rows) {
    EXPECT_EQ(Decide(*TraceIdRatioSampler(row.ratio), row.trace_id), row.expected) << row.why;
  }
}

TEST(SamplerTest, TraceIdRatioIgnoresTheParentSampledFlag) {
  SpanContext sampled_parent;
  sampled_parent.trace_id = Tid("00000000000000000000000000000001");
  sampled_parent.span_id.bytes[0] = 1;
  sampled_parent.trace_flags = SpanContext::kSampled;
  Context parent = Context().WithSpanContext(sampled_parent);
  EXPECT_EQ(Decide(*TraceIdRatioSampler(0.5), "00000000000000000000000000000001", parent), D::kDrop);
}

TEST(SamplerTest, TraceIdRatioDescription) {
  EXPECT_EQ(TraceIdRatioSampler(0.25)->Description(), "TraceIdRatioBased{0.250000}");
  EXPECT_EQ(TraceIdRatioSampler(0.0001)->Description(), "TraceIdRatioBased{0.000100}");
  EXPECT_EQ(TraceIdRatioSampler(1e-7)->Description(), "TraceIdRatioBased{9.9999999999999995e-08}");
}

Context ParentContext(bool remote, bool sampled) {
  SpanContext sc;
  sc.trace_id = Tid("0af7651916cd43dd8448eb211c80319c");
  sc.span_id = *model::SpanId::FromHex("b7ad6b7169203331");
  sc.remote = remote;
  sc.trace_flags = sampled ? SpanContext::kSampled : 0;
  return Context().WithSpanContext(sc);
}

struct ParentRow {
  const char* rule;
  std::optional<std::pair<bool, bool>> parent;  // (remote, sampled); nullopt: no parent
  D with_defaults;   // root = always_off, delegates as the spec defaults them
  D with_inverted;   // root = always_on, every delegate the opposite of its default
};

TEST(SamplerTest, ParentBasedMatrix) {
  const ParentRow rows[] = {
      {"no parent: root()", std::nullopt, D::kDrop, D::kRecordAndSample},
      {"remote parent sampled: remoteParentSampled (always_on)", std::pair{true, true}, D::kRecordAndSample, D::kDrop},
      {"remote parent not sampled: remoteParentNotSampled (always_off)", std::pair{true, false}, D::kDrop,
       D::kRecordAndSample},
      {"local parent sampled: localParentSampled (always_on)", std::pair{false, true}, D::kRecordAndSample, D::kDrop},
      {"local parent not sampled: localParentNotSampled (always_off)", std::pair{false, false}, D::kDrop,
       D::kRecordAndSample},
  };
  auto defaults = ParentBasedSampler(AlwaysOffSampler());
  auto inverted = ParentBasedSampler(AlwaysOnSampler(), AlwaysOffSampler(), AlwaysOnSampler(), AlwaysOffSampler(),
                                     AlwaysOnSampler());
  for (const ParentRow& row : rows) {
    Context parent = row.parent ? ParentContext(row.parent->first, row.parent->second) : Context();
    EXPECT_EQ(Decide(*defaults, "0af7651916cd43dd8448eb211c80319c", parent), row.with_defaults) << row.rule;
    EXPECT_EQ(Decide(*inverted, "0af7651916cd43dd8448eb211c80319c", parent), row.with_inverted) << row.rule;
  }
  EXPECT_EQ(defaults->Description(),
            "ParentBased{root:AlwaysOffSampler,remoteParentSampled:AlwaysOnSampler,"
            "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
            "localParentNotSampled:AlwaysOffSampler}");
}

struct EnvRow {
  std::map<std::string, std::string, std::less<>> env;
  std::string description;
  EnvWarnings warnings;
};

TEST(SamplerTest, FromEnvironment) {
  const std::string pb_on =
      ",remoteParentSampled:AlwaysOnSampler,remoteParentNotSampled:AlwaysOffSampler,"
      "localParentSampled:AlwaysOnSampler,localParentNotSampled:AlwaysOffSampler}";
  const std::string names =
      "always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or "
      "parentbased_traceidratio";
  const EnvRow rows[] = {
      {{}, "ParentBased{root:AlwaysOnSampler" + pb_on, {}},
      {{{"OTEL_TRACES_SAMPLER", "always_on"}}, "AlwaysOnSampler", {}},
      {{{"OTEL_TRACES_SAMPLER", "always_off"}}, "AlwaysOffSampler", {}},
      {{{"OTEL_TRACES_SAMPLER", "traceidratio"}}, "TraceIdRatioBased{1.000000}", {}},
      {{{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.25"}}, "TraceIdRatioBased{0.250000}",
       {}},
      {{{"OTEL_TRACES_SAMPLER", "parentbased_always_off"}}, "ParentBased{root:AlwaysOffSampler" + pb_on, {}},
      {{{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.5"}},
       "ParentBased{root:TraceIdRatioBased{0.500000}" + pb_on, {}},
      {{{"OTEL_TRACES_SAMPLER", "always_on"}, {"OTEL_TRACES_SAMPLER_ARG", "half"}}, "AlwaysOnSampler", {}},
      // Unusable values: warned about, and the default used.
      {{{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "half"}},
       "TraceIdRatioBased{1.000000}",
       {"OTEL_TRACES_SAMPLER_ARG=\"half\" is not a number from 0 to 1; ignored"}},
      {{{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "1.5"}},
       "ParentBased{root:TraceIdRatioBased{1.000000}" + pb_on,
       {"OTEL_TRACES_SAMPLER_ARG=\"1.5\" is not a number from 0 to 1; ignored"}},
      {{{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "nan"}},
       "TraceIdRatioBased{1.000000}",
       {"OTEL_TRACES_SAMPLER_ARG=\"nan\" is not a number from 0 to 1; ignored"}},
      {{{"OTEL_TRACES_SAMPLER", "jaeger_remote"}},
       "ParentBased{root:AlwaysOnSampler" + pb_on,
       {"OTEL_TRACES_SAMPLER=\"jaeger_remote\" is not " + names + "; ignored"}},
  };
  for (const EnvRow& row : rows) {
    EnvWarnings warnings;
    std::unique_ptr<Sampler> sampler = SamplerFromEnvironment(Environment::FromMap(row.env), &warnings);
    EXPECT_EQ(sampler->Description(), row.description);
    EXPECT_EQ(warnings, row.warnings) << row.description;
  }
}

}  // namespace
}  // namespace rubato::sdk
