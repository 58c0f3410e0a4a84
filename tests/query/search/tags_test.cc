// Tag names and values (src/query/search/tags.cc) over a real TraceDb:
// scopes, intrinsics, time ranges, the head, restriction by a query, and the
// per-block catalog cache (built once, merged for compaction outputs).
#include "query/search/tags.h"

#include <gtest/gtest.h>

#include "tests/query/search/search_fixture.h"

namespace rubato::query::search {
namespace {

using testing::kSecond;
using testing::kT0;

using Strings = std::vector<std::string>;

class TagsTest : public testing::SearchDataset {
 protected:
  TagNamesAnswer Names(std::string_view q = "", uint64_t start = 0, uint64_t end = 0) {
    TagQuery tq = Query(q, start, end);
    auto r = SearchTagNames(db_->TakeSearchSnapshot("t"), &cache_, "t", tq);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : TagNamesAnswer{};
  }
  // "type:value" for each value, in answer order.
  Strings Values(std::string_view name, std::string_view q = "", uint64_t start = 0, uint64_t end = 0,
                 bool v1 = false) {
    auto parsed = v1 ? ParseTagNameV1(name) : ParseTagNameV2(name);
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    auto r = SearchTagValues(db_->TakeSearchSnapshot("t"), &cache_, "t", *parsed, Query(q, start, end));
    EXPECT_TRUE(r.ok()) << r.status().message();
    Strings out;
    if (r.ok()) {
      for (const TagValue& v : r->values) out.push_back(std::string(Name(v.type)) + ":" + v.text);
    }
    return out;
  }
  TagQuery Query(std::string_view q, uint64_t start, uint64_t end) {
    TagQuery tq;
    tq.start_unix_nano = start;
    tq.end_unix_nano = end;
    tq.limit = limit_;
    if (!q.empty()) {
      auto plan = traceql::Plan::Compile(q);
      EXPECT_TRUE(plan.ok()) << plan.status().message();
      plan_ = std::move(*plan);
      tq.query = plan_.get();
    }
    return tq;
  }
  static const Strings& Scope(const TagNamesAnswer& a, TagScope s) { return a.scopes[static_cast<size_t>(s)]; }

