// The search prefilter (src/store/block/row_group_scan.h) over real blocks:
// exact candidate sets on hand-built traces for every field and node kind;
// on the standard workload, candidates equal to what a plain evaluation of
// the decoded spans finds, for many filters; with every value kind and odd
// times (hand and edge-case batches), never a trace missed; ReadTraces and
// ReadStoredChunks; corrupt chunks and malformed trees.
#include <gtest/gtest.h>

#include <fstream>

#include "model/batch_compare.h"
#include "store/block/block_writer.h"
#include "store/block/row_group_scan.h"
#include "tests/block/block_test_util.h"
#include "tests/block/hand_batch.h"
#include "tests/block/row_group_scan_reference.h"
#include "workload/generator.h"

namespace rubato::store::block {
namespace {

using model::AnyValue;
using model::Batch;
using K = SpansetFilter::Kind;
using testing_support::TempDir;

// ---- Building filters ----

ValueTest StrEq(std::string s) {
  ValueTest t;
  t.string_equals = std::move(s);
  return t;
}
ValueTest StrFn(std::function<bool(std::string_view)> f) {
  ValueTest t;
  t.string = std::move(f);
  return t;
}
ValueTest IntFn(std::function<bool(int64_t)> f) {
  ValueTest t;
  t.integer = std::move(f);
  return t;
}
SpanPredicate P(SpanField f, ValueTest t, std::string key = "") { return SpanPredicate{f, std::move(key), std::move(t)}; }
SpanPredicate Name(std::string s) { return P(SpanField::kName, StrEq(std::move(s))); }
SpanPredicate Service(std::string s) { return P(SpanField::kResourceAttribute, StrEq(std::move(s)), "service.name"); }
SpanPredicate DurationOver(uint64_t ns) { return P(SpanField::kDuration, IntFn([ns](int64_t d) { return d > static_cast<int64_t>(ns); })); }
SpansetFilter Spans(std::vector<SpanPredicate> ps) { return SpansetFilter::Spans(std::move(ps)); }
SpansetFilter Rel(K k, SpansetFilter lhs, SpansetFilter rhs, bool with_lhs = false) {
  std::vector<SpansetFilter> kids;
  kids.push_back(std::move(lhs));
  kids.push_back(std::move(rhs));
  SpansetFilter f = SpansetFilter::Node(k, std::move(kids));
  f.with_lhs = with_lhs;
  return f;
}
SpansetFilter Node2(K k, SpansetFilter a, SpansetFilter b) { return Rel(k, std::move(a), std::move(b)); }

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kT0 = 1'704'067'200'000'000'000ULL;

// ---- A hand-built block: four traces with known shapes ----
//
// T1: "GET /" frontend server 100ms {status_code 200}
//       └ "query" backend client error 300ms {db.system redis, status_code 503}
// T2: "GET /" backend server 50ms {tier gold}
//       └ "query" backend 10ms {tier silver, retries 3, ratio 0.5}
// T3: "batch" frontend internal 2s {tier gold}
//       └ "step" frontend 1s └ "query" backend 1ms
// T4: "GET /" frontend ok 20ms {flag true}
//       ├ "a" frontend 5ms
//       └ "b" frontend 5ms
class HandScan : public ::testing::Test {
 protected:
  static model::TraceId Tid(uint8_t n) {
    model::TraceId id;
    id.bytes[0] = n;
    return id;
  }
  static model::SpanId Sid(uint8_t n) {
    model::SpanId id;
    id.bytes[7] = n;
    return id;
  }
  struct S {
    uint8_t trace, id, parent;
    const char* name;
    bool backend;
    uint64_t start_ms, duration_ms;
    model::SpanKind kind = model::SpanKind::kInternal;
    model::StatusCode status = model::StatusCode::kUnset;
    std::vector<model::KeyValue> attrs = {};
  };

