#include "api/search_api.h"

#include "api/client_watch.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "otlp/json_writer.h"
#include "query/search/go_duration.h"
#include "query/search/legacy_query.h"
#include "query/search/search.h"
#include "query/search/search_json.h"
#include "query/search/tags.h"
#include "query/traceql/plan.h"

namespace rubato::api {
namespace {

namespace search = query::search;
namespace traceql = query::traceql;

constexpr std::string_view kTagsV1 = "/api/search/tags";
constexpr std::string_view kTagsV2 = "/api/v2/search/tags";
constexpr std::string_view kValuesV1 = "/api/search/tag/";
constexpr std::string_view kValuesV2 = "/api/v2/search/tag/";
constexpr std::string_view kValuesSuffix = "/values";

void Text(net::HttpResponse& resp, unsigned status, std::string body) {
  resp.status = status;
  resp.content_type = "text/plain; charset=utf-8";
  resp.body = std::move(body) + "\n";
}

void Fail(net::HttpResponse& resp, const Status& s) {
  unsigned code = 500;
  switch (s.code()) {
    case StatusCode::kInvalidArgument: code = 400; break;
    case StatusCode::kResourceExhausted: code = 503; break;
    case StatusCode::kUnavailable: code = s.message() == "search timed out" ? 504 : 503; break;
    default: break;
  }
  Text(resp, code, s.message());
}

const std::string* Find(const std::vector<std::pair<std::string, std::string>>& p, std::string_view name) {
  for (const auto& [k, v] : p) {
    if (k == name) return &v;
  }
  return nullptr;
}

std::string Get(const std::vector<std::pair<std::string, std::string>>& p, std::string_view name) {
  const std::string* v = Find(p, name);
  return v ? *v : std::string();
}

// An optional non-negative integer parameter; `fallback` when absent or empty.
Result<uint64_t> UintParam(const std::vector<std::pair<std::string, std::string>>& p, std::string_view name,
                           uint64_t fallback, std::string_view want) {
  const std::string* v = Find(p, name);
  if (!v || v->empty()) return fallback;
  uint64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    return Status::InvalidArgument("invalid " + std::string(name) + " '" + *v + "': want " + std::string(want));
  }
  return out;
}

// start/end in Unix seconds → ns; end covers its whole second. 0: unbounded.
Status TimeRange(const std::vector<std::pair<std::string, std::string>>& p, uint64_t* start, uint64_t* end) {
  auto s = UintParam(p, "start", 0, "Unix seconds");
  if (!s.ok()) return s.status();
  auto e = UintParam(p, "end", 0, "Unix seconds");
  if (!e.ok()) return e.status();
  if (*s > UINT64_MAX / 1000000000ULL - 1 || *e > UINT64_MAX / 1000000000ULL - 1) {
    return Status::InvalidArgument("start or end is out of range");
  }
  if (*s && *e && *s > *e) {
    return Status::InvalidArgument("start (" + std::to_string(*s) + ") is after end (" + std::to_string(*e) + ")");
  }
  *start = *s * 1000000000ULL;
  *end = *e ? *e * 1000000000ULL + 999999999ULL : 0;
  return Status::Ok();
}

Result<uint64_t> DurationParam(const std::vector<std::pair<std::string, std::string>>& p, std::string_view name) {
  const std::string* v = Find(p, name);
  if (!v || v->empty()) return uint64_t{0};
  auto d = search::ParseGoDuration(*v);
  if (!d.ok()) return Status::InvalidArgument(std::string(name) + ": " + d.status().message());
  return d;
}

// `{ }`, `{}`: every span, which a catalog answers without a scan.
bool MatchesEverything(const traceql::Plan& plan) {
  const traceql::Query& q = plan.query();
  if (!q.pipeline || q.pipeline->stages.size() != 1) return false;
  const traceql::Stage& st = q.pipeline->stages[0];
  return st.kind == traceql::Stage::Kind::kSpanset && st.spanset &&
         st.spanset->kind == traceql::SpansetExpr::Kind::kFilter && !st.spanset->filter && !st.spanset->negated;
}

Result<std::optional<search::TagScope>> ScopeParam(const std::vector<std::pair<std::string, std::string>>& p) {
  std::string s = Get(p, "scope");
  if (s.empty() || s == "none" || s == "all") return std::optional<search::TagScope>();
  for (size_t i = 0; i < search::kTagScopeCount; ++i) {
    auto scope = static_cast<search::TagScope>(i);
    if (s == search::Name(scope)) return std::optional<search::TagScope>(scope);
  }
  return Status::InvalidArgument("invalid scope '" + s +
                                 "': want span, resource, event, link, instrumentation, intrinsic or none");
}

void JsonStrings(otlp::JsonWriter& w, const std::vector<std::string>& v) {
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

}  // namespace

SearchApi::SearchApi(const store::TraceStore* store, bool multitenancy, SearchApiOptions options)
    : store_(store),
      multitenancy_(multitenancy),
      options_(options),
      cache_(std::make_unique<search::CatalogCache>(search::CatalogLimits{}, options.threads, store->block_backend(),
                                                    options.catalog_memory_bytes)) {
  if (!multitenancy_) tenants_.insert("single-tenant");
  if (options_.warm_catalogs) warmer_ = std::thread([this] { WarmLoop(); });
}

SearchApi::~SearchApi() {
  {
    std::lock_guard lock(warm_mu_);
    stopping_ = true;
  }
  warm_cv_.notify_all();
  if (warmer_.joinable()) warmer_.join();
}

void SearchApi::NoteTenant(const std::string& tenant) const {
  std::lock_guard lock(warm_mu_);
  tenants_.insert(tenant);
}

void SearchApi::CatalogFromCompaction(const std::string& tenant, const std::string& block_id,
                                      const std::vector<std::string>& inputs) {
  cache_->PutMerged(tenant, block_id, inputs);
}

store::TraceDb::BlockEvents SearchApi::CatalogEvents() {
  store::TraceDb::BlockEvents e;
  e.compacted = [this](const std::string& tenant, const std::string& block_id, const std::vector<std::string>& inputs) {
    CatalogFromCompaction(tenant, block_id, inputs);
  };
  return e;
}

void SearchApi::WarmLoop() {
  ::pthread_setname_np(::pthread_self(), "rubato-tagwarm");
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);  // after ingest and queries
  std::unique_lock lock(warm_mu_);
  while (!stopping_) {
    std::vector<std::string> tenants(tenants_.begin(), tenants_.end());
    lock.unlock();
    for (const std::string& t : tenants) {
      store::SearchSnapshot snap = store_->TakeSearchSnapshot(t);
      // One block per call, newest first, so a request needing a build waits for one block at most.
      std::vector<const store::block::BlockReader*> blocks;
      for (const auto& b : snap.blocks) blocks.push_back(b.get());
      std::sort(blocks.begin(), blocks.end(),
                [](const auto* a, const auto* b) { return a->meta().max_time > b->meta().max_time; });
      for (const auto* b : blocks) {
        {
          std::lock_guard check(warm_mu_);
          if (stopping_) return;
        }
        cache_->Warm(t, snap.blocks, *b);
      }
    }
    lock.lock();
    warm_cv_.wait_for(lock, options_.warm_interval, [this] { return stopping_; });
  }
}

