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
    Result<SpanLimits> limits = SpanLimits::FromEnvironment(Environment::FromMap(row.env));
    ASSERT_TRUE(limits.ok()) << row.rule;
    EXPECT_TRUE(*limits == row.expected) << row.rule;
  }
}

TEST(SpanLimitsTest, BadValuesNameTheVariable) {
  Result<SpanLimits> limits =
      SpanLimits::FromEnvironment(Environment::FromMap({{"OTEL_SPAN_LINK_COUNT_LIMIT", "-1"}}));
  ASSERT_FALSE(limits.ok());
  EXPECT_EQ(limits.status().message(), "OTEL_SPAN_LINK_COUNT_LIMIT must be a non-negative integer, got \"-1\"");
  limits = SpanLimits::FromEnvironment(Environment::FromMap({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "99999999999"}}));
  ASSERT_FALSE(limits.ok());
  EXPECT_EQ(limits.status().message(), "OTEL_ATTRIBUTE_COUNT_LIMIT must be at most 4294967295, got 99999999999");
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
    Result<BatchProcessorOptions> o = BatchProcessorOptions::FromEnvironment(Environment::FromMap(row.env));
    ASSERT_TRUE(o.ok()) << row.rule;
    EXPECT_EQ(o->max_queue_size, row.queue) << row.rule;
    EXPECT_EQ(o->max_export_batch_size, row.batch) << row.rule;
    EXPECT_EQ(o->schedule_delay.count(), row.delay_ms) << row.rule;
    EXPECT_EQ(o->export_timeout.count(), row.timeout_ms) << row.rule;
  }
}

TEST(BatchProcessorOptionsTest, BadValuesNameTheVariable) {
  auto o = BatchProcessorOptions::FromEnvironment(Environment::FromMap({{"OTEL_BSP_SCHEDULE_DELAY", "5s"}}));
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(), "OTEL_BSP_SCHEDULE_DELAY must be a non-negative integer, got \"5s\"");
  o = BatchProcessorOptions::FromEnvironment(Environment::FromMap({{"OTEL_BSP_MAX_QUEUE_SIZE", "0"}}));
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().message(), "OTEL_BSP_MAX_QUEUE_SIZE must be at least 1");
}

}  // namespace
}  // namespace rubato::sdk
