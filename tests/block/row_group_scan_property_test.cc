// The search prefilter against a plain evaluation of decoded spans
// (row_group_scan_reference.h): on the standard workload the candidates of
// every filter below are exactly the traces that match; with the hand and
// edge-case batches mixed in (every value kind, odd parents and times) no
// matching trace is ever missed. ReadTraces gives the same spans as
// ReadRowGroup; a corrupt chunk is an error naming block, row group and column.
#include <gtest/gtest.h>

#include <filesystem>
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

using model::Batch;
using K = SpansetFilter::Kind;
using testing_support::TempDir;

constexpr int64_t kMs = 1'000'000;

SpanPredicate P(SpanField f, ValueTest t, std::string key = "") { return SpanPredicate{f, std::move(key), std::move(t)}; }
ValueTest StrEq(std::string s) {
  ValueTest t;
  t.string_equals = std::move(s);
  return t;
}
ValueTest Str(std::function<bool(std::string_view)> f) {
  ValueTest t;
  t.string = std::move(f);
  return t;
}
ValueTest Int(std::function<bool(int64_t)> f) {
  ValueTest t;
  t.integer = std::move(f);
  return t;
}
ValueTest Num(double lo) {  // > lo, for ints and doubles
  ValueTest t;
  t.integer = [lo](int64_t v) { return static_cast<double>(v) > lo; };
  t.real = [lo](double v) { return v > lo; };
  return t;
}
SpansetFilter Spans(std::vector<SpanPredicate> ps) { return SpansetFilter::Spans(std::move(ps)); }
SpansetFilter Two(K k, SpansetFilter a, SpansetFilter b, bool with_lhs = false) {
  std::vector<SpansetFilter> kids;
  kids.push_back(std::move(a));
  kids.push_back(std::move(b));
  SpansetFilter f = SpansetFilter::Node(k, std::move(kids));
  f.with_lhs = with_lhs;
  return f;
}
SpanPredicate Name(std::string s) { return P(SpanField::kName, StrEq(std::move(s))); }
SpanPredicate Service(std::string s) { return P(SpanField::kResourceAttribute, StrEq(std::move(s)), "service.name"); }

struct Case {
  std::string what;
  SpansetFilter filter;
};

