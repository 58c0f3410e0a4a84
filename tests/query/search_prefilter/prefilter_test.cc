// BuildPrefilter (src/query/search/prefilter.h): the tree each query becomes
// (table-driven, as text), and, on a real block of the standard workload plus
// hand-built and edge-case traces, that the candidates ScanRowGroup finds with
// it include every trace the evaluator matches — and, on the workload alone,
// equal them for the filters the columns answer exactly.
#include <gtest/gtest.h>

#include <filesystem>

#include "query/search/prefilter.h"
#include "query/traceql/evaluate.h"
#include "store/backend/local_backend.h"
#include "store/block/block_writer.h"
#include "tests/block/hand_batch.h"
#include "workload/generator.h"

namespace rubato::query::search {
namespace {

using store::block::SpanField;
using store::block::SpansetFilter;
using Kind = SpansetFilter::Kind;

std::unique_ptr<traceql::Plan> Compile(const std::string& q) {
  auto plan = traceql::Plan::Compile(q);
  EXPECT_TRUE(plan.ok()) << q << ": " << plan.status().message();
  return plan.ok() ? std::move(plan).value() : nullptr;
}

const char* FieldName(SpanField f) {
  switch (f) {
    case SpanField::kName: return "name";
    case SpanField::kKind: return "kind";
    case SpanField::kStatus: return "status";
    case SpanField::kStatusMessage: return "statusMessage";
    case SpanField::kDuration: return "duration";
    case SpanField::kScopeName: return "scope.name";
    case SpanField::kScopeVersion: return "scope.version";
    case SpanField::kResourceAttribute: return "resource.";
    case SpanField::kSpanAttribute: return "span.";
    case SpanField::kAttribute: return ".";
    case SpanField::kTraceRootName: return "rootName";
    case SpanField::kTraceRootService: return "rootService";
    case SpanField::kTraceDuration: return "traceDuration";
  }
  return "?";
}

// The tree as text: spans[pred, …], and(…), union(…), intersect(…),
// descendant(…) (a `+` when the lhs is kept), min3(…). A string equality shows its string.
std::string Describe(const SpansetFilter& f) {
  std::string out;
  switch (f.kind) {
    case Kind::kSpans:
      out = "spans[";
      for (size_t i = 0; i < f.predicates.size(); ++i) {
        const auto& p = f.predicates[i];
        if (i) out += ", ";
        out += FieldName(p.field) + p.key;
        if (p.test.string_equals) out += "=\"" + *p.test.string_equals + "\"";
        if (p.test.missing) out += " or missing";
      }
      return out + "]";
    case Kind::kIntersect: out = "intersect"; break;
    case Kind::kUnion: out = "union"; break;
    case Kind::kAnd: out = "and"; break;
    case Kind::kChild: out = "child"; break;
    case Kind::kParent: out = "parent"; break;
    case Kind::kDescendant: out = "descendant"; break;
    case Kind::kAncestor: out = "ancestor"; break;
    case Kind::kSibling: out = "sibling"; break;
    case Kind::kMinCount: out = "min" + std::to_string(f.count); break;
  }
  if (f.with_lhs) out += "+";
  out += "(";
  for (size_t i = 0; i < f.children.size(); ++i) out += (i ? ", " : "") + Describe(f.children[i]);
  return out + ")";
}

std::string Built(const std::string& q, PrefilterOptions o = {}) {
  auto plan = Compile(q);
  if (!plan) return "compile error";
  auto f = BuildPrefilter(*plan, o);
  return f ? Describe(f->spans) : "none";
}

TEST(BuildPrefilter, Trees) {
  struct Row {
    const char* query;
    const char* tree;
  };
  const Row rows[] = {
      {R"({ resource.service.name = "inventory-service" && span.inventory.demand = "high" })",
       R"(spans[resource.service.name="inventory-service", span.inventory.demand="high"])"},
      {"{ duration > 250ms }", "spans[duration]"},
      {"{ span.http.response.status_code >= 500 }", "spans[span.http.response.status_code]"},
      {R"({ resource.service.name = "order-service" } >> { name = "slow_lookup" })",
       R"(descendant(spans[resource.service.name="order-service"], spans[name="slow_lookup"]))"},
      {"{ } | count() > 20", "min21(spans[])"},
      {"{ } | count() >= 2.5", "min3(spans[])"},
      {"{ status = error } | count() > 1", "min2(spans[status])"},
      {"{ } | count() < 3", "none"},
      {"{ } | count() > 0", "none"},
      {"{ }", "none"},
      {"{ true }", "none"},
      {"{ false }", "union()"},
      {R"({ .service.name = "a" })", R"(spans[.service.name="a"])"},
      {R"({ name = "a" || name = "b" })", R"(union(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" || !(name = "b") })", "none"},
      {R"({ (name = "a" || name = "b") && kind = server })",
       R"(intersect(union(spans[name="a"], spans[name="b"]), spans[kind]))"},
      {R"({ name =~ "GET.*" })", "spans[name]"},
      {R"({ "x" = name })", R"(spans[name="x"])"},
      {"{ 500 <= span.http.response.status_code }", "spans[span.http.response.status_code]"},
      {R"({ name != "a" })", "spans[name]"},
      {"{ span.foo = nil }", "none"},
      {"{ span.foo != nil }", "spans[span.foo]"},
      {"{ span.flag }", "spans[span.flag]"},
      {"{ span.a + 1 > 2 }", "none"},
      {"{ span.a = span.b }", "none"},
      {R"({ parent.name = "x" })", "none"},
      {R"({ event.name = "x" })", "none"},
      {R"({ link.traceID = "x" })", "none"},
      {R"({ instrumentation:name = "x" })", R"(spans[scope.name="x"])"},
      {R"({ instrumentation.name = "x" })", "none"},  // a scope attribute
      {R"({ trace:rootService = "order-service" })", R"(spans[rootService="order-service"])"},
      {"{ trace:duration > 1s }", "spans[traceDuration]"},
      {"{ span:id = \"0102030405060708\" }", "none"},
      {R"(!{ name = "a" })", "none"},
      {R"({ name = "a" } && { name = "b" })", R"(and(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } || { name = "b" })", R"(union(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } > { name = "b" })", R"(child(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } < { name = "b" })", R"(parent(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } << { name = "b" })", R"(ancestor(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } ~ { name = "b" })", R"(sibling(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } &>> { name = "b" })", R"(descendant+(spans[name="a"], spans[name="b"]))"},
      {R"({ name = "a" } !>> { name = "b" })", R"(spans[name="b"])"},
      {R"({ name = "a" } !~ { })", "none"},
      {R"({ name = "a" } | { kind = server })", R"(spans[name="a", kind])"},
      {R"({ name = "a" } | by(span.x) | count() > 2 | select(span.y))", R"(min3(spans[name="a"]))"},
      {R"(({ name = "a" } | count() > 1) && { name = "b" })", R"(and(min2(spans[name="a"]), spans[name="b"]))"},
      {R"({ name = "a" } | avg(duration) > 1s)", R"(spans[name="a"])"},
      {R"({ name = "a" } with(most_recent=true))", R"(spans[name="a"])"},
  };
  for (const Row& r : rows) EXPECT_EQ(Built(r.query), r.tree) << r.query;
}

TEST(BuildPrefilter, SplitTracesKeepOnlySingleSpanConditions) {
  PrefilterOptions parts;
  parts.whole_traces = false;
  EXPECT_EQ(Built(R"({ name = "a" } && { name = "b" })", parts), R"(union(spans[name="a"], spans[name="b"]))");
  EXPECT_EQ(Built(R"({ resource.service.name = "order-service" } >> { name = "slow_lookup" })", parts),
            R"(union(spans[resource.service.name="order-service"], spans[name="slow_lookup"]))");
  EXPECT_EQ(Built("{ } | count() > 20", parts), "none");
  EXPECT_EQ(Built(R"({ trace:rootName = "x" && name = "y" })", parts), R"(spans[name="y"])");
  EXPECT_EQ(Built(R"({ name = "a" && kind = client })", parts), R"(spans[name="a", kind])");
}

// ---- Against the evaluator on a real block ----

struct Written {
  std::vector<std::unique_ptr<model::Batch>> batches;
  std::filesystem::path dir;
  std::unique_ptr<store::backend::LocalBackend> backend;
  std::unique_ptr<store::block::BlockReader> reader;
  ~Written() { std::filesystem::remove_all(dir); }
};

std::unique_ptr<Written> WriteBlock(const std::string& name, bool odd_batches) {
  auto w = std::make_unique<Written>();
  workload::Generator gen(workload::Options{});
  for (int i = 0; i < 16; ++i) {
    w->batches.push_back(std::make_unique<model::Batch>());
    gen.Next(w->batches.back().get());
  }
  if (odd_batches) {
    w->batches.push_back(std::make_unique<model::Batch>(store::block::testing_support::HandBatch()));
    w->batches.push_back(std::make_unique<model::Batch>(store::block::testing_support::EdgeCaseBatch()));
  }
  w->dir = std::filesystem::temp_directory_path() / ("rubato_prefilter_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(w->dir);
  w->backend = std::make_unique<store::backend::LocalBackend>(w->dir.string());
  store::block::BlockWriterOptions o;
  o.backend = w->backend.get();
  o.tenant = "single-tenant";
  o.row_group_spans = 4000;
  std::vector<const model::Batch*> ptrs;
  for (auto& b : w->batches) ptrs.push_back(b.get());
  auto meta = store::block::WriteBlock(o, ptrs);
  EXPECT_TRUE(meta.ok()) << meta.status().message();
  w->reader = store::block::BlockReader::Open(w->backend.get(), "single-tenant", meta->block_id).value();
  return w;
}

// Queries over the workload's services, names and attributes; `exact` when
// the columns decide them fully (candidates must then equal the matches).
struct Query {
  const char* text;
  bool exact;
};
const Query kQueries[] = {
    {R"({ resource.service.name = "inventory-service" && span.inventory.demand = "high" })", true},
    {"{ duration > 250ms }", true},
    {"{ span.http.response.status_code >= 500 }", true},
    {R"({ resource.service.name = "order-service" } >> { name = "slow_lookup" })", true},
    {"{ } | count() > 20", true},
    {R"({ name =~ "POST /c.*" })", true},
    {R"({ name !~ "POST.*" && kind = client })", true},
    {"{ status = error && duration < 5ms }", true},
    {R"({ span.http.request.method = "GET" && span.http.response.status_code != 200 })", true},
    {"{ span.payment.amount > 500 }", true},
    {"{ span.payment.amount > 500.5 || span.order.quantity >= 9 }", true},
    {R"({ .db.system = "redis" })", true},
    {R"({ .service.name = "payment-service" && status = error })", true},
    {R"({ span.app.order.id =~ "0.*" })", true},
    {R"({ instrumentation:name = "payment_service.main" && kind = server })", true},
    {R"({ trace:rootName = "POST /orders" && name = "slow_lookup" && duration > 200ms })", true},
    {R"({ trace:rootService != "order-service" })", true},
    {"{ trace:duration > 400ms }", true},
    {R"({ span.server.port = 8003 } && { status = error })", true},
    {R"({ name = "check_inventory" } ~ { status = error })", true},
    {R"({ name = "reserve_stock" } > { span.inventory.demand = "high" })", true},
    {R"({ name = "reserve_stock" } &> { span.inventory.demand = "high" })", true},
    {R"({ name = "slow_lookup" } < { name = "reserve_stock" })", true},
    {R"({ duration > 250ms } << { name = "process_order" })", true},
    {R"({ status = error } !>> { resource.service.name = "payment-service" })", false},
    {R"({ status = error } | count() > 1)", true},
    {R"({ resource.service.name = "order-service" } | by(name) | count() > 3)", false},
    {R"(!{ status = error })", false},
    {R"({ span.inventory.demand != nil && kind = internal })", true},
    {R"({ parent.name = "reserve_stock" })", false},
    {R"({ event.name = "exception" })", false},
    {"{ span.order.quantity * 2 > 15 }", false},
    // Hand and edge-case values.
    {R"({ span.s = "hello" })", true},
    {"{ span.i < 0 }", true},
    {"{ span.d > 1e300 }", true},
    {R"({ span.nested = "deep" })", false},
    {"{ kind != server && kind != client && kind != internal }", true},
    {R"({ status = error && resource.service.name = "hand" })", true},
    {R"({ statusMessage = "it broke" })", true},
    {R"({ name = "orphan" } ~ { })", false},
};

class PrefilterAgainstEvaluator : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    workload_ = WriteBlock("workload", false).release();
    mixed_ = WriteBlock("mixed", true).release();
  }
  static void TearDownTestSuite() {
    delete workload_;
    delete mixed_;
  }
  // Checks every row group of `w`; counts into *matches and *candidates.
  static void Check(const Written& w, const Query& q, bool want_exact, size_t* matches, size_t* candidates) {
    auto plan = Compile(q.text);
    ASSERT_NE(plan, nullptr);
    auto filter = BuildPrefilter(*plan);
    const store::block::BlockReader& reader = *w.reader;
    for (uint32_t g = 0; g < reader.row_group_count(); ++g) {
      auto rg = reader.ReadRowGroup(g);
      ASSERT_TRUE(rg.ok()) << rg.status().message();
      std::vector<uint32_t> got;
      if (filter) {
        auto c = store::block::ScanRowGroup(reader, g, *filter);
        ASSERT_TRUE(c.ok()) << c.status().message();
        got = *c;
      } else {
        for (uint32_t t = 0; t < rg->traces.size(); ++t) got.push_back(t);
      }
      std::vector<uint32_t> want;
      for (uint32_t t = 0; t < rg->traces.size(); ++t) {
        const store::block::TraceEntry& e = rg->traces[t];
        std::vector<traceql::TraceView::SpanAt> spans;
        for (uint32_t r = e.first_row; r < e.first_row + e.span_count; ++r) spans.push_back({&rg->batch, r});
        if (!traceql::Evaluate(*plan, traceql::TraceView(std::move(spans))).empty()) want.push_back(t);
      }
      for (uint32_t t : want) {
        EXPECT_TRUE(std::binary_search(got.begin(), got.end(), t))
            << q.text << ": trace " << rg->traces[t].id.ToHex() << " matches but is not a candidate";
      }
      if (want_exact) {
        EXPECT_EQ(got, want) << q.text << ", row group " << g;
      }
      *matches += want.size();
      *candidates += got.size();
    }
  }
  static Written* workload_;
  static Written* mixed_;
};
Written* PrefilterAgainstEvaluator::workload_;
Written* PrefilterAgainstEvaluator::mixed_;

TEST_F(PrefilterAgainstEvaluator, CandidatesEqualMatchesOnTheWorkload) {
  for (const Query& q : kQueries) {
    size_t matches = 0, candidates = 0;
    Check(*workload_, q, q.exact, &matches, &candidates);
    std::printf("%-100s %5zu matches %5zu candidates\n", q.text, matches, candidates);
  }
}

TEST_F(PrefilterAgainstEvaluator, NoMatchIsEverMissedWithOddData) {
  size_t total = 0;
  for (const Query& q : kQueries) {
    size_t matches = 0, candidates = 0;
    Check(*mixed_, q, false, &matches, &candidates);
    total += matches;
  }
  EXPECT_GT(total, 1000u);
}

}  // namespace
}  // namespace rubato::query::search