  static void SetUpTestSuite() {
    using model::KeyValue;
    std::vector<S> spans = {
        {1, 1, 0, "GET /", false, 0, 100, model::SpanKind::kServer, model::StatusCode::kUnset,
         {{"http.response.status_code", AnyValue::Int(200)}}},
        {1, 2, 1, "query", true, 10, 300, model::SpanKind::kClient, model::StatusCode::kError,
         {{"db.system", AnyValue::String("redis")}, {"http.response.status_code", AnyValue::Int(503)}}},
        {2, 3, 0, "GET /", true, 0, 50, model::SpanKind::kServer, model::StatusCode::kUnset,
         {{"tier", AnyValue::String("gold")}}},
        {2, 4, 3, "query", true, 5, 10, model::SpanKind::kInternal, model::StatusCode::kUnset,
         {{"tier", AnyValue::String("silver")}, {"retries", AnyValue::Int(3)}, {"ratio", AnyValue::Double(0.5)}}},
        {3, 5, 0, "batch", false, 0, 2000, model::SpanKind::kInternal, model::StatusCode::kUnset,
         {{"tier", AnyValue::String("gold")}}},
        {3, 6, 5, "step", false, 100, 1000},
        {3, 7, 6, "query", true, 200, 1},
        {4, 8, 0, "GET /", false, 0, 20, model::SpanKind::kServer, model::StatusCode::kOk,
         {{"flag", AnyValue::Bool(true)}}},
        {4, 9, 8, "a", false, 1, 5},
        {4, 10, 8, "b", false, 2, 5},
    };
    batch_ = new Batch();
    for (bool backend : {false, true}) {
      std::vector<KeyValue> res = {{"service.name", AnyValue::String(backend ? "backend" : "frontend")}};
      batch_->AddResource(batch_->AppendAttributes(res));
      batch_->AddScope(backend ? "backend.lib" : "frontend.lib", "1.0");
      for (const S& s : spans) {
        if (s.backend != backend) continue;
        model::Span span;
        span.trace_id = Tid(s.trace);
        span.span_id = Sid(s.id);
        if (s.parent != 0) span.parent_span_id = Sid(s.parent);
        span.name = s.name;
        span.start_time_unix_nano = kT0 + s.start_ms * kMs;
        span.end_time_unix_nano = span.start_time_unix_nano + s.duration_ms * kMs;
        span.kind = s.kind;
        span.status_code = s.status;
        span.attributes = batch_->AppendAttributes(s.attrs);
        batch_->AddSpan(span);
      }
    }
    dir_ = new TempDir("scan_hand");
    backend_ = new backend::LocalBackend(dir_->path().string());
    BlockWriterOptions o;
    o.backend = backend_;
    o.tenant = "single-tenant";
    const Batch* b = batch_;
    auto meta = WriteBlock(o, std::span<const Batch* const>(&b, 1));
    ASSERT_TRUE(meta.ok()) << meta.status().message();
    auto r = BlockReader::Open(backend_, "single-tenant", meta->block_id);
    ASSERT_TRUE(r.ok()) << r.status().message();
    reader_ = std::move(r).value().release();
    ASSERT_EQ(reader_->row_group_count(), 1u);
  }
  static void TearDownTestSuite() {
    delete reader_;
    delete backend_;
    delete dir_;
    delete batch_;
  }

  // The trace numbers (1-4) the filter keeps; stats in *stats.
  static std::vector<int> Traces(const TraceFilter& f, ScanStats* stats = nullptr) {
    auto got = ScanRowGroup(*reader_, 0, f, stats);
    EXPECT_TRUE(got.ok()) << got.status().message();
    std::vector<int> out;
    if (got.ok()) {
      for (uint32_t t : *got) out.push_back(static_cast<int>(t) + 1);  // traces are in ID order: T1..T4
    }
    return out;
  }
  static std::vector<int> Traces(SpansetFilter f) {
    TraceFilter tf;
    tf.spans = std::move(f);
    return Traces(tf);
  }