// Filters over the standard workload's names, services and attributes
// (src/workload/tables.h), one or more per field and node kind.
std::vector<Case> WorkloadCases() {
  std::vector<Case> c;
  auto add = [&](std::string what, SpansetFilter f) { c.push_back({std::move(what), std::move(f)}); };
  add("name", Spans({Name("slow_lookup")}));
  add("name regex", Spans({P(SpanField::kName, Str([](std::string_view s) { return s.starts_with("POST /c"); }))}));
  add("absent name", Spans({Name("no_such_span")}));
  add("service and demand", Spans({Service("inventory-service"), P(SpanField::kSpanAttribute, StrEq("high"), "inventory.demand")}));
  add("duration", Spans({P(SpanField::kDuration, Int([](int64_t d) { return d > 250 * kMs; }))}));
  add("short duration", Spans({P(SpanField::kDuration, Int([](int64_t d) { return d < 5 * kMs; }))}));
  add("status code", Spans({P(SpanField::kSpanAttribute, Num(499.5), "http.response.status_code")}));
  add("status error", Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 2; }))}));
  add("kind client", Spans({P(SpanField::kKind, Int([](int64_t k) { return k == 3; }))}));
  add("error message", Spans({P(SpanField::kStatusMessage, StrEq("forecast lookup timed out"))}));
  add("scope", Spans({P(SpanField::kScopeName, StrEq("payment_service.main"))}));
  add("scope version", Spans({P(SpanField::kScopeVersion, Str([](std::string_view v) { return v < "1.0"; }))}));
  add("amount", Spans({P(SpanField::kSpanAttribute, Num(500), "payment.amount")}));
  add("quantity", Spans({P(SpanField::kSpanAttribute, Int([](int64_t q) { return q >= 6; }), "order.quantity")}));
  add("route", Spans({P(SpanField::kSpanAttribute, StrEq("/stock/{item}/reserve"), "http.route")}));
  add("port", Spans({P(SpanField::kSpanAttribute, Int([](int64_t p) { return p == 8003; }), "server.port")}));
  ValueTest not_pg = Str([](std::string_view s) { return s != "postgresql"; });
  not_pg.missing = true;
  add("db.system != or missing", Spans({P(SpanField::kSpanAttribute, not_pg, "db.system"), Name("process_order")}));
  add("unscoped service", Spans({P(SpanField::kAttribute, StrEq("payment-service"), "service.name")}));
  add("unscoped db", Spans({P(SpanField::kAttribute, StrEq("redis"), "db.system")}));
  add("uuid prefix", Spans({P(SpanField::kSpanAttribute, Str([](std::string_view s) { return s.starts_with("0"); }), "app.order.id")}));
  add("root name", Spans({P(SpanField::kTraceRootName, StrEq("POST /orders")), Name("slow_lookup")}));
  add("root service", Spans({P(SpanField::kTraceRootService, StrEq("order-service")), Name("slow_lookup")}));
  add("trace duration", Spans({P(SpanField::kTraceDuration, Int([](int64_t d) { return d > 400 * kMs; }))}));
  add("and", Two(K::kAnd, Spans({Name("process_order")}), Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 2; }))})));
  add("union", Two(K::kUnion, Spans({Name("slow_lookup")}), Spans({P(SpanField::kDuration, Int([](int64_t d) { return d > 300 * kMs; }))})));
  add("descendant", Two(K::kDescendant, Spans({Service("order-service")}), Spans({Name("slow_lookup")})));
  add("descendant of error", Two(K::kDescendant, Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 2; }))}), Spans({Service("payment-service")})));
  add("child", Two(K::kChild, Spans({Name("reserve_inventory")}), Spans({Name("POST /stock/{item}/reserve")})));
  add("child, high demand", Two(K::kChild, Spans({Name("reserve_stock")}), Spans({P(SpanField::kSpanAttribute, StrEq("high"), "inventory.demand")}), true));
  add("parent", Two(K::kParent, Spans({Name("slow_lookup")}), Spans({Name("reserve_stock")})));
  add("ancestor", Two(K::kAncestor, Spans({P(SpanField::kDuration, Int([](int64_t d) { return d > 250 * kMs; }))}), Spans({Name("process_order")}), true));
  add("sibling", Two(K::kSibling, Spans({Name("check_inventory")}), Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 2; }))})));
  SpansetFilter many = SpansetFilter::Node(K::kMinCount, {});
  many.children.push_back(Spans({}));
  many.count = 20;
  add("count > 20", std::move(many));
  SpansetFilter errors = SpansetFilter::Node(K::kMinCount, {});
  errors.children.push_back(Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 2; }))}));
  errors.count = 2;
  add("two errors", std::move(errors));
  add("nested", Two(K::kIntersect, Two(K::kDescendant, Spans({Name("POST /orders")}), Spans({Service("inventory-service")})),
                    Spans({P(SpanField::kSpanAttribute, Int([](int64_t q) { return q > 8; }), "order.quantity")})));
  return c;
}

// One block per fixture; row groups of 4,000 spans.
class ScanProperty : public ::testing::Test {
 protected:
  struct Written {
    std::vector<std::unique_ptr<Batch>> batches;
    std::unique_ptr<TempDir> dir;
    std::unique_ptr<backend::LocalBackend> backend;
    std::unique_ptr<BlockReader> reader;
  };
  static std::unique_ptr<Written> Write(const std::string& name, bool odd_batches) {
    auto w = std::make_unique<Written>();
    workload::Generator gen(workload::Options{});
    for (int i = 0; i < 20; ++i) {
      w->batches.push_back(std::make_unique<Batch>());
      gen.Next(w->batches.back().get());
    }
    if (odd_batches) {
      w->batches.push_back(std::make_unique<Batch>(testing_support::HandBatch()));
      w->batches.push_back(std::make_unique<Batch>(testing_support::EdgeCaseBatch()));
    }
    w->dir = std::make_unique<TempDir>(name);
    w->backend = std::make_unique<backend::LocalBackend>(w->dir->path().string());
    BlockWriterOptions o;
    o.backend = w->backend.get();
    o.tenant = "single-tenant";
    o.row_group_spans = 4000;
    std::vector<const Batch*> ptrs;
    for (auto& b : w->batches) ptrs.push_back(b.get());
    auto meta = WriteBlock(o, ptrs);
    EXPECT_TRUE(meta.ok()) << meta.status().message();
    auto r = BlockReader::Open(w->backend.get(), "single-tenant", meta->block_id);
    EXPECT_TRUE(r.ok()) << r.status().message();
    w->reader = std::move(r).value();
    return w;
  }
  static void SetUpTestSuite() {
    workload_ = Write("scan_workload", false).release();
    mixed_ = Write("scan_mixed", true).release();
  }
  static void TearDownTestSuite() {
    delete workload_;
    delete mixed_;
  }
  static Written* workload_;
  static Written* mixed_;
};
ScanProperty::Written* ScanProperty::workload_;
ScanProperty::Written* ScanProperty::mixed_;

