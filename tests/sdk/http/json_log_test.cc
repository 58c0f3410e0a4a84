// The structured log helper: exact line format, the current span's ids, and
// whole lines under concurrent writers.
#include "sdk/log/json_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/sdk/http/span_capture.h"

namespace rubato::sdk::log {
namespace {

Context WithSpan(std::string_view trace_hex, std::string_view span_hex) {
  SpanContext sc;
  sc.trace_id = *model::TraceId::FromHex(trace_hex);
  sc.span_id = *model::SpanId::FromHex(span_hex);
  sc.trace_flags = SpanContext::kSampled;
  return Context().WithSpanContext(sc);
}

std::vector<std::string> ReadLines(FILE* f) {
  fflush(f);
  rewind(f);
  std::vector<std::string> lines;
  std::string line;
  int c;
  while ((c = fgetc(f)) != EOF) {
    if (c == '\n') {
      lines.push_back(line);
      line.clear();
    } else {
      line.push_back(static_cast<char>(c));
    }
  }
  if (!line.empty()) lines.push_back(line);  // an unterminated line would be a bug: keep it visible
  return lines;
}

// Routes the global sink to a temporary file for one test.
class LogCapture {
 public:
  LogCapture() : file_(tmpfile()) {
    SetOutput(file_);
    SetServiceName("order-service");
  }
  ~LogCapture() {
    SetOutput(nullptr);
    SetMinLevel(Level::kInfo);
    fclose(file_);
  }
  std::vector<std::string> Lines() { return ReadLines(file_); }

 private:
  FILE* file_;
};

TEST(JsonLogTest, ExactLineWithSpanAndFields) {
  Context ctx = WithSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
  const int64_t ids[] = {1, 2};
  std::string line = FormatLine(Level::kWarning, "stock \"low\"\n",
                                {{"order.item", "book"}, {"quantity", 8}, {"price", 9.99}, {"retry", false},
                                 {"ids", std::span<const int64_t>(ids)}},
                                ctx, 1714564800123456789ULL, "inventory-service");
  EXPECT_EQ(line,
            R"({"timestamp":"2024-05-01T12:00:00.123456Z","level":"warning","service":"inventory-service",)"
            R"("message":"stock \"low\"\n","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",)"
            R"("span_id":"00f067aa0ba902b7","order.item":"book","quantity":8,"price":9.99,"retry":false,)"
            R"("ids":[1,2]})");
}

TEST(JsonLogTest, NoSpanMeansNoIds) {
  EXPECT_EQ(FormatLine(Level::kError, "down", {}, Context(), 0, "svc"),
            R"({"timestamp":"1970-01-01T00:00:00.000000Z","level":"error","service":"svc","message":"down"})");
}

TEST(JsonLogTest, WriteUsesTheCurrentSpanOfARealTracer) {
  testing::TestTracing tracing;
  LogCapture capture;
  Span span = GetTracer("test").StartSpan("process_order");
  {
    ContextScope scope = span.MakeCurrent();
    Info("order placed", {{"order.id", "o-1"}});
  }
  Info("outside");
  Debug("dropped below the minimum level");
  span.End();
  std::vector<std::string> lines = capture.Lines();
  ASSERT_EQ(lines.size(), 2u);
  rapidjson::Document first;
  ASSERT_FALSE(first.Parse(lines[0].c_str()).HasParseError()) << lines[0];
  EXPECT_STREQ(first["level"].GetString(), "info");
  EXPECT_STREQ(first["service"].GetString(), "order-service");
  EXPECT_STREQ(first["message"].GetString(), "order placed");
  EXPECT_EQ(first["trace_id"].GetString(), span.context().trace_id.ToHex());
  EXPECT_EQ(first["span_id"].GetString(), span.context().span_id.ToHex());
  EXPECT_STREQ(first["order.id"].GetString(), "o-1");
  rapidjson::Document second;
  ASSERT_FALSE(second.Parse(lines[1].c_str()).HasParseError()) << lines[1];
  EXPECT_FALSE(second.HasMember("trace_id"));
  EXPECT_FALSE(second.HasMember("span_id"));
}

TEST(JsonLogTest, MinimumLevel) {
  LogCapture capture;
  SetMinLevel(Level::kDebug);
  Debug("d");
  SetMinLevel(Level::kError);
  Warning("w");
  Error("e");
  std::vector<std::string> lines = capture.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find(R"("level":"debug","service":"order-service","message":"d"})"), std::string::npos);
  EXPECT_NE(lines[1].find(R"("level":"error","service":"order-service","message":"e"})"), std::string::npos);
}

TEST(JsonLogTest, ConcurrentWritersNeverInterleaveLines) {
  LogCapture capture;
  constexpr int kThreads = 4, kLines = 300;
  std::vector<std::thread> threads;
  const std::string padding(500, 'x');  // long lines make interleaving likely if writes were split
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &padding] {
      for (int i = 0; i < kLines; ++i) Info(padding, {{"thread", t}, {"i", i}});
    });
  }
  for (auto& th : threads) th.join();
  std::vector<std::string> lines = capture.Lines();
  ASSERT_EQ(lines.size(), size_t{kThreads * kLines});
  std::vector<int> next(kThreads, 0);
  for (const std::string& line : lines) {
    rapidjson::Document d;
    ASSERT_FALSE(d.Parse(line.c_str()).HasParseError()) << line;
    int t = d["thread"].GetInt();
    EXPECT_EQ(d["i"].GetInt(), next[t]++);  // each thread's lines in its own order
    EXPECT_EQ(d["message"].GetString(), padding);
  }
}

}  // namespace
}  // namespace rubato::sdk::log