  static Batch* batch_;
  static TempDir* dir_;
  static backend::LocalBackend* backend_;
  static BlockReader* reader_;
};
Batch* HandScan::batch_;
TempDir* HandScan::dir_;
backend::LocalBackend* HandScan::backend_;
BlockReader* HandScan::reader_;

using V = std::vector<int>;

TEST_F(HandScan, SpanFields) {
  EXPECT_EQ(Traces(Spans({Name("query")})), (V{1, 2, 3}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kName, StrFn([](std::string_view s) { return s.starts_with("GE"); }))})),
            (V{1, 2, 4}));
  EXPECT_EQ(Traces(Spans({Service("backend"), Name("GET /")})), (V{2}));  // on the same span
  EXPECT_EQ(Traces(Spans({P(SpanField::kStatus, IntFn([](int64_t s) { return s == 2; }))})), (V{1}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kStatus, IntFn([](int64_t s) { return s == 1; }))})), (V{4}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kKind, IntFn([](int64_t k) { return k == 3; }))})), (V{1}));
  EXPECT_EQ(Traces(Spans({DurationOver(250 * kMs)})), (V{1, 3}));
  EXPECT_EQ(Traces(Spans({DurationOver(250 * kMs), Service("backend")})), (V{1}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kScopeName, StrEq("backend.lib"))})), (V{1, 2, 3}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kScopeVersion, StrEq("2.0"))})), (V{}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kStatusMessage, StrEq(""))})), (V{1, 2, 3, 4}));
}

TEST_F(HandScan, SpanAttributes) {
  auto code_500 = P(SpanField::kSpanAttribute, IntFn([](int64_t c) { return c >= 500; }), "http.response.status_code");
  EXPECT_EQ(Traces(Spans({code_500})), (V{1}));
  // No stored value passes: every span fails without a row mapped to its value.
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, IntFn([](int64_t c) { return c >= 600; }), "http.response.status_code")})),
            (V{}));
  ValueTest or_missing = IntFn([](int64_t c) { return c >= 600; });
  or_missing.missing = true;  // …unless spans without the key pass
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, or_missing, "http.response.status_code")})), (V{2, 3, 4}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, StrEq("gold"), "tier")})), (V{2, 3}));
  ValueTest not_gold = StrFn([](std::string_view s) { return s != "gold"; });
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, not_gold, "tier")})), (V{2}));
  not_gold.missing = true;  // spans without `tier` pass too
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, not_gold, "tier")})), (V{1, 2, 3, 4}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, IntFn([](int64_t v) { return v >= 3; }), "retries")})),
            (V{2}));
  ValueTest small;
  small.real = [](double d) { return d < 1; };
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, small, "ratio")})), (V{2}));
  ValueTest yes;
  yes.boolean = [](bool b) { return b; };
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, yes, "flag")})), (V{4}));
  // A string test meets an int: fails, unless other types count as maybe.
  ValueTest str_on_int = StrEq("3");
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, str_on_int, "retries")})), (V{}));
  str_on_int.other_types = true;
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, str_on_int, "retries")})), (V{2}));
  // Unscoped: the span's attribute, else its resource's.
  EXPECT_EQ(Traces(Spans({P(SpanField::kAttribute, StrEq("backend"), "service.name")})), (V{1, 2, 3}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kAttribute, StrEq("redis"), "db.system")})), (V{1}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, StrEq("backend"), "service.name")})), (V{}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kSpanAttribute, StrEq("x"), "no.such.key")})), (V{}));
}

TEST_F(HandScan, TraceFields) {
  EXPECT_EQ(Traces(Spans({P(SpanField::kTraceRootName, StrEq("batch"))})), (V{3}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kTraceRootService, StrEq("backend"))})), (V{2}));
  EXPECT_EQ(Traces(Spans({P(SpanField::kTraceDuration, IntFn([](int64_t d) { return d > static_cast<int64_t>(1500 * kMs); }))})), (V{3}));
  // A per-trace field and a per-span one in one filter: the span's trace has the root.
  EXPECT_EQ(Traces(Spans({P(SpanField::kTraceRootName, StrEq("GET /")), Name("query")})), (V{1, 2}));
}