TEST_F(ScanProperty, WorkloadCandidatesAreExactlyTheMatches) {
  const BlockReader& reader = *workload_->reader;
  ASSERT_GE(reader.row_group_count(), 5u);
  for (const Case& c : WorkloadCases()) {
    size_t matches = 0, traces = 0;
    for (uint32_t g = 0; g < reader.row_group_count(); ++g) {
      auto rg = reader.ReadRowGroup(g);
      ASSERT_TRUE(rg.ok()) << rg.status().message();
      TraceFilter f;
      f.spans = c.filter;
      auto got = ScanRowGroup(reader, g, f);
      ASSERT_TRUE(got.ok()) << c.what << ": " << got.status().message();
      auto want = testing_support::RefCandidates(*rg, c.filter);
      EXPECT_EQ(*got, want) << c.what << ", row group " << g;
      matches += want.size();
      traces += rg->traces.size();
    }
    std::printf("%-24s %5zu of %zu traces\n", c.what.c_str(), matches, traces);
    // Every filter selects something but not everything (the absent name: nothing).
    if (c.what == "absent name") {
      EXPECT_EQ(matches, 0u);
    } else {
      EXPECT_GT(matches, 0u) << c.what;
      EXPECT_LT(matches, traces) << c.what;
    }
  }
}

TEST_F(ScanProperty, OddValuesAndTimesNeverLoseAMatch) {
  const BlockReader& reader = *mixed_->reader;
  std::vector<Case> cases = WorkloadCases();
  // Fields of the hand and edge-case batches: every value kind, negative durations, odd kinds.
  cases.push_back({"hand string", Spans({P(SpanField::kSpanAttribute, StrEq("hello"), "s")})});
  cases.push_back({"hand int", Spans({P(SpanField::kSpanAttribute, Int([](int64_t v) { return v < 0; }), "i")})});
  cases.push_back({"hand double", Spans({P(SpanField::kSpanAttribute, Num(1e300), "d")})});
  cases.push_back({"hand bytes", Spans({P(SpanField::kSpanAttribute, StrEq("x"), "bytes")})});
  cases.push_back({"hand nested", Spans({P(SpanField::kSpanAttribute, StrEq("deep"), "nested")})});
  cases.push_back({"negative duration", Spans({P(SpanField::kDuration, Int([](int64_t d) { return d > 1; }))})});
  cases.push_back({"odd kind", Spans({P(SpanField::kKind, Int([](int64_t k) { return k == 42; }))})});
  cases.push_back({"status 9", Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 9; }))})});
  cases.push_back({"hand service", Spans({Service("hand"), Name("child")})});
  cases.push_back({"status message", Spans({P(SpanField::kStatusMessage, StrEq("it broke"))})});
  ValueTest any_string = Str([](std::string_view) { return true; });
  for (const char* key : {"http.response.status_code", "http.request.method", "server.port", "url.path"}) {
    cases.push_back({std::string("any string ") + key, Spans({P(SpanField::kSpanAttribute, any_string, key)})});
  }
  size_t found = 0;
  for (const Case& c : cases) {
    for (uint32_t g = 0; g < reader.row_group_count(); ++g) {
      auto rg = reader.ReadRowGroup(g);
      ASSERT_TRUE(rg.ok()) << rg.status().message();
      TraceFilter f;
      f.spans = c.filter;
      auto got = ScanRowGroup(reader, g, f);
      ASSERT_TRUE(got.ok()) << c.what << ": " << got.status().message();
      for (uint32_t t : testing_support::RefCandidates(*rg, c.filter)) {
        ++found;
        EXPECT_TRUE(std::binary_search(got->begin(), got->end(), t))
            << c.what << ": row group " << g << " trace " << rg->traces[t].id.ToHex() << " missed";
      }
    }
  }
  EXPECT_GT(found, 1000u);
}

