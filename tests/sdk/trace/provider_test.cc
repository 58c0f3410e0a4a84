// TracerProvider: environment wiring, OTEL_SDK_DISABLED, scopes, the global
// provider, several processors.
#include <gtest/gtest.h>

#include <cstdio>

#include "sdk/trace/span_pool.h"
#include "sdk/trace/tracer_provider.h"
#include "tests/sdk/trace/memory_exporter.h"
#include "tests/sdk/trace/test_provider.h"
#include "tests/sdk/trace/written_to.h"

namespace rubato::sdk {
namespace {

using testing::ExportLog;
using testing::MemoryExporter;

TEST(TracerProviderTest, FromEnvironmentWiresResourceSamplerLimitsAndBatching) {
  auto log = std::make_shared<ExportLog>();
  auto provider = TracerProvider::FromEnvironment(
      Environment::FromMap({{"OTEL_SERVICE_NAME", "inventory-service"},
                            {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "1"},
                            {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2"}}),
      std::make_unique<MemoryExporter>(log), nullptr);
  ASSERT_TRUE(provider.ok()) << provider.status().message();
  Tracer tracer = (*provider)->GetTracer("inventory", "2.0");
  for (int i = 0; i < 2; ++i) tracer.StartSpan("reserve_stock").SetAttribute("a", 1).SetAttribute("b", 2);
  ASSERT_TRUE(log->WaitUntil([&] { return log->spans.size() == 2; }));  // one full batch of 2
  std::lock_guard lock(log->mu);
  const testing::ExportedSpan& s = log->spans[0];
  EXPECT_EQ(s.resource.at("service.name"), "inventory-service");
  EXPECT_EQ(s.resource.at("telemetry.sdk.name"), "rubato");
  EXPECT_EQ(s.scope_name, "inventory");
  EXPECT_EQ(s.scope_version, "2.0");
  EXPECT_EQ(s.attributes.size(), 1u);
  EXPECT_EQ(s.dropped_attributes, 1u);
  EXPECT_EQ(log->export_sizes, (std::vector<size_t>{2}));
}

TEST(TracerProviderTest, UnusableValuesAreWarnedAboutAndTheSdkStartsWithTheDefaults) {
  auto log = std::make_shared<ExportLog>();
  FILE* diagnostics = std::tmpfile();
  auto provider = TracerProvider::FromEnvironment(Environment::FromMap({{"OTEL_SDK_DISABLED", "yes"},
                                                                        {"OTEL_TRACES_SAMPLER", "xray"},
                                                                        {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "0"},
                                                                        {"OTEL_BSP_EXPORT_TIMEOUT", "soon"},
                                                                        {"OTEL_RESOURCE_ATTRIBUTES", "x"},
                                                                        {"OTEL_SERVICE_NAME", "svc"}}),
                                                  std::make_unique<MemoryExporter>(log), diagnostics);
  EXPECT_EQ(testing::WrittenTo(diagnostics),
            "rubato sdk: warning: OTEL_SDK_DISABLED=\"yes\" is not true or false; taken as false\n"
            "rubato sdk: warning: OTEL_RESOURCE_ATTRIBUTES=\"x\" is not a list of key=value pairs (\"x\" is not "
            "key=value); ignored\n"
            "rubato sdk: warning: OTEL_TRACES_SAMPLER=\"xray\" is not always_on, always_off, traceidratio, "
            "parentbased_always_on, parentbased_always_off or parentbased_traceidratio; ignored\n"
            "rubato sdk: warning: OTEL_BSP_MAX_EXPORT_BATCH_SIZE=\"0\" is not an integer from 1 to 16777216; "
            "ignored\n"
            "rubato sdk: warning: OTEL_BSP_EXPORT_TIMEOUT=\"soon\" is not an integer from 0 to 1099511627776; "
            "ignored\n");
  ASSERT_TRUE(provider.ok());
  // Enabled (the default), parentbased_always_on, batches of 512, the
  // resource without the discarded attributes.
  Tracer tracer = (*provider)->GetTracer("t");
  for (int i = 0; i < 512; ++i) tracer.StartSpan("op");
  ASSERT_TRUE(log->WaitUntil([&] { return log->spans.size() == 512; }));
  std::lock_guard lock(log->mu);
  EXPECT_EQ(log->export_sizes, (std::vector<size_t>{512}));
  EXPECT_EQ(log->spans[0].resource.size(), 4u);
  EXPECT_EQ(log->spans[0].resource.at("service.name"), "svc");
}

TEST(TracerProviderTest, NullDiagnosticsIsSilent) {
  auto provider = TracerProvider::FromEnvironment(Environment::FromMap({{"OTEL_SDK_DISABLED", "yes"}}), nullptr,
                                                  nullptr);
  ASSERT_TRUE(provider.ok());
  EXPECT_TRUE((*provider)->GetTracer("t").StartSpan("op").IsRecording());
}

TEST(TracerProviderTest, DisabledSdkGivesNoOpSpansThatStillPropagate) {
  auto log = std::make_shared<ExportLog>();
  auto provider = TracerProvider::FromEnvironment(Environment::FromMap({{"OTEL_SDK_DISABLED", "TRUE"}}),
                                                  std::make_unique<MemoryExporter>(log), nullptr);
  ASSERT_TRUE(provider.ok());
  Tracer tracer = (*provider)->GetTracer("x");
  Span root = tracer.StartSpan("root");
  EXPECT_FALSE(root.IsRecording());
  EXPECT_FALSE(root.context().IsValid());  // nothing to propagate, and no IDs were drawn

  SpanContext incoming;
  incoming.trace_id = *model::TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  incoming.span_id = *model::SpanId::FromHex("00f067aa0ba902b7");
  incoming.trace_flags = SpanContext::kSampled;
  incoming.remote = true;
  Context parent = Context().WithSpanContext(incoming);
  Span child = tracer.StartSpan("child", {.parent = &parent});
  EXPECT_FALSE(child.IsRecording());
  EXPECT_EQ(child.context().trace_id, incoming.trace_id);  // the caller's trace passes through
  EXPECT_EQ(child.context().span_id, incoming.span_id);
  child.End();
  EXPECT_TRUE((*provider)->ForceFlush().ok());
  EXPECT_EQ(log->SpanCount(), 0u);
}

TEST(TracerProviderTest, TracersOfOneNameShareAScopeAndBatchesGroupByScope) {
  auto log = std::make_shared<ExportLog>();
  TracerProviderOptions o;
  BatchProcessorOptions b;
  b.schedule_delay = std::chrono::hours(1);
  o.processors.push_back(BatchSpanProcessor(std::make_unique<MemoryExporter>(log), b));
  TracerProvider provider(std::move(o));
  provider.GetTracer("a", "1").StartSpan("a1");
  provider.GetTracer("b").StartSpan("b1");
  provider.GetTracer("a", "1").StartSpan("a2");
  provider.GetTracer("a", "2").StartSpan("a-v2");
  ASSERT_TRUE(provider.ForceFlush().ok());
  std::lock_guard lock(log->mu);
  ASSERT_EQ(log->spans.size(), 4u);
  std::vector<std::string> order;
  for (const auto& s : log->spans) order.push_back(s.scope_name + s.scope_version + ":" + s.name);
  EXPECT_EQ(order, (std::vector<std::string>{"a1:a1", "a1:a2", "b:b1", "a2:a-v2"}));
}

TEST(TracerProviderTest, GlobalProvider) {
  EXPECT_EQ(GlobalTracerProvider(), nullptr);
  EXPECT_FALSE(GetTracer("none").StartSpan("op").IsRecording());  // no provider: no-op tracer
  {
    testing::TestProvider tp;
    SetGlobalTracerProvider(tp.provider.get());
    EXPECT_EQ(GlobalTracerProvider(), tp.provider.get());
    GetTracer("global", "9").StartSpan("via-global");
    ASSERT_EQ(tp.spans().size(), 1u);
    EXPECT_EQ(tp.spans()[0].scope_name, "global");
  }
  EXPECT_EQ(GlobalTracerProvider(), nullptr);  // a destroyed provider unregisters itself
}

TEST(TracerProviderTest, EverySpanReachesEveryProcessor) {
  auto first = std::make_shared<ExportLog>();
  auto second = std::make_shared<ExportLog>();
  TracerProviderOptions o;
  o.processors.push_back(SimpleSpanProcessor(std::make_unique<MemoryExporter>(first)));
  o.processors.push_back(BatchSpanProcessor(std::make_unique<MemoryExporter>(second)));
  TracerProvider provider(std::move(o));
  for (int i = 0; i < 100; ++i) provider.GetTracer("t").StartSpan("op").SetAttribute("i", i);
  ASSERT_TRUE(provider.ForceFlush().ok());
  EXPECT_EQ(first->SpanCount(), 100u);
  EXPECT_EQ(second->SpanCount(), 100u);
  std::lock_guard lock(second->mu);
  EXPECT_EQ(second->spans[99].attributes.at("i"), "99");
}

TEST(SpanPoolTest, RecordsAreReusedNotReallocated) {
  SpanPool pool;
  for (int i = 0; i < 10000; ++i) {
    SpanRecord* a = pool.Acquire();
    SpanRecord* b = pool.Acquire();
    pool.Release(a);
    pool.Release(b);
  }
  EXPECT_EQ(pool.size(), 32u);  // one block
  std::vector<SpanRecord*> held;
  for (int i = 0; i < 100; ++i) held.push_back(pool.Acquire());
  pool.ReleaseMany(held);
  EXPECT_EQ(pool.size(), 128u);
}

TEST(SpanPoolTest, ThreadCachesGoBackWhenThreadsExit) {
  SpanPool pool;
  std::thread([&] {
    std::vector<SpanRecord*> held;
    for (int i = 0; i < 64; ++i) held.push_back(pool.Acquire());
    for (SpanRecord* r : held) pool.Release(r);  // all 64 end in this thread's cache
  }).join();
  std::vector<SpanRecord*> held;
  for (int i = 0; i < 64; ++i) held.push_back(pool.Acquire());  // served from what the thread gave back
  EXPECT_EQ(pool.size(), 64u);
  for (SpanRecord* r : held) pool.Release(r);
}

}  // namespace
}  // namespace rubato::sdk