bool SearchApi::Handle(net::HttpRequest& req, net::HttpResponse& resp) const {
  std::string_view path = req.path();
  bool search = path == "/api/search";
  bool tags_v1 = path == kTagsV1, tags_v2 = path == kTagsV2;
  bool values_v1 = path.starts_with(kValuesV1) && path.ends_with(kValuesSuffix);
  bool values_v2 = path.starts_with(kValuesV2) && path.ends_with(kValuesSuffix);
  if (!search && !tags_v1 && !tags_v2 && !values_v1 && !values_v2) return false;
  if (req.method != "GET") {
    Text(resp, 405, "method " + req.method + " not allowed; use GET");
    return true;
  }
  std::string tenant = "single-tenant";
  if (multitenancy_) {
    tenant = std::string(req.Header("X-Scope-OrgID"));
    if (tenant.empty()) {
      Text(resp, 401, "no org id");
      return true;
    }
  }
  NoteTenant(tenant);
  auto params = net::ParseQuery(req.query());
  ClientWatch watch(req.client_gone);  // a client that leaves cancels its query
  if (search) {
    Search(tenant, params, watch.flag(), resp);
  } else if (tags_v1 || tags_v2) {
    Tags(tenant, params, tags_v2, watch.flag(), resp);
  } else {
    std::string_view prefix = values_v2 ? kValuesV2 : kValuesV1;
    std::string_view name = path.substr(prefix.size(), path.size() - prefix.size() - kValuesSuffix.size());
    TagValues(tenant, net::UrlDecode(name), params, values_v2, watch.flag(), resp);
  }
  return true;
}

