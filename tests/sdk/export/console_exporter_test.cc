#include "sdk/export/console_exporter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "model/batch.h"

namespace rubato::sdk {
namespace {

using model::AnyValue;
using model::KeyValue;

model::Batch OneSpan() {
  model::Batch b;
  KeyValue res[] = {{"service.name", AnyValue::String("order-service")}};
  b.AddResource(b.AppendAttributes(res));
  b.AddScope("demo", "1.0");
  AnyValue items[] = {AnyValue::Int(1), AnyValue::Double(0.1), AnyValue::Double(1.0 / 3)};
  model::Range arr = b.AppendValues(items);
  KeyValue attrs[] = {{"order.item", AnyValue::String("bo\"ok")},
                      {"order.quantity", AnyValue::Int(2)},
                      {"ok", AnyValue::Bool(true)},
                      {"list", AnyValue::Array(arr)}};
  model::Span s;
  s.trace_id = *model::TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  s.span_id = *model::SpanId::FromHex("00f067aa0ba902b7");
  s.name = "process_order";
  s.kind = model::SpanKind::kInternal;
  s.start_time_unix_nano = 1'704'067'200'000'000'000ULL;
  s.end_time_unix_nano = s.start_time_unix_nano + 12'345'000;
  s.status_code = model::StatusCode::kError;
  s.status_message = "boom";
  s.attributes = b.AppendAttributes(attrs);
  b.AddSpan(s);
  return b;
}

TEST(ConsoleExporter, OneLinePerSpan) {
  FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ConsoleExporter e(f);
  model::Batch b = OneSpan();
  ASSERT_TRUE(e.Export(b).ok());
  ASSERT_TRUE(e.Export(b).ok());
  std::rewind(f);
  char buf[4096];
  size_t n = std::fread(buf, 1, sizeof buf, f);
  std::fclose(f);
  std::string line =
      "[order-service] process_order trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7 parent=- "
      "kind=internal start=2024-01-01T00:00:00.000000Z duration=12.345ms status=error \"boom\" "
      "{order.item=\"bo\\\"ok\", order.quantity=2, ok=true, list=[1, 0.1, 0.3333333333333333]} events=0 links=0\n";
  EXPECT_EQ(std::string(buf, n), line + line);
}

TEST(ConsoleExporter, ExportAfterShutdownFails) {
  FILE* f = std::tmpfile();
  ConsoleExporter e(f);
  e.Shutdown();
  model::Batch b = OneSpan();
  EXPECT_FALSE(e.Export(b).ok());
  std::fclose(f);
}

}  // namespace
}  // namespace rubato::sdk