TEST_F(HandScan, Structure) {
  EXPECT_EQ(Traces(Node2(K::kAnd, Spans({Service("frontend")}), Spans({Name("query")}))), (V{1, 3}));
  EXPECT_EQ(Traces(Node2(K::kUnion, Spans({Name("batch")}), Spans({P(SpanField::kStatus, IntFn([](int64_t s) {
                                                                return s == 2;
                                                              }))}))),
            (V{1, 3}));
  EXPECT_EQ(Traces(Node2(K::kIntersect, Spans({Name("query")}), Spans({Service("frontend")}))), (V{}));
  EXPECT_EQ(Traces(Rel(K::kChild, Spans({Name("GET /")}), Spans({Name("query")}))), (V{1, 2}));
  EXPECT_EQ(Traces(Rel(K::kDescendant, Spans({Name("batch")}), Spans({Name("query")}))), (V{3}));
  EXPECT_EQ(Traces(Rel(K::kDescendant, Spans({Name("query")}), Spans({Name("batch")}))), (V{}));
  EXPECT_EQ(Traces(Rel(K::kParent, Spans({Name("query")}), Spans({Name("step")}))), (V{3}));
  EXPECT_EQ(Traces(Rel(K::kParent, Spans({Name("step")}), Spans({Name("query")}))), (V{}));
  EXPECT_EQ(Traces(Rel(K::kAncestor, Spans({Name("query")}), Spans({Service("frontend")}))), (V{1, 3}));
  EXPECT_EQ(Traces(Rel(K::kSibling, Spans({Name("a")}), Spans({Name("b")}))), (V{4}));
  EXPECT_EQ(Traces(Rel(K::kSibling, Spans({Name("a")}), Spans({Name("a")}))), (V{}));  // not its own sibling
  // What a relation yields feeds the next node: `{batch} >> {step}` yields
  // step spans, and only with_lhs keeps the batch span too.
  auto batch_step = [](bool with_lhs) { return Rel(K::kDescendant, Spans({Name("batch")}), Spans({Name("step")}), with_lhs); };
  EXPECT_EQ(Traces(Node2(K::kIntersect, batch_step(false), Spans({Name("batch")}))), (V{}));
  EXPECT_EQ(Traces(Node2(K::kIntersect, batch_step(true), Spans({Name("batch")}))), (V{3}));
  SpansetFilter three = SpansetFilter::Node(K::kMinCount, {});
  three.children.push_back(Spans({}));
  three.count = 3;
  EXPECT_EQ(Traces(three), (V{3, 4}));
}

TEST_F(HandScan, ReadsOnlyWhatItNeeds) {
  ScanStats stats;
  TraceFilter f;
  f.spans = Spans({Name("no such name")});
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_EQ(stats.chunks_read, 1u);  // the dictionary: the name is not in it
  stats = {};
  f.spans = Spans({Name("query")});
  EXPECT_EQ(Traces(f, &stats), (V{1, 2, 3}));
  EXPECT_EQ(stats.chunks_read, 2u);  // dictionary and span.name
  stats = {};
  f.spans = Spans({});
  f.start_unix_nano = kT0 + 10'000 * kMs;  // after every trace
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_EQ(stats.chunks_read, 0u);
  EXPECT_EQ(stats.bytes_read, 0u);
  f.start_unix_nano = kT0 + 1500 * kMs;  // only T3 lasts that long
  f.spans = Spans({Name("query")});
  EXPECT_EQ(Traces(f), (V{3}));
  f.start_unix_nano = 0;
  f.end_unix_nano = kT0 - 1;
  EXPECT_EQ(Traces(f), (V{}));
}

TEST_F(HandScan, MalformedTreesAreRefused) {
  SpansetFilter rel = SpansetFilter::Node(K::kChild, {});
  rel.children.push_back(Spans({Name("a")}));
  TraceFilter f;
  f.spans = rel;
  auto r = ScanRowGroup(*reader_, 0, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "prefilter: a relation needs exactly two children");
  f.spans = SpansetFilter::Node(K::kMinCount, {});
  r = ScanRowGroup(*reader_, 0, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "prefilter: kMinCount needs exactly one child");
  r = ScanRowGroup(*reader_, 1, f);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), reader_->name() + ": no row group 1");
}