void SearchApi::Search(const std::string& tenant, const Params& p, const std::atomic<bool>* cancel,
                       net::HttpResponse& resp) const {
  std::string text = Get(p, "q");
  bool legacy = text.empty();
  if (legacy) {
    auto translated = search::LegacyTagsToTraceQL(Get(p, "tags"));
    if (!translated.ok()) return Fail(resp, translated.status());
    text = *translated;
  }
  auto plan = traceql::Plan::Compile(text);
  if (!plan.ok()) {
    return Text(resp, 400, (legacy ? "tags: cannot search for " + text + ": " : std::string()) + plan.status().message());
  }
  search::SearchRequest r;
  r.plan = plan->get();
  auto limit = UintParam(p, "limit", search::kDefaultLimit, "a positive integer");
  if (!limit.ok()) return Fail(resp, limit.status());
  if (*limit > options_.max_limit) {
    return Text(resp, 400, "limit " + std::to_string(*limit) + " is over the maximum of " + std::to_string(options_.max_limit));
  }
  r.limit = *limit ? static_cast<uint32_t>(*limit) : search::kDefaultLimit;
  auto spss = UintParam(p, "spss", search::kDefaultSpansPerSpanset, "a positive integer");
  if (!spss.ok()) return Fail(resp, spss.status());
  if (*spss > search::kMaxSpansPerSpanset) {
    return Text(resp, 400, "spss " + std::to_string(*spss) + " is over the maximum of " +
                               std::to_string(search::kMaxSpansPerSpanset));
  }
  r.spans_per_spanset = *spss ? static_cast<uint32_t>(*spss) : search::kDefaultSpansPerSpanset;
  if (Status s = TimeRange(p, &r.start_unix_nano, &r.end_unix_nano); !s.ok()) return Fail(resp, s);
  auto min_d = DurationParam(p, "minDuration");
  if (!min_d.ok()) return Fail(resp, min_d.status());
  auto max_d = DurationParam(p, "maxDuration");
  if (!max_d.ok()) return Fail(resp, max_d.status());
  if (*max_d && *min_d > *max_d) return Text(resp, 400, "minDuration is greater than maxDuration");
  r.min_trace_duration_nanos = *min_d;
  r.max_trace_duration_nanos = *max_d;
  r.cancel = cancel;
  r.deadline = std::chrono::steady_clock::now() + options_.timeout;
  r.memory_budget_bytes = options_.memory_budget_bytes;
  r.threads = options_.threads;
  r.block_catalog = [this, &tenant](const store::block::BlockReader& block) {
    return cache_->Cached(tenant, block.meta().block_id);
  };
  auto result = search::Search(store_->TakeSearchSnapshot(tenant), r);
  if (!result.ok()) return Fail(resp, result.status());
  resp.content_type = "application/json";
  resp.body = search::SearchResponseJson(*result);
}

