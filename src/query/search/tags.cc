#include "query/search/tags.h"

#include <mutex>

#include "query/search/scanner.h"
#include "query/traceql/evaluate.h"

namespace rubato::query::search {
namespace {

uint64_t EndOf(const TagQuery& q) { return q.end_unix_nano == 0 ? UINT64_MAX : q.end_unix_nano; }

bool SpanInRange(const model::Span& s, const TagQuery& q) {
  return s.start_time_unix_nano <= EndOf(q) && s.end_time_unix_nano >= q.start_unix_nano;
}

// The blocks of the snapshot overlapping the query's range.
std::vector<const store::block::BlockReader*> BlocksInRange(const store::SearchSnapshot& snap, const TagQuery& q) {
  std::vector<const store::block::BlockReader*> out;
  for (const auto& b : snap.blocks) {
    if (b->meta().min_time <= EndOf(q) && b->meta().max_time >= q.start_unix_nano) out.push_back(b.get());
  }
  return out;
}

// Catalog of what the query's range holds: cached block catalogs merged with
// the head's spans (read now: the head changes with every append).
Status CollectFromCatalogs(const store::SearchSnapshot& snap, CatalogCache* cache, std::string_view tenant,
                           const TagQuery& q, const CatalogFilter& filter, TagCatalog* out) {
  auto blocks = BlocksInRange(snap, q);
  auto catalogs = cache->Get(tenant, snap.blocks, blocks, q.cancel);
  if (catalogs.size() != blocks.size()) return Status::Unavailable("search cancelled");
  CatalogBuilder head(out, filter);
  for (const auto& batch : snap.head) {
    for (uint32_t i = 0; i < batch->spans.size(); ++i) {
      if (SpanInRange(batch->spans[i], q)) head.AddSpan(*batch, i);
    }
  }
  for (const auto& c : catalogs) {
    if (!filter.key) {
      filter.keys_only ? out->MergeKeys(*c) : out->Merge(*c);
      continue;
    }
    for (size_t s = 0; s < kTagScopeCount; ++s) {  // one key: merge just its values
      auto scope = static_cast<TagScope>(s);
      bool wanted = !filter.scope || *filter.scope == scope ||
                    (filter.span_or_resource && (scope == TagScope::kSpan || scope == TagScope::kResource));
      if (!wanted) continue;
      if (const TagCatalog::Values* v = c->Find(scope, *filter.key)) out->MergeKey(scope, *filter.key, *v);
    }
  }
  return Status::Ok();
}

// Catalog of the spans the query matches in the range: a scan, newest first,
// bounded by the query's time budget (*partial when it ran out).
Status CollectFromMatches(const store::SearchSnapshot& snap, const TagQuery& q, const CatalogFilter& filter,
                          TagCatalog* out, bool* partial) {
  ScanSources sources = PrepareSources(snap, q.start_unix_nano, q.end_unix_nano);
  std::mutex mu;
  ScanHooks hooks;
  hooks.plan = q.query;
  hooks.visit = [&](const traceql::TraceView& view, uint32_t /*source*/) {
    std::vector<traceql::Spanset> sets = traceql::Evaluate(*q.query, view);
    if (sets.empty()) return;
    std::lock_guard lock(mu);
    // A builder per piece: it remembers batches by address, and a row group
    // decoded next may reuse the address of one freed.
    CatalogBuilder builder(out, filter);
    for (const traceql::Spanset& set : sets) {
      for (uint32_t i : set.spans) {
        const model::Batch& b = view.batch(i);
        builder.AddSpan(b, static_cast<uint32_t>(&view.span(i) - b.spans.data()));
      }
    }
  };
  ScanLimits limits;
  limits.cancel = q.cancel;
  limits.deadline = std::chrono::steady_clock::now() + q.query_time_budget;
  limits.memory_budget_bytes = q.memory_budget_bytes;
  limits.threads = q.threads;
  SearchMetrics metrics;
  switch (Scan(sources, hooks, limits, &metrics)) {
    case ScanEnd::kCancelled: return Status::Unavailable("search cancelled");
    case ScanEnd::kTimedOut: *partial = true; break;
    default: break;
  }
  return Status::Ok();
}

}  // namespace

Result<TagNamesAnswer> SearchTagNames(const store::SearchSnapshot& snapshot, CatalogCache* cache,
                                      std::string_view tenant, const TagQuery& q) {
  TagNamesAnswer answer;
  CatalogFilter filter;
  filter.keys_only = true;
  TagCatalog catalog;
  Status s = q.query ? CollectFromMatches(snapshot, q, filter, &catalog, &answer.partial)
                     : CollectFromCatalogs(snapshot, cache, tenant, q, filter, &catalog);
  if (!s.ok()) return s;
  for (size_t i = 0; i < kTagScopeCount; ++i) {
    auto scope = static_cast<TagScope>(i);
    std::vector<std::string>& names = answer.scopes[i];
    if (scope == TagScope::kIntrinsic) {
      names = IntrinsicTagNames();
    } else {
      for (const auto& [key, v] : catalog.scope(scope)) names.push_back(key);  // std::map: sorted
      answer.partial = answer.partial || catalog.keys_truncated(scope);
    }
    if (q.limit && names.size() > q.limit) {
      names.resize(q.limit);
      answer.partial = true;
    }
  }
  return answer;
}

Result<TagValuesAnswer> SearchTagValues(const store::SearchSnapshot& snapshot, CatalogCache* cache,
                                        std::string_view tenant, const TagName& name, const TagQuery& q) {
  TagValuesAnswer answer;
  if (name.kind == TagName::Kind::kNoValues) return answer;
  CatalogFilter filter;
  filter.key = name.key;
  filter.scope = name.scope.value_or(TagScope::kSpan);
  filter.span_or_resource = !name.scope.has_value();
  TagCatalog catalog;
  Status s = q.query ? CollectFromMatches(snapshot, q, filter, &catalog, &answer.partial)
                     : CollectFromCatalogs(snapshot, cache, tenant, q, filter, &catalog);
  if (!s.ok()) return s;
  std::set<TagValue, std::less<>> values;
  for (size_t i = 0; i < kTagScopeCount; ++i) {
    if (const TagCatalog::Values* v = catalog.Find(static_cast<TagScope>(i), name.key)) {
      if (!filter.span_or_resource && static_cast<TagScope>(i) != filter.scope) continue;
      values.insert(v->values.begin(), v->values.end());
      answer.partial = answer.partial || v->truncated;
    }
  }
  if (name.kind == TagName::Kind::kErrorFlag) {
    bool any_error = values.count(TagValue{TagValueType::kKeyword, "error"}) != 0;
    values.clear();
    if (any_error) values.insert(TagValue{TagValueType::kBool, "true"});
  }
  answer.values.assign(values.begin(), values.end());
  if (q.limit && answer.values.size() > q.limit) {
    answer.values.resize(q.limit);
    answer.partial = true;
  }
  return answer;
}

}  // namespace rubato::query::search