TEST_F(ScanProperty, ReadTracesDecodesTheChosenTraces) {
  const BlockReader& reader = *workload_->reader;
  TraceFilter f;
  f.spans = Spans({Name("slow_lookup")});
  for (uint32_t g = 0; g < reader.row_group_count(); ++g) {
    auto whole = reader.ReadRowGroup(g);
    ASSERT_TRUE(whole.ok());
    auto page = reader.ReadIndexPage(g);
    ASSERT_TRUE(page.ok());
    auto chosen = ScanRowGroup(reader, g, *page, f);
    ASSERT_TRUE(chosen.ok());
    std::vector<uint32_t> every(page->traces.size()), some;
    for (uint32_t t = 0; t < every.size(); ++t) every[t] = t;
    for (uint32_t t = 0; t < every.size(); t += 7) some.push_back(t);  // far apart: several runs
    for (const std::vector<uint32_t>* pick : {&*chosen, &every, &some}) {
      auto got = reader.ReadTraces(g, *page, *pick);
      ASSERT_TRUE(got.ok()) << got.status().message();
      ASSERT_EQ(got->traces.size(), pick->size());
      for (size_t i = 0; i < pick->size(); ++i) {
        const TraceEntry& want = whole->traces[(*pick)[i]];
        const TraceEntry& have = got->traces[i];
        EXPECT_EQ(have.id, want.id);
        EXPECT_EQ(have.span_count, want.span_count);
        EXPECT_EQ(have.start, want.start);
        EXPECT_EQ(have.end, want.end);
        Batch a, b;
        std::vector<SpanRef> ra, rb;
        for (uint32_t r = 0; r < want.span_count; ++r) {
          ra.push_back({&whole->batch, want.first_row + r});
          rb.push_back({&got->batch, have.first_row + r});
        }
        testing_support::AppendCanonical(ra, &a);
        testing_support::AppendCanonical(rb, &b);
        ASSERT_EQ(model::DescribeDifference(a, b), "") << "trace " << want.id.ToHex();
      }
    }
    // Two traces far apart: two runs of rows, nothing decoded in between.
    std::vector<uint32_t> ends = {0, static_cast<uint32_t>(page->traces.size() - 1)};
    auto two = reader.ReadTraces(g, *page, ends);
    ASSERT_TRUE(two.ok());
    EXPECT_EQ(two->batch.spans.size(), page->traces.front().span_count + page->traces.back().span_count);
  }
  auto none = reader.ReadTraces(0, std::vector<uint32_t>{});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->batch.spans.empty());
  auto bad = reader.ReadTraces(0, std::vector<uint32_t>{3, 2});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(ScanCorruption, ACorruptChunkIsAnErrorNamingIt) {
  TempDir dir("scan_corrupt");
  backend::LocalBackend be(dir.path().string());
  Batch batch;
  workload::Generator gen(workload::Options{});
  gen.Next(&batch);
  BlockWriterOptions o;
  o.backend = &be;
  o.tenant = "single-tenant";
  const Batch* ptr = &batch;
  auto meta = WriteBlock(o, std::span<const Batch* const>(&ptr, 1));
  ASSERT_TRUE(meta.ok());
  uint64_t at = 0;
  {
    auto reader = BlockReader::Open(&be, "single-tenant", meta->block_id);
    ASSERT_TRUE(reader.ok());
    auto page = (*reader)->ReadIndexPage(0);
    ASSERT_TRUE(page.ok());
    for (const ChunkRef& c : page->chunks) {
      if (c.column == kSpanName) at = c.offset + c.length / 2;
    }
  }
  ASSERT_NE(at, 0u);
  std::filesystem::path data = dir.path() / "single-tenant" / meta->block_id / "data";
  std::fstream f(data, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  char byte = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(byte ^ 0x40));
  f.close();
  auto reader = BlockReader::Open(&be, "single-tenant", meta->block_id);
  ASSERT_TRUE(reader.ok());
  TraceFilter filter;
  filter.spans = Spans({Name("slow_lookup")});
  auto got = ScanRowGroup(**reader, 0, filter);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInternal);
  EXPECT_EQ(got.status().message(), "block single-tenant/" + meta->block_id +
                                        ", row group 0: column span.name: checksum mismatch (corrupt chunk)");
  // A filter that does not read span.name does not notice.
  filter.spans = Spans({P(SpanField::kStatus, Int([](int64_t s) { return s == 2; }))});
  EXPECT_TRUE(ScanRowGroup(**reader, 0, filter).ok());
}

}  // namespace
}  // namespace rubato::store::block