Status SearchApi::TagQueryFrom(const Params& p, const std::atomic<bool>* cancel, search::TagQuery* q,
                               std::unique_ptr<traceql::Plan>* plan) const {
  if (Status s = TimeRange(p, &q->start_unix_nano, &q->end_unix_nano); !s.ok()) return s;
  auto limit = UintParam(p, "limit", 0, "a positive integer");
  if (!limit.ok()) return limit.status();
  q->limit = static_cast<uint32_t>(std::min<uint64_t>(*limit, UINT32_MAX));
  // An incomplete query (autocomplete sends what is typed so far) restricts nothing, as in Tempo.
  if (auto compiled = traceql::Plan::Compile(Get(p, "q")); compiled.ok() && !MatchesEverything(**compiled)) {
    *plan = std::move(*compiled);
    q->query = plan->get();
  }
  q->query_time_budget = options_.tag_query_time_budget;
  q->cancel = cancel;
  q->memory_budget_bytes = options_.memory_budget_bytes;
  q->threads = options_.threads;
  return Status::Ok();
}

void SearchApi::Tags(const std::string& tenant, const Params& p, bool v2, const std::atomic<bool>* cancel,
                     net::HttpResponse& resp) const {
  auto scope = ScopeParam(p);
  if (!scope.ok()) return Fail(resp, scope.status());
  search::TagQuery q;
  std::unique_ptr<traceql::Plan> plan;
  if (Status s = TagQueryFrom(p, cancel, &q, &plan); !s.ok()) return Fail(resp, s);
  auto names = search::SearchTagNames(store_->TakeSearchSnapshot(tenant), cache_.get(), tenant, q);
  if (!names.ok()) return Fail(resp, names.status());
  resp.content_type = "application/json";
  otlp::JsonWriter w(&resp.body);
  w.BeginObject();
  if (!v2) {
    std::vector<std::string> all;
    for (size_t i = 0; i < search::kTagScopeCount; ++i) {
      auto s = static_cast<search::TagScope>(i);
      bool intrinsic = s == search::TagScope::kIntrinsic;
      if (*scope ? *scope == s : !intrinsic) all.insert(all.end(), names->scopes[i].begin(), names->scopes[i].end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    if (q.limit && all.size() > q.limit) all.resize(q.limit);
    w.Key("tagNames");
    JsonStrings(w, all);
  } else {
    w.Key("scopes");
    w.BeginArray();
    for (size_t i = 0; i < search::kTagScopeCount; ++i) {
      auto s = static_cast<search::TagScope>(i);
      bool always = s == search::TagScope::kSpan || s == search::TagScope::kResource || s == search::TagScope::kIntrinsic;
      if (*scope ? *scope != s : !(always || !names->scopes[i].empty())) continue;
      w.BeginObject();
      w.Key("name");
      w.String(search::Name(s));
      w.Key("tags");
      JsonStrings(w, names->scopes[i]);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

void SearchApi::TagValues(const std::string& tenant, std::string_view name_text, const Params& p, bool v2,
                          const std::atomic<bool>* cancel, net::HttpResponse& resp) const {
  auto name = v2 ? search::ParseTagNameV2(name_text) : search::ParseTagNameV1(name_text);
  if (!name.ok()) return Fail(resp, name.status());
  search::TagQuery q;
  std::unique_ptr<traceql::Plan> plan;
  if (Status s = TagQueryFrom(p, cancel, &q, &plan); !s.ok()) return Fail(resp, s);
  auto values = search::SearchTagValues(store_->TakeSearchSnapshot(tenant), cache_.get(), tenant, *name, q);
  if (!values.ok()) return Fail(resp, values.status());
  resp.content_type = "application/json";
  otlp::JsonWriter w(&resp.body);
  w.BeginObject();
  w.Key("tagValues");
  w.BeginArray();
  std::string last;
  bool first = true;
  for (const search::TagValue& v : values->values) {
    if (v2) {
      w.BeginObject();
      w.Key("type");
      w.String(search::Name(v.type));
      w.Key("value");
      w.String(v.text);
      w.EndObject();
    } else if (first || v.text != last) {  // v1 lists texts: "200" as int and as string is one value
      w.String(v.text);
      last = v.text;
      first = false;
    }
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace rubato::api