  CatalogCache cache_;
  std::unique_ptr<traceql::Plan> plan_;
  uint32_t limit_ = 0;
};

TEST_F(TagsTest, NamesByScopeIncludingTheHead) {
  TagNamesAnswer a = Names();
  EXPECT_EQ(Scope(a, TagScope::kSpan), (Strings{"http.method", "http.status_code", "item", "messaging.system"}));
  EXPECT_EQ(Scope(a, TagScope::kResource), (Strings{"service.name"}));
  EXPECT_TRUE(Scope(a, TagScope::kEvent).empty());
  EXPECT_EQ(Scope(a, TagScope::kIntrinsic), IntrinsicTagNames());
  EXPECT_EQ(IntrinsicTagNames().front(), "duration");
  EXPECT_EQ(IntrinsicTagNames().size(), 20u);
  EXPECT_FALSE(a.partial);
}

TEST_F(TagsTest, NamesInATimeRange) {
  // Up to 250 s: no head (messaging.system is only there), block 3 (item) in.
  TagNamesAnswer a = Names("", 0, kT0 + 250 * kSecond);
  EXPECT_EQ(Scope(a, TagScope::kSpan), (Strings{"http.method", "http.status_code", "item"}));
  // Block 2 only: no batch items.
  a = Names("", kT0 + 90 * kSecond, kT0 + 150 * kSecond);
  EXPECT_EQ(Scope(a, TagScope::kSpan), (Strings{"http.method", "http.status_code"}));
}

TEST_F(TagsTest, NamesOfSpansAQueryMatches) {
  TagNamesAnswer a = Names("{ name = \"send-email\" }");
  EXPECT_EQ(Scope(a, TagScope::kSpan), (Strings{"messaging.system"}));
  EXPECT_EQ(Scope(a, TagScope::kResource), (Strings{"service.name"}));
}

TEST_F(TagsTest, ValuesOfScopedAndUnscopedAttributes) {
  Strings services = {"string:inventory-service", "string:notification-service", "string:order-service",
                      "string:payment-service"};
  EXPECT_EQ(Values("resource.service.name"), services);
  EXPECT_EQ(Values(".service.name"), services);
  EXPECT_EQ(Values("service.name", "", 0, 0, /*v1=*/true), services);
  EXPECT_TRUE(Values("span.service.name").empty());
  EXPECT_EQ(Values("span.http.status_code"), (Strings{"int:200", "int:201", "int:500", "int:502"}));
  EXPECT_EQ(Values("span.item"), (Strings{"int:2", "int:3", "int:4", "int:5", "int:6"}));
  EXPECT_EQ(Values("span.messaging.system"), (Strings{"string:kafka"}));  // in the head only
}

TEST_F(TagsTest, ValuesOfIntrinsics) {
  Strings names = {"string:GET /stock",   "string:POST /charge",   "string:POST /orders",
                   "string:batch-item",   "string:nightly-batch",  "string:send-email"};
  EXPECT_EQ(Values("name"), names);
  EXPECT_EQ(Values("span:name"), names);
  EXPECT_EQ(Values("status"), (Strings{"keyword:error", "keyword:ok", "keyword:unset"}));
  EXPECT_EQ(Values("span:kind"), (Strings{"keyword:consumer", "keyword:internal", "keyword:server"}));
  EXPECT_EQ(Values("trace:rootService"), (Strings{"string:order-service"}));
  EXPECT_EQ(Values("rootName"), (Strings{"string:POST /orders", "string:nightly-batch"}));
  EXPECT_EQ(Values("instrumentation:name"), (Strings{"string:demo-lib"}));
  EXPECT_TRUE(Values("duration").empty());
  EXPECT_TRUE(Values("trace:duration").empty());
  EXPECT_EQ(Values("error", "", 0, 0, /*v1=*/true), (Strings{"bool:true"}));
  EXPECT_EQ(Values("status.code", "", 0, 0, /*v1=*/true), (Strings{"keyword:error", "keyword:ok", "keyword:unset"}));
}

TEST_F(TagsTest, ValuesInATimeRangeAndWithLimit) {
  EXPECT_EQ(Values("resource.service.name", "", kT0 + 90 * kSecond, kT0 + 150 * kSecond),
            (Strings{"string:inventory-service", "string:order-service", "string:payment-service"}));
  // Only the head: span-level, so t8's notification is in, block 3 is out.
  EXPECT_EQ(Values("name", "", kT0 + 305 * kSecond, 0),
            (Strings{"string:GET /stock", "string:POST /charge", "string:POST /orders", "string:send-email"}));
  limit_ = 2;
  EXPECT_EQ(Values("resource.service.name"), (Strings{"string:inventory-service", "string:notification-service"}));
}

TEST_F(TagsTest, ValuesOfSpansAQueryMatches) {
  const char* q = "{ resource.service.name = \"payment-service\" && span.http.status_code = 500 }";
  EXPECT_EQ(Values("span.http.method", q), (Strings{"string:POST"}));
  EXPECT_EQ(Values("resource.service.name", q), (Strings{"string:payment-service"}));
  EXPECT_EQ(Values("status", q), (Strings{"keyword:error"}));
  EXPECT_EQ(Values("span.http.status_code", "{ kind = server }", kT0 + 90 * kSecond, kT0 + 150 * kSecond),
            (Strings{"int:200", "int:201", "int:500", "int:502"}));
  EXPECT_EQ(Values("span.http.status_code", "{ kind = server && status = error }"), (Strings{"int:500"}));
}

TEST_F(TagsTest, CatalogsAreBuiltOncePerBlockAndMergedForCompactionOutputs) {
  Values("name");
  EXPECT_EQ(cache_.stats().built_by_decoding, 3u);
  Values("span.http.method");
  EXPECT_EQ(cache_.stats().built_by_decoding, 3u);
  EXPECT_EQ(cache_.stats().hits, 3u);
  bool did = false;
  ASSERT_TRUE(db_->CompactOnce(&did).ok());
  ASSERT_TRUE(did);
  EXPECT_EQ(Values("span.item"), (Strings{"int:2", "int:3", "int:4", "int:5", "int:6"}));
  EXPECT_EQ(cache_.stats().built_by_merging, 1u);
  EXPECT_EQ(cache_.stats().built_by_decoding, 3u);
  EXPECT_EQ(cache_.stats().cached, 1u);  // the inputs' catalogs are gone with them
}

TEST_F(TagsTest, CatalogBoundsMarkTruncation) {
  TagCatalog c(CatalogLimits{2, 64 << 10, 10000});
  EXPECT_TRUE(c.Add(TagScope::kSpan, "k", {TagValueType::kString, "a"}));
  EXPECT_TRUE(c.Add(TagScope::kSpan, "k", {TagValueType::kString, "b"}));
  EXPECT_TRUE(c.Add(TagScope::kSpan, "k", {TagValueType::kString, "a"}));  // already there
  EXPECT_FALSE(c.Add(TagScope::kSpan, "k", {TagValueType::kString, "c"}));
  EXPECT_TRUE(c.Find(TagScope::kSpan, "k")->truncated);
  EXPECT_EQ(c.Find(TagScope::kSpan, "k")->values.size(), 2u);
  TagCatalog bytes(CatalogLimits{1000, 4, 10000});
  EXPECT_TRUE(bytes.Add(TagScope::kSpan, "k", {TagValueType::kString, "abc"}));
  EXPECT_FALSE(bytes.Add(TagScope::kSpan, "k", {TagValueType::kString, "de"}));
  c.TrimTruncated(1);
  EXPECT_EQ(c.Find(TagScope::kSpan, "k")->values.size(), 1u);
  EXPECT_EQ(c.Find(TagScope::kSpan, "k")->values.begin()->text, "a");
  TagCatalog keys(CatalogLimits{1000, 64 << 10, 1});
  keys.AddKey(TagScope::kResource, "a");
  keys.AddKey(TagScope::kResource, "b");
  EXPECT_TRUE(keys.keys_truncated(TagScope::kResource));
  EXPECT_EQ(keys.scope(TagScope::kResource).size(), 1u);
}

TEST(TagNameTest, ParsesScopedUnscopedQuotedAndIntrinsicNames) {
  struct Case {
    const char* text;
    TagName::Kind kind;
    std::optional<TagScope> scope;
    const char* key;
  };
  const Case cases[] = {
      {"span.http.method", TagName::Kind::kAttribute, TagScope::kSpan, "http.method"},
      {"resource.service.name", TagName::Kind::kAttribute, TagScope::kResource, "service.name"},
      {".service.name", TagName::Kind::kAttribute, std::nullopt, "service.name"},
      {"span.\"a b\"", TagName::Kind::kAttribute, TagScope::kSpan, "a b"},
      {"event.exception.type", TagName::Kind::kAttribute, TagScope::kEvent, "exception.type"},
      {"link.x", TagName::Kind::kAttribute, TagScope::kLink, "x"},
      {"instrumentation.lib", TagName::Kind::kAttribute, TagScope::kInstrumentation, "lib"},
      {"service.name", TagName::Kind::kAttribute, std::nullopt, "service.name"},
      {"name", TagName::Kind::kIntrinsic, TagScope::kIntrinsic, "name"},
      {"span:status", TagName::Kind::kIntrinsic, TagScope::kIntrinsic, "status"},
      {"trace:rootService", TagName::Kind::kIntrinsic, TagScope::kIntrinsic, "rootServiceName"},
      {"event:name", TagName::Kind::kIntrinsic, TagScope::kIntrinsic, "event:name"},
      {"span:duration", TagName::Kind::kNoValues, TagScope::kIntrinsic, ""},
  };
  for (const Case& c : cases) {
    auto t = ParseTagNameV2(c.text);
    ASSERT_TRUE(t.ok()) << c.text << ": " << t.status().message();
    EXPECT_EQ(t->kind, c.kind) << c.text;
    EXPECT_EQ(t->scope, c.scope) << c.text;
    EXPECT_EQ(t->key, c.key) << c.text;
  }
  EXPECT_EQ(ParseTagNameV2("span:foo").status().message(), "unknown intrinsic 'span:foo'");
  EXPECT_EQ(ParseTagNameV2("").status().message(), "tag name is empty");
  EXPECT_EQ(ParseTagNameV2("span.").status().message(), "tag name 'span.' has no attribute name");
  EXPECT_EQ(ParseTagNameV2("span.\"a").status().message(), "tag name 'span.\"a' has an unterminated or misplaced quote");
  EXPECT_EQ(ParseTagNameV1("root.service.name")->key, "rootServiceName");
  EXPECT_EQ(ParseTagNameV1("error")->kind, TagName::Kind::kErrorFlag);
  EXPECT_EQ(ParseTagNameV1("http.method")->scope, std::nullopt);
}

}  // namespace
}  // namespace rubato::query::search