TEST_F(HandScan, ReadStoredChunksFetchesOnlyTheColumnsAsked) {
  auto page = reader_->ReadIndexPage(0);
  ASSERT_TRUE(page.ok());
  Column cols[] = {kSpanName, kDict};
  auto chunks = reader_->ReadStoredChunks(0, *page, cols);
  ASSERT_TRUE(chunks.ok()) << chunks.status().message();
  int present = 0;
  for (auto v : chunks->chunks) present += !v.empty();
  EXPECT_EQ(present, 2);
  auto names = chunks->Decode(kSpanName);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->size(), 10u);  // one one-byte code per row
  auto kinds = chunks->Decode(kSpanKind);
  ASSERT_TRUE(kinds.ok());
  EXPECT_EQ(*kinds, "");  // not asked for
}

// Search skips row groups too old to hold a result by what an earlier read of
// their index page said; a freshly opened reader knows nothing yet.
TEST_F(HandScan, CachedSummaryComesFromAPageRead) {
  auto fresh = BlockReader::Open(backend_, "single-tenant", reader_->meta().block_id);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  const BlockReader& r = **fresh;
  EXPECT_FALSE(r.CachedSummary(0).has_value());
  ASSERT_TRUE(r.ReadIndexPage(0).ok());
  auto seen = r.CachedSummary(0);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->rows, 10u);
  EXPECT_EQ(seen->latest_start_ms, kT0 / kMs);  // every trace's root starts at kT0
  EXPECT_FALSE(r.CachedSummary(1).has_value());  // no such row group
}

}  // namespace
}  // namespace rubato::store::block

