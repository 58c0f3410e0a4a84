// The propagators over a carrier: extraction rules across headers
// (duplicates, combining, tracestate only with a valid traceparent),
// injection, composition, OTEL_PROPAGATORS and the global propagator.
#include <gtest/gtest.h>

#include "sdk/propagation/text_map.h"
#include "sdk/trace/tracer_provider.h"
#include "tests/sdk/propagation/map_carrier.h"

namespace rubato::sdk {
namespace {

using testing::MapCarrier;

constexpr const char* kTraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

Context Extract(const TextMapPropagator& p, MapCarrier carrier) { return p.Extract(carrier, Context()); }

TEST(TraceContextPropagatorTest, ExtractsARemoteSpanContext) {
  auto p = TraceContextPropagator();
  Context ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent}, {"tracestate", "congo=t61rcWkgMzE"}}));
  const SpanContext& sc = ctx.span_context();
  ASSERT_TRUE(sc.IsValid());
  EXPECT_EQ(sc.trace_id.ToHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(sc.span_id.ToHex(), "b7ad6b7169203331");
  EXPECT_TRUE(sc.IsSampled());
  EXPECT_TRUE(sc.remote);
  EXPECT_EQ(sc.trace_state, "congo=t61rcWkgMzE");
}

TEST(TraceContextPropagatorTest, HeaderNamesInAnyCase) {
  auto p = TraceContextPropagator();
  Context ctx = Extract(*p, MapCarrier({{"TraceParent", kTraceParent}, {"TRACESTATE", "a=1"}}));
  EXPECT_TRUE(ctx.span_context().IsValid());
  EXPECT_EQ(ctx.span_context().trace_state, "a=1");
}

TEST(TraceContextPropagatorTest, DuplicateTraceParentHeadersStartANewTrace) {
  auto p = TraceContextPropagator();
  // Even two identical values: the receiver cannot know which is right.
  Context ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent}, {"traceparent", kTraceParent}}));
  EXPECT_FALSE(ctx.span_context().IsValid());
  ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent},
                                {"traceparent", "00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203331-01"}}));
  EXPECT_FALSE(ctx.span_context().IsValid());
}

TEST(TraceContextPropagatorTest, TraceStateIsIgnoredWithoutAValidTraceParent) {
  auto p = TraceContextPropagator();
  Context ctx = Extract(*p, MapCarrier({{"traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01"},
                                        {"tracestate", "congo=t61rcWkgMzE"}}));
  EXPECT_FALSE(ctx.span_context().IsValid());
  EXPECT_EQ(ctx.span_context().trace_state, "");
  ctx = Extract(*p, MapCarrier({{"tracestate", "congo=t61rcWkgMzE"}}));
  EXPECT_FALSE(ctx.span_context().IsValid());
}

TEST(TraceContextPropagatorTest, MultipleTraceStateHeadersAreCombined) {
  auto p = TraceContextPropagator();
  Context ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent},
                                        {"tracestate", "rojo=00f067aa0ba902b7"},
                                        {"tracestate", ""},
                                        {"tracestate", "congo=t61rcWkgMzE"}}));
  EXPECT_EQ(ctx.span_context().trace_state, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  // A duplicate key across headers makes the combined list invalid.
  ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent}, {"tracestate", "a=1"}, {"tracestate", "a=2"}}));
  EXPECT_TRUE(ctx.span_context().IsValid());
  EXPECT_EQ(ctx.span_context().trace_state, "");
}

TEST(TraceContextPropagatorTest, InvalidTraceStateDoesNotAffectTraceParent) {
  auto p = TraceContextPropagator();
  Context ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent}, {"tracestate", "UPPER=1"}}));
  EXPECT_TRUE(ctx.span_context().IsValid());
  EXPECT_EQ(ctx.span_context().trace_state, "");
}

TEST(TraceContextPropagatorTest, ExtractKeepsTheBaseBaggage) {
  auto p = TraceContextPropagator();
  MapCarrier carrier({{"traceparent", kTraceParent}});
  Context ctx = p->Extract(carrier, Context().WithBaggage({{"k", "v", ""}}));
  EXPECT_TRUE(ctx.span_context().IsValid());
  ASSERT_EQ(ctx.baggage().size(), 1u);
}

