#include "load/options.h"

#include <gtest/gtest.h>

namespace rubato::load {
namespace {

using namespace std::chrono_literals;

TEST(GoDuration, ParsesGoSyntax) {
  EXPECT_EQ(*ParseGoDuration("30s"), 30s);
  EXPECT_EQ(*ParseGoDuration("1m30s"), 90s);
  EXPECT_EQ(*ParseGoDuration("1.5h"), 90min);
  EXPECT_EQ(*ParseGoDuration("250ms"), 250ms);
  EXPECT_EQ(*ParseGoDuration("10us"), 10us);
  EXPECT_EQ(*ParseGoDuration("10\xC2\xB5s"), 10us);
  EXPECT_EQ(*ParseGoDuration("7ns"), 7ns);
  EXPECT_EQ(*ParseGoDuration("0"), 0ns);
  EXPECT_EQ(*ParseGoDuration(".5s"), 500ms);
}

TEST(GoDuration, RejectsWhatGoRejects) {
  for (const char* bad : {"", "30", "s", "1x", "1..2s", "1s2", "-", "3 s"}) {
    auto d = ParseGoDuration(bad);
    EXPECT_FALSE(d.ok()) << bad;
    if (!d.ok()) {
      EXPECT_NE(d.status().message().find("invalid duration"), std::string::npos);
    }
  }
}

TEST(Header, SplitsKeyAndValue) {
  auto h = ParseHeader("X-Scope-OrgID=tenant-1");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->first, "X-Scope-OrgID");
  EXPECT_EQ(h->second, "tenant-1");
  EXPECT_EQ(ParseHeader("Authorization: Bearer a=b")->second, "Bearer a=b");
  EXPECT_FALSE(ParseHeader("novalue").ok());
  EXPECT_FALSE(ParseHeader("=v").ok());
}

TEST(Endpoint, Http) {
  auto t = ParseHttpEndpoint("http://127.0.0.1:4318/v1/traces");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->host, "127.0.0.1");
  EXPECT_EQ(t->port, 4318);
  EXPECT_EQ(t->path, "/v1/traces");
  t = ParseHttpEndpoint("localhost:9999");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->port, 9999);
  EXPECT_EQ(t->path, "/v1/traces");
  EXPECT_EQ(ParseHttpEndpoint("http://collector/otlp")->port, 80);
  EXPECT_EQ(ParseHttpEndpoint("http://[::1]:4318")->host, "::1");
  EXPECT_FALSE(ParseHttpEndpoint("https://x:1").ok());
  EXPECT_FALSE(ParseHttpEndpoint("http://x:0/").ok());
  EXPECT_FALSE(ParseHttpEndpoint("http://x:99999/").ok());
  EXPECT_FALSE(ParseHttpEndpoint("justahost").ok());
}

TEST(Endpoint, GrpcAndDefaults) {
  EXPECT_EQ(GrpcTarget("http://127.0.0.1:4317/"), "127.0.0.1:4317");
  EXPECT_EQ(GrpcTarget("otel:4317"), "otel:4317");
  EXPECT_EQ(DefaultEndpoint(Protocol::kGrpc), "127.0.0.1:4317");
  EXPECT_EQ(DefaultEndpoint(Protocol::kHttpJson), "http://127.0.0.1:4318/v1/traces");
  EXPECT_EQ(*ParseProtocol("http-protobuf"), Protocol::kHttpProtobuf);
  EXPECT_FALSE(ParseProtocol("thrift").ok());
}

TEST(Validate, ChecksRangesAndCombinations) {
  LoadOptions o;
  EXPECT_TRUE(Validate(o).ok());
  o.concurrency = 0;
  EXPECT_FALSE(Validate(o).ok());
  o = LoadOptions();
  o.dump_path = "a";
  o.replay_path = "b";
  EXPECT_FALSE(Validate(o).ok());
  o = LoadOptions();
  o.rate = -1;
  EXPECT_FALSE(Validate(o).ok());
}

}  // namespace
}  // namespace rubato::load