namespace rubato::store::block {
namespace {

SpanPredicate DurationIn(SpanField field, int64_t lo, int64_t hi) {
  ValueTest t;
  t.integer_between = std::pair<int64_t, int64_t>{lo, hi};
  return P(field, std::move(t));
}
SpansetFilter AtLeast(uint32_t spans, SpansetFilter of) {
  SpansetFilter f = SpansetFilter::Node(K::kMinCount, {});
  f.children.push_back(std::move(of));
  f.count = spans;
  return f;
}
constexpr int64_t kMaxI = INT64_MAX;

// A span lasts at most its trace's range as the index has it, and a trace
// holds the spans the index counts: traces ruled out by those are dropped
// before any column is read. Trace ranges: T1 310 ms, T2 50, T3 2000, T4 20.
TEST_F(HandScan, IndexBoundsRuleTracesOutBeforeAnyRead) {
  ScanStats stats;
  TraceFilter f;
  f.spans = Spans({DurationIn(SpanField::kDuration, 2001 * kMs, kMaxI)});  // longer than any trace
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_EQ(stats.chunks_read, 0u);
  EXPECT_EQ(stats.bytes_read, 0u);
  f.spans = Spans({DurationIn(SpanField::kDuration, 250 * kMs + 1, kMaxI)});
  EXPECT_EQ(Traces(f), (V{1, 3}));
  f.spans = Spans({DurationIn(SpanField::kDuration, 311 * kMs, kMaxI)});  // T1's range is 310 ms
  EXPECT_EQ(Traces(f), (V{3}));
  stats = {};
  f.spans = Spans({DurationIn(SpanField::kTraceDuration, 2001 * kMs, kMaxI)});
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_EQ(stats.chunks_read, 0u);
  stats = {};
  f.spans = AtLeast(4, Spans({}));  // no trace has 4 spans
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_EQ(stats.bytes_read, 0u);
  // Under a union one side may hold where the other cannot; under `&&` not.
  f.spans = Node2(K::kUnion, Spans({DurationIn(SpanField::kDuration, 3000 * kMs, kMaxI)}), Spans({Name("a")}));
  EXPECT_EQ(Traces(f), (V{4}));
  stats = {};
  f.spans = Node2(K::kAnd, Spans({DurationIn(SpanField::kDuration, 3000 * kMs, kMaxI)}), Spans({Name("a")}));
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_EQ(stats.bytes_read, 0u);
  // A test only its function can answer is not bounded: the columns decide.
  stats = {};
  f.spans = Spans({DurationOver(3000 * kMs)});
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_GT(stats.chunks_read, 0u);
}

// The page's summary (kept once the page was read) answers for the whole row
// group, so search can skip it without reading it again.
TEST_F(HandScan, SummaryRulesRowGroupsOut) {
  auto fresh = BlockReader::Open(backend_, "single-tenant", reader_->meta().block_id);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  ASSERT_TRUE((*fresh)->ReadIndexPage(0).ok());
  auto seen = (*fresh)->CachedSummary(0);
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->longest_trace_ms, 2000u);
  EXPECT_FALSE(seen->some_trace_ends_first);
  EXPECT_EQ(seen->most_spans, 3u);
  struct Case {
    const char* what;
    SpansetFilter filter;
    bool may;
  } cases[] = {
      {"longer than the longest trace", Spans({DurationIn(SpanField::kDuration, 2001 * kMs, kMaxI)}), false},
      {"as long as the longest trace", Spans({DurationIn(SpanField::kDuration, 2000 * kMs, kMaxI)}), true},
      {"a trace longer than any", Spans({DurationIn(SpanField::kTraceDuration, 2001 * kMs, kMaxI)}), false},
      {"more spans than any trace", AtLeast(4, Spans({})), false},
      {"as many spans as the largest", AtLeast(3, Spans({})), true},
      {"a name: not the summary's to judge", Spans({Name("no such name")}), true},
      {"either side", Node2(K::kUnion, AtLeast(4, Spans({})), Spans({Name("a")})), true},
      {"both sides", Node2(K::kIntersect, AtLeast(4, Spans({})), Spans({Name("a")})), false},
      {"a relation needs both", Rel(K::kChild, Spans({Name("a")}), AtLeast(9, Spans({}))), false},
  };
  for (const Case& c : cases) {
    TraceFilter f;
    f.spans = c.filter;
    EXPECT_EQ(MayMatchRowGroup(f, *seen), c.may) << c.what;
  }
}

// A string the row group's dictionary lacks passes no value and no span
// without the key: the dictionary alone answers, no attribute column is read.
TEST_F(HandScan, AStringTheDictionaryLacksReadsOnlyTheDictionary) {
  for (SpanField field : {SpanField::kSpanAttribute, SpanField::kAttribute, SpanField::kResourceAttribute}) {
    ScanStats stats;
    TraceFilter f;
    f.spans = Spans({Service("frontend"), P(field, StrEq("platinum"), "tier")});
    EXPECT_EQ(Traces(f, &stats), (V{}));
    EXPECT_EQ(stats.chunks_read, 1u) << static_cast<int>(field);  // the dictionary
  }
  // When values of other types may pass, or spans without the key, the
  // dictionary cannot answer alone.
  ScanStats stats;
  TraceFilter f;
  ValueTest t = StrEq("platinum");
  t.missing = true;
  f.spans = Spans({P(SpanField::kSpanAttribute, t, "tier")});
  EXPECT_EQ(Traces(f, &stats), (V{1, 3, 4}));  // the traces with a span without `tier`
  EXPECT_GT(stats.chunks_read, 1u);
  // A UUID-shaped string is kept as 16 bytes, outside the dictionary: read.
  stats = {};
  f.spans = Spans({P(SpanField::kSpanAttribute, StrEq("123e4567-e89b-12d3-a456-426614174000"), "tier")});
  EXPECT_EQ(Traces(f, &stats), (V{}));
  EXPECT_GT(stats.chunks_read, 1u);
}

}  // namespace
}  // namespace rubato::store::block