TEST(TraceContextPropagatorTest, InjectWritesVersion00AndTheTraceState) {
  auto p = TraceContextPropagator();
  SpanContext sc;
  sc.trace_id = *model::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c");
  sc.span_id = *model::SpanId::FromHex("b7ad6b7169203331");
  sc.trace_flags = 0x81;  // an undefined bit the caller sent: not passed on
  sc.trace_state = "congo=t61rcWkgMzE";
  MapCarrier carrier({{"TRACEPARENT", "stale"}});
  p->Inject(Context().WithSpanContext(sc), carrier);
  EXPECT_EQ(carrier.headers.size(), 2u);  // the stale value was replaced
  EXPECT_EQ(carrier.Get("traceparent"), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  EXPECT_EQ(carrier.Get("tracestate"), "congo=t61rcWkgMzE");

  MapCarrier empty;
  p->Inject(Context(), empty);  // no valid span context: nothing to send
  EXPECT_TRUE(empty.headers.empty());
  sc.trace_state.clear();
  p->Inject(Context().WithSpanContext(sc), empty);
  EXPECT_EQ(empty.headers.size(), 1u);  // no empty tracestate header
}

TEST(TraceContextPropagatorTest, EachOutgoingCallGetsANewParentId) {
  TracerProvider provider({});
  Tracer tracer = provider.GetTracer("client");
  auto p = TraceContextPropagator();
  Context incoming = Extract(*p, MapCarrier({{"traceparent", kTraceParent}, {"tracestate", "congo=t61rcWkgMzE"}}));
  Span server = tracer.StartSpan("GET /orders", {.kind = SpanKind::kServer, .parent = &incoming});
  auto scope = server.MakeCurrent();
  std::vector<std::string> sent;
  for (int call = 0; call < 2; ++call) {
    Span client = tracer.StartSpan("GET", {.kind = SpanKind::kClient});
    auto client_scope = client.MakeCurrent();
    MapCarrier out;
    p->Inject(Context::Current(), out);
    sent.push_back(out.Get("traceparent"));
    EXPECT_EQ(out.Get("tracestate"), "congo=t61rcWkgMzE");  // carried along unmodified
  }
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_NE(sent[0], sent[1]);
  for (const std::string& tp : sent) {
    EXPECT_EQ(tp.substr(0, 36), "00-0af7651916cd43dd8448eb211c80319c-");
    EXPECT_NE(tp.substr(36, 16), "b7ad6b7169203331");
    EXPECT_EQ(tp.substr(52), "-01");  // sampled; the caller's trace ID was not marked random
  }
}

TEST(BaggagePropagatorTest, ExtractCombinesHeadersAndInjectSerializes) {
  auto p = BaggagePropagator();
  Context ctx = Extract(*p, MapCarrier({{"baggage", "userId=alice"}, {"Baggage", "serverNode=DF%2028;p"}}));
  ASSERT_EQ(ctx.baggage().size(), 2u);
  EXPECT_EQ(ctx.baggage()[1].value, "DF 28");
  EXPECT_EQ(ctx.baggage()[1].properties, ";p");
  MapCarrier out;
  p->Inject(ctx, out);
  EXPECT_EQ(out.Get("baggage"), "userId=alice,serverNode=DF%2028;p");
  MapCarrier none;
  p->Inject(Context(), none);
  EXPECT_TRUE(none.headers.empty());
}

TEST(CompositePropagatorTest, RunsEveryPart) {
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  parts.push_back(TraceContextPropagator());
  parts.push_back(BaggagePropagator());
  auto p = CompositePropagator(std::move(parts));
  Context ctx = Extract(*p, MapCarrier({{"traceparent", kTraceParent}, {"baggage", "k=v"}}));
  EXPECT_TRUE(ctx.span_context().IsValid());
  ASSERT_EQ(ctx.baggage().size(), 1u);
  MapCarrier out;
  p->Inject(ctx, out);
  EXPECT_EQ(out.Get("traceparent"), kTraceParent);
  EXPECT_EQ(out.Get("baggage"), "k=v");
}

struct EnvRow {
  const char* value;  // nullptr: unset
  bool injects_traceparent;
  bool injects_baggage;
  std::vector<std::string> warnings;
};

TEST(PropagatorFromEnvironmentTest, Names) {
  const EnvRow rows[] = {
      {nullptr, true, true, {}},  // default "tracecontext,baggage"
      {"tracecontext", true, false, {}},
      {"baggage", false, true, {}},
      {" baggage , tracecontext ", true, true, {}},
      {"tracecontext,tracecontext", true, false, {}},
      {"none", false, false, {}},
      // Unknown names are warned about and skipped, as any unusable setting.
      {"tracecontext,jaeger", true, false,
       {"OTEL_PROPAGATORS=\"tracecontext,jaeger\" is not a list of tracecontext, baggage and none; \"jaeger\" ignored"}},
      {"none,b3", false, false,
       {"OTEL_PROPAGATORS=\"none,b3\" is not a list of tracecontext, baggage and none; \"b3\" ignored"}},
      // Nothing usable at all: the default.
      {"b3", true, true,
       {"OTEL_PROPAGATORS=\"b3\" is not a list of tracecontext, baggage and none; \"b3\" ignored",
        "OTEL_PROPAGATORS=\"b3\" is not a list naming a supported propagator; using tracecontext,baggage"}},
  };
  MapCarrier source({{"traceparent", kTraceParent}, {"baggage", "k=v"}});
  Context ctx = TraceContextPropagator()->Extract(source, BaggagePropagator()->Extract(source, Context()));
  for (const EnvRow& row : rows) {
    std::map<std::string, std::string, std::less<>> env;
    if (row.value != nullptr) env["OTEL_PROPAGATORS"] = row.value;
    EnvWarnings warnings;
    auto p = PropagatorFromEnvironment(Environment::FromMap(env), &warnings);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(warnings, row.warnings) << (row.value ? row.value : "unset");
    MapCarrier out;
    p->Inject(ctx, out);
    EXPECT_EQ(!out.Get("traceparent").empty(), row.injects_traceparent) << (row.value ? row.value : "unset");
    EXPECT_EQ(!out.Get("baggage").empty(), row.injects_baggage) << (row.value ? row.value : "unset");
  }
}

TEST(GlobalPropagatorTest, DefaultsToTraceContextAndBaggageAndCanBeReplaced) {
  MapCarrier in({{"traceparent", kTraceParent}, {"baggage", "k=v"}});
  Context ctx = GlobalPropagator().Extract(in, Context());
  EXPECT_TRUE(ctx.span_context().IsValid());
  EXPECT_EQ(ctx.baggage().size(), 1u);
  SetGlobalPropagator(BaggagePropagator());
  MapCarrier out;
  GlobalPropagator().Inject(ctx, out);
  EXPECT_EQ(out.Get("traceparent"), "");
  EXPECT_EQ(out.Get("baggage"), "k=v");
  std::vector<std::unique_ptr<TextMapPropagator>> parts;
  parts.push_back(TraceContextPropagator());
  parts.push_back(BaggagePropagator());
  SetGlobalPropagator(CompositePropagator(std::move(parts)));  // restore the default for other tests
}

}  // namespace
}  // namespace rubato::sdk
