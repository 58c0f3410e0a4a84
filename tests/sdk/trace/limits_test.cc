// SpanLimits::FromEnvironment and BatchProcessorOptions::FromEnvironment.
#include <gtest/gtest.h>

#include <map>

#include "sdk/trace/span_processor.h"
#include "sdk/trace/tracer_provider.h"

namespace rubato::sdk {
namespace {

using Env = std::map<std::string, std::string, std::less<>>;

struct LimitsRow {
  const char* rule;
  Env env;
  SpanLimits expected;  // attribute_count, value_length, event_count, link_count, event_attrs, link_attrs
};

bool operator==(const SpanLimits& a, const SpanLimits& b) {
  return a.attribute_count == b.attribute_count && a.attribute_value_length == b.attribute_value_length &&
         a.event_count == b.event_count && a.link_count == b.link_count &&
         a.event_attribute_count == b.event_attribute_count && a.link_attribute_count == b.link_attribute_count;
}

TEST(SpanLimitsTest, FromEnvironment) {
  const LimitsRow rows[] = {
      {"spec defaults", {}, {128, UINT32_MAX, 128, 128, 128, 128}},
      {"span-specific variables",
       {{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "10"},
        {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "20"},
        {"OTEL_SPAN_EVENT_COUNT_LIMIT", "30"},
        {"OTEL_SPAN_LINK_COUNT_LIMIT", "40"},
        {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "50"},
        {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "60"}},
       {10, 20, 30, 40, 50, 60}},
      {"general OTEL_ATTRIBUTE_* apply where no specific one is set",
       {{"OTEL_ATTRIBUTE_COUNT_LIMIT", "7"}, {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "8"}},
       {7, 8, 128, 128, 7, 7}},
      {"a specific variable beats the general one",
       {{"OTEL_ATTRIBUTE_COUNT_LIMIT", "7"}, {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "3"}},
       {3, UINT32_MAX, 128, 128, 7, 7}},
      {"zero is a valid limit", {{"OTEL_SPAN_EVENT_COUNT_LIMIT", "0"}}, {128, UINT32_MAX, 0, 128, 128, 128}},
  };
  for (const LimitsRow& row : rows) {
    EnvWarnings warnings;
    SpanLimits limits = SpanLimits::FromEnvironment(Environment::FromMap(row.env), &warnings);
    EXPECT_TRUE(limits == row.expected) << row.rule;
    EXPECT_EQ(warnings, EnvWarnings{}) << row.rule;
  }
}

struct BadLimitsRow {
  const char* rule;
  Env env;
  SpanLimits expected;
  EnvWarnings warnings;
};

TEST(SpanLimitsTest, UnusableValuesAreWarnedAboutAndTheDefaultApplies) {
  const BadLimitsRow rows[] = {
      {"a negative count",
       {{"OTEL_SPAN_LINK_COUNT_LIMIT", "-1"}},
       {128, UINT32_MAX, 128, 128, 128, 128},
       {"OTEL_SPAN_LINK_COUNT_LIMIT=\"-1\" is not an integer from 0 to 4294967295; ignored"}},
      {"too large, warned about once though three limits fall back to it",
       {{"OTEL_ATTRIBUTE_COUNT_LIMIT", "99999999999"}},
       {128, UINT32_MAX, 128, 128, 128, 128},
       {"OTEL_ATTRIBUTE_COUNT_LIMIT=\"99999999999\" is not an integer from 0 to 4294967295; ignored"}},
      {"an unusable specific value lets the general one apply",
       {{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "ten"}, {"OTEL_ATTRIBUTE_COUNT_LIMIT", "7"}},
       {7, UINT32_MAX, 128, 128, 7, 7},
       {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT=\"ten\" is not an integer from 0 to 4294967295; ignored"}},
  };
  for (const BadLimitsRow& row : rows) {
    EnvWarnings warnings;
    SpanLimits limits = SpanLimits::FromEnvironment(Environment::FromMap(row.env), &warnings);
    EXPECT_TRUE(limits == row.expected) << row.rule;
    EXPECT_EQ(warnings, row.warnings) << row.rule;
  }
}

struct BspRow {
  const char* rule;
  Env env;
  size_t queue, batch;
  int64_t delay_ms, timeout_ms;
};

TEST(BatchProcessorOptionsTest, FromEnvironment) {
  const BspRow rows[] = {
      {"spec defaults", {}, 2048, 512, 5000, 30000},
      {"every variable",
       {{"OTEL_BSP_MAX_QUEUE_SIZE", "100"},
        {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "10"},
        {"OTEL_BSP_SCHEDULE_DELAY", "250"},
        {"OTEL_BSP_EXPORT_TIMEOUT", "1000"}},
       100, 10, 250, 1000},
      {"a batch larger than the queue is clamped to the queue size",
       {{"OTEL_BSP_MAX_QUEUE_SIZE", "64"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512"}}, 64, 64, 5000, 30000},
  };
  for (const BspRow& row : rows) {
    EnvWarnings warnings;
    BatchProcessorOptions o = BatchProcessorOptions::FromEnvironment(Environment::FromMap(row.env), &warnings);
    EXPECT_EQ(o.max_queue_size, row.queue) << row.rule;
    EXPECT_EQ(o.max_export_batch_size, row.batch) << row.rule;
    EXPECT_EQ(o.schedule_delay.count(), row.delay_ms) << row.rule;
    EXPECT_EQ(o.export_timeout.count(), row.timeout_ms) << row.rule;
    EXPECT_EQ(warnings, EnvWarnings{}) << row.rule;
  }
}

TEST(BatchProcessorOptionsTest, UnusableValuesAreWarnedAboutAndTheDefaultApplies) {
  struct Row {
    Env env;
    size_t queue, batch;
    int64_t delay_ms, timeout_ms;
    EnvWarnings warnings;
  };
  const Row rows[] = {
      {{{"OTEL_BSP_SCHEDULE_DELAY", "5s"}, {"OTEL_BSP_EXPORT_TIMEOUT", "-1"}},
       2048, 512, 5000, 30000,
       {"OTEL_BSP_SCHEDULE_DELAY=\"5s\" is not an integer from 0 to 1099511627776; ignored",
        "OTEL_BSP_EXPORT_TIMEOUT=\"-1\" is not an integer from 0 to 1099511627776; ignored"}},
      {{{"OTEL_BSP_MAX_QUEUE_SIZE", "0"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "100000000"}},
       2048, 512, 5000, 30000,
       {"OTEL_BSP_MAX_QUEUE_SIZE=\"0\" is not an integer from 1 to 16777216; ignored",
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE=\"100000000\" is not an integer from 1 to 16777216; ignored"}},
      {{{"OTEL_BSP_MAX_QUEUE_SIZE", "lots"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "100"}},
       2048, 100, 5000, 30000,
       {"OTEL_BSP_MAX_QUEUE_SIZE=\"lots\" is not an integer from 1 to 16777216; ignored"}},
  };
  for (const Row& row : rows) {
    EnvWarnings warnings;
    BatchProcessorOptions o = BatchProcessorOptions::FromEnvironment(Environment::FromMap(row.env), &warnings);
    EXPECT_EQ(o.max_queue_size, row.queue) << row.warnings[0];
    EXPECT_EQ(o.max_export_batch_size, row.batch) << row.warnings[0];
    EXPECT_EQ(o.schedule_delay.count(), row.delay_ms) << row.warnings[0];
    EXPECT_EQ(o.export_timeout.count(), row.timeout_ms) << row.warnings[0];
    EXPECT_EQ(warnings, row.warnings);
  }
}

}  // namespace
}  // namespace rubato::sdk
